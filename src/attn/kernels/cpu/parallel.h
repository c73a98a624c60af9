// attn/kernels/cpu/parallel.h — parallel_for over [0, n) with OpenMP, serial below a grain size.
//
// The thread count is attn::get_num_threads() (set_num_threads / ATTN_NUM_THREADS), passed to every
// parallel region explicitly so the environment variable holds from the first kernel on. Kernels split work
// so that each index is written by exactly one thread: results do not depend on the thread count.
#pragma once

#include <omp.h>

#include <cstdint>

#include "attn/core/threads.h"

namespace attn::kernels {

// f(begin, end) on disjoint chunks covering [0, n); runs serially when n < grain, or when called from
// inside a parallel region (a fused kernel's per-thread task: no nested team).
template <typename F>
void parallel_for(int64_t n, int64_t grain, F&& f) {
  if (n <= 0) return;
  if (n < grain || omp_in_parallel()) {
    f(int64_t{0}, n);
    return;
  }
#pragma omp parallel num_threads(get_num_threads())
  {
    const int64_t nt = omp_get_num_threads(), t = omp_get_thread_num();
    const int64_t chunk = (n + nt - 1) / nt;
    const int64_t b = t * chunk, e = b + chunk < n ? b + chunk : n;
    if (b < e) f(b, e);
  }
}

}  // namespace attn::kernels
