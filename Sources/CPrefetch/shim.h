#ifndef SCALECTL_CPREFETCH_SHIM_H
#define SCALECTL_CPREFETCH_SHIM_H

// What CDNLogs needs of the C compiler: the processor's prefetch hint, malloc's mmap threshold,
// and a 16-byte byte search.
//
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

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

// The first `c` in [p, end), 16 bytes a compare where SSE2 is there (every x86-64), which Swift
// cannot ask for: its SIMD types compare, but cannot say where the first match is. It reads
// whole 16-byte groups, up to 15 bytes past `end`: the caller's buffer must have them.
static inline const unsigned char *scale_find_byte16(const unsigned char *p, const unsigned char *end, unsigned char c) {
#if defined(__SSE2__)
    const __m128i pattern = _mm_set1_epi8((char)c);
    for (; p < end; p += 16) {
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)p), pattern));
        if (mask != 0) {
            const unsigned char *q = p + __builtin_ctz(mask);
            return q < end ? q : 0;
        }
    }
    return 0;
#else
    for (; p < end; p++) {
        if (*p == c) return p;
    }
    return 0;
#endif
}
#endif
