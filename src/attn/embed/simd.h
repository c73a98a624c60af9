// attn/embed/simd.h — the three vector loops all of embed runs on: dot, axpy and scale, over raw float rows.
// `#pragma omp simd` lets the compiler vectorise the reductions (AVX2/AVX-512 with -march=native) without
// -ffast-math; everything else in Word2Vec and GloVe is index bookkeeping around these.
#pragma once

#include <cstdint>

namespace attn::embed {

// Σ a[i]·b[i]
inline float dot(const float* __restrict a, const float* __restrict b, int64_t n) {
  float s = 0.0f;
#pragma omp simd reduction(+ : s)
  for (int64_t i = 0; i < n; ++i) s += a[i] * b[i];
  return s;
}

// y += alpha·x
inline void axpy(float alpha, const float* __restrict x, float* __restrict y, int64_t n) {
#pragma omp simd
  for (int64_t i = 0; i < n; ++i) y[i] += alpha * x[i];
}

}  // namespace attn::embed
