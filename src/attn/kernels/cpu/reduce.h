// attn/kernels/cpu/reduce.h — reductions over one block of dimensions: sum / mean and max with its index.
//
// The input is seen as (outer, R, inner), contiguous, and reduced over R: out[o, i] = reduce_r x[o, r, i]
// (out is (outer, inner)). Ops bring any set of reduced dimensions into this form (permuting and copying
// only when the reduced dimensions are not adjacent).
//
// sum: *_reference accumulates in double (int64 in int64, exact) in plain loops. sum_forward_fast (float)
// accumulates in double too — summing is memory-bound, so the wider accumulator costs nothing measurable
// — vectorised, with OpenMP over rows, or over fixed 64 Ki-element chunks of one long row whose partial sums
// are added in chunk order: the result never depends on the thread count.
// max: one plain kernel (float, double, int64). Ties keep the first index (as torch on CPU); NaN wins over
// every number and the first NaN's index is returned (torch.max propagates NaN).
#pragma once

#include <cstdint>
#include <type_traits>

namespace attn::kernels {

// out = Σ_r x (or the mean, Σ_r x / R)                 out: (outer, inner)  x: (outer, R, inner)
template <typename T>
void sum_forward_reference(T* out, const T* x, int64_t outer, int64_t R, int64_t inner, bool mean);
void sum_forward_fast(float* out, const float* x, int64_t outer, int64_t R, int64_t inner, bool mean);

template <typename T>
void sum_forward(T* out, const T* x, int64_t outer, int64_t R, int64_t inner, bool mean) {
  if constexpr (std::is_same_v<T, float>) {
    sum_forward_fast(out, x, outer, R, inner, mean);
  } else {
    sum_forward_reference(out, x, outer, R, inner, mean);
  }
}

// values = max_r x, indices = the first r attaining it (R ≥ 1)   values, indices: (outer, inner)  x: (outer,
// R, inner)
template <typename T>
void max_forward(T* values, int64_t* indices, const T* x, int64_t outer, int64_t R, int64_t inner);
// Inverts values[o, i] = x[o, indices[o, i], i]:  dx[o, indices[o, i], i] += dvalues[o, i]
// dx: (outer, R, inner)  dvalues, indices: (outer, inner)
template <typename T>
void max_backward(T* dx, const T* dvalues, const int64_t* indices, int64_t outer, int64_t R, int64_t inner);

}  // namespace attn::kernels
