#ifndef SHADOWSCAN_CBZIP2_SHIM_H
#define SHADOWSCAN_CBZIP2_SHIM_H
// bzlib.h uses FILE in its stdio helpers.
#include <stdio.h>
#include <bzlib.h>
#endif
