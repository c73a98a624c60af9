// attn/kernels/cpu/linear.h — the bias half of linear: y = x·Wᵀ + b (the x·Wᵀ half is matmul.h's gemm).
//
// bias_forward broadcasts b into every row of y before the gemm accumulates x·Wᵀ onto it (one pass over y);
// bias_backward is db = Σ_rows dy. Plain loops over contiguous memory; the compiler vectorises the inner one.
#pragma once

#include <cstdint>

namespace attn::kernels {

// out[n, c] = bias[c] — out: (N, C), bias: (C)
template <typename T>
void bias_forward(T* out, const T* bias, int64_t N, int64_t C) {
  for (int64_t n = 0; n < N; ++n)
    for (int64_t c = 0; c < C; ++c) out[n * C + c] = bias[c];
}

// Inverts `out[n, c] = bias[c]`: dbias[c] += Σ_n dout[n, c] — dbias: (C), dout: (N, C)
template <typename T>
void bias_backward(T* dbias, const T* dout, int64_t N, int64_t C) {
  for (int64_t n = 0; n < N; ++n)
    for (int64_t c = 0; c < C; ++c) dbias[c] += dout[n * C + c];
}

}  // namespace attn::kernels
