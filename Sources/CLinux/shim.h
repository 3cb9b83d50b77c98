#ifndef POINTILLIST_CLINUX_SHIM_H
#define POINTILLIST_CLINUX_SHIM_H
// glibc and Linux calls that Swift's Glibc module does not import.
#ifdef __linux__
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <malloc.h>
#include <sys/syscall.h>
#include <unistd.h>
/// Keeps blocks below `bytes` in the heap and the heap untrimmed below `trim` (glibc).
static inline void pointillist_keep_large_blocks(int bytes, int trim) {
    mallopt(M_MMAP_THRESHOLD, bytes);
    mallopt(M_TRIM_THRESHOLD, trim);
}
/// Raises the calling thread's nice value by `steps` (lower priority), for that thread alone.
/// Raw system calls: <sys/resource.h> under _GNU_SOURCE clashes with Swift's Glibc module.
/// The kernel's getpriority returns 20 - nice.
static inline void pointillist_lower_thread_priority(int steps) {
    long tid = syscall(SYS_gettid);
    long current = syscall(SYS_getpriority, 0 /* PRIO_PROCESS */, tid);
    if (current > 0) syscall(SYS_setpriority, 0 /* PRIO_PROCESS */, tid, (int)(20 - current) + steps);
}
#else
static inline void pointillist_keep_large_blocks(int bytes, int trim) { (void)bytes; (void)trim; }
static inline void pointillist_lower_thread_priority(int steps) { (void)steps; }
#endif
#endif
