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
/// Starts writing the file's dirty pages to disk without waiting for them (sync_file_range).
static inline void pointillist_start_writeback(int fd) {
    (void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
}
#else
static inline void pointillist_keep_large_blocks(int bytes, int trim) { (void)bytes; (void)trim; }
static inline void pointillist_start_writeback(int fd) { (void)fd; }
#endif
#endif
