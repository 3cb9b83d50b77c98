#ifndef POINTILLIST_COPENBLAS_SHIM_H
#define POINTILLIST_COPENBLAS_SHIM_H
#include <cblas.h>
#endif
