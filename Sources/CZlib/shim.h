#ifndef SHADOWSCAN_CZLIB_SHIM_H
#define SHADOWSCAN_CZLIB_SHIM_H
// next_in as a const pointer: zlib never writes to its input.
#define ZLIB_CONST
#include <zlib.h>

// inflateInit2 is a macro that passes the header's version and the struct size; Swift calls
// inflateInit2_ directly and needs the version string as a function.
static inline const char *shadowscan_zlib_version(void) { return ZLIB_VERSION; }
#endif
