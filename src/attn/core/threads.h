// attn/core/threads.h — one knob for all parallelism: our OpenMP kernels and OpenBLAS (its OpenMP build).
//
// set_num_threads(n) sets both; the environment variable ATTN_NUM_THREADS sets the default at start-up.
// With a fixed seed and one thread, results are bit-for-bit repeatable.
#pragma once

#include <string>

namespace attn {

void set_num_threads(int n);
int get_num_threads();
// "OpenBLAS 0.3.21 (OpenMP, Haswell kernels)" — what `attn selftest` prints.
std::string blas_info();

}  // namespace attn
