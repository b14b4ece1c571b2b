#ifndef SCALECTL_CZLIB_SHIM_H
#define SCALECTL_CZLIB_SHIM_H
#include <zlib.h>

// inflateInit2 is a macro (it passes ZLIB_VERSION and sizeof(z_stream)), which Swift cannot
// call. This wrapper is the only way CDNLogs reaches it.
static inline int scale_inflate_init2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}
#endif
