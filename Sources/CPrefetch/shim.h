#ifndef SCALECTL_CPREFETCH_SHIM_H
#define SCALECTL_CPREFETCH_SHIM_H

// The processor's prefetch hint, which Swift cannot express: a plain load waits for its cache
// line, a prefetch asks for it and goes on. CDNLogs asks for the URL table's lines while it
// parses the next lines of a batch, so the lookups find them in the cache. A hint never
// faults, whatever the address.
static inline void scale_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#include <malloc.h>

// Blocks of at least 1 MB always come from mmap, whatever was freed before (glibc raises its
// threshold for that to the size of any mmapped block freed, up to 32 MB): the key tables grow
// by realloc, which moves an mmapped block by remapping it but copies one in the heap and keeps
// the old pages. <malloc.h> is not in Swift's Glibc module, hence this wrapper.
static inline void scale_map_large_blocks(void) {
    (void)mallopt(M_MMAP_THRESHOLD, 1 << 20);
}
#endif
