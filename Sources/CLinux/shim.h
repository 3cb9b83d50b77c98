#ifndef POINTILLIST_CLINUX_SHIM_H
#define POINTILLIST_CLINUX_SHIM_H
// glibc and Linux calls that Swift's Glibc module does not import.
#ifdef __linux__
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
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
