#ifndef POINTILLIST_CZLIB_SHIM_H
#define POINTILLIST_CZLIB_SHIM_H
#include <zlib.h>
#endif
