#ifndef POINTILLIST_CTURBOJPEG_SHIM_H
#define POINTILLIST_CTURBOJPEG_SHIM_H
// Debian 12 ships libjpeg-turbo 2.1.5: the tjInitDecompress / tjDecompressHeader3 /
// tjDecompress2 API (not the tj3* API of 3.x).
#include <stddef.h>
#include <turbojpeg.h>
#endif
