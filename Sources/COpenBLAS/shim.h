#ifndef POINTILLIST_COPENBLAS_SHIM_H
#define POINTILLIST_COPENBLAS_SHIM_H
#include <cblas.h>

/// Stops OpenBLAS's worker threads (started when the library loads; they busy-wait for a
/// while before sleeping) and keeps every call on the calling thread.
extern int blas_thread_shutdown_(void);
static inline void pointillist_blas_single_threaded(void) {
    openblas_set_num_threads(1);
    blas_thread_shutdown_();
}
#endif
