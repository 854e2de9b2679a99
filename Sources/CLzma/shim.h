#ifndef SHADOWSCAN_CLZMA_SHIM_H
#define SHADOWSCAN_CLZMA_SHIM_H
#include <lzma.h>

// Flag macros built with UINT32_C do not import into Swift.
static inline uint32_t shadowscan_lzma_concatenated(void) { return LZMA_CONCATENATED; }
static inline uint32_t shadowscan_lzma_preset_default(void) { return LZMA_PRESET_DEFAULT; }
#endif
