#ifndef SHADOWSCAN_CZSTD_SHIM_H
#define SHADOWSCAN_CZSTD_SHIM_H
#include <zstd.h>
#endif
