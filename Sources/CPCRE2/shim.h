#ifndef SHADOWSCAN_CPCRE2_SHIM_H
#define SHADOWSCAN_CPCRE2_SHIM_H
// PCRE2 needs the code unit width before its header; we only use 8-bit (UTF-8) code units.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

// Macros that Swift cannot import, as functions.
static inline PCRE2_SIZE shadowscan_pcre2_unset(void) { return PCRE2_UNSET; }
static inline PCRE2_SIZE shadowscan_pcre2_zero_terminated(void) { return PCRE2_ZERO_TERMINATED; }
#endif
