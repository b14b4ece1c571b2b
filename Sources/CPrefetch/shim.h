#ifndef SCALECTL_CPREFETCH_SHIM_H
#define SCALECTL_CPREFETCH_SHIM_H

// The processor's prefetch hint, which Swift cannot express: a plain load waits for its cache
// line, a prefetch asks for it and goes on. CDNLogs asks for the URL table's lines while it
// parses the next lines of a batch, so the lookups find them in the cache. A hint never
// faults, whatever the address.
static inline void scale_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}
#endif
