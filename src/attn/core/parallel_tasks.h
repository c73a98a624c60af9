// attn/core/parallel_tasks.h — independent tasks over attn's threads, with exceptions carried back.
#pragma once

#include <cstdint>
#include <exception>

namespace attn {

// f(i) for every i in [0, n), taken `chunk` at a time by `threads` threads (OpenMP, dynamic schedule: tasks
// of uneven cost balance); the first exception a task throws is rethrown on the calling thread after all
// tasks have finished, so an error inside a parallel region is an ordinary C++ exception for the caller.
// Header-only: the including library is compiled with OpenMP.
template <typename F>
void parallel_tasks(int64_t n, int threads, int64_t chunk, F&& f) {
  std::exception_ptr error;
#pragma omp parallel for schedule(dynamic, chunk) num_threads(threads)
  for (int64_t i = 0; i < n; ++i) {
    try {
      f(i);
    } catch (...) {
#pragma omp critical
      if (!error) error = std::current_exception();
    }
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace attn
