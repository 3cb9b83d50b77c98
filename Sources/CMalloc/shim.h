#ifndef POINTILLIST_CMALLOC_SHIM_H
#define POINTILLIST_CMALLOC_SHIM_H
#ifdef __linux__
#include <malloc.h>
/// Keeps blocks below `bytes` in the heap and the heap untrimmed below `trim` (glibc).
static inline void pointillist_keep_large_blocks(int bytes, int trim) {
    mallopt(M_MMAP_THRESHOLD, bytes);
    mallopt(M_TRIM_THRESHOLD, trim);
}
#else
static inline void pointillist_keep_large_blocks(int bytes, int trim) { (void)bytes; (void)trim; }
#endif
#endif
