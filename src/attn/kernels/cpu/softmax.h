// attn/kernels/cpu/softmax.h — softmax and log_softmax over one dimension: forward/backward pairs (STYLE P3).
//
// A tensor normalised along one dimension is seen as (outer, C, inner), contiguous: element (n, c, k) is at
// (n·C + c)·inner + k, and the C values of one (n, k) line are normalised. inner = 1 is the usual case
// (softmax over the last dimension, e.g. attention rows).
//
// Numerically stable: m = max_c x, y = e^(x−m) / Σ e^(x−m), log y = x − m − log Σ e^(x−m). A line whose
// entries are all −inf (every position masked) has m = −inf and x − m = NaN, so its output is NaN, exactly
// as torch.softmax / torch.log_softmax; a line with some −inf entries gives them probability 0 (log: −inf).
//
// *_reference: plain loops, templated (float and double), sums in double. *_fast: float only, OpenMP over
// lines, 16-lane accumulators and kernels::fast_exp so the compiler vectorises every loop.
// softmax_forward<T> / … pick fast for float, reference for double. Backward kernels accumulate into dx.
#pragma once

#include <cstdint>
#include <type_traits>

namespace attn::kernels {

// y = softmax(x) along C                                    x, y: (outer, C, inner)
template <typename T>
void softmax_forward_reference(T* y, const T* x, int64_t outer, int64_t C, int64_t inner);
// Inverts y = e^(x−m)/Σe^(x−m):  dx += y ⊙ (dy − Σ_c dy ⊙ y)   dx, dy, y: (outer, C, inner)
template <typename T>
void softmax_backward_reference(T* dx, const T* dy, const T* y, int64_t outer, int64_t C, int64_t inner);
// y = x − m − log Σ_c e^(x−m)                               x, y: (outer, C, inner)
template <typename T>
void log_softmax_forward_reference(T* y, const T* x, int64_t outer, int64_t C, int64_t inner);
// Inverts y = x − logsumexp(x):  dx += dy − e^y · Σ_c dy     dx, dy, y: (outer, C, inner)
template <typename T>
void log_softmax_backward_reference(T* dx, const T* dy, const T* y, int64_t outer, int64_t C, int64_t inner);

void softmax_forward_fast(float* y, const float* x, int64_t outer, int64_t C, int64_t inner);
void softmax_backward_fast(float* dx, const float* dy, const float* y, int64_t outer, int64_t C,
                           int64_t inner);
void log_softmax_forward_fast(float* y, const float* x, int64_t outer, int64_t C, int64_t inner);
void log_softmax_backward_fast(float* dx, const float* dy, const float* y, int64_t outer, int64_t C,
                               int64_t inner);

// The implementation ops call: fast for float, reference otherwise.
template <typename T>
void softmax_forward(T* y, const T* x, int64_t outer, int64_t C, int64_t inner) {
  if constexpr (std::is_same_v<T, float>) {
    softmax_forward_fast(y, x, outer, C, inner);
  } else {
    softmax_forward_reference(y, x, outer, C, inner);
  }
}
template <typename T>
void softmax_backward(T* dx, const T* dy, const T* y, int64_t outer, int64_t C, int64_t inner) {
  if constexpr (std::is_same_v<T, float>) {
    softmax_backward_fast(dx, dy, y, outer, C, inner);
  } else {
    softmax_backward_reference(dx, dy, y, outer, C, inner);
  }
}
template <typename T>
void log_softmax_forward(T* y, const T* x, int64_t outer, int64_t C, int64_t inner) {
  if constexpr (std::is_same_v<T, float>) {
    log_softmax_forward_fast(y, x, outer, C, inner);
  } else {
    log_softmax_forward_reference(y, x, outer, C, inner);
  }
}
template <typename T>
void log_softmax_backward(T* dx, const T* dy, const T* y, int64_t outer, int64_t C, int64_t inner) {
  if constexpr (std::is_same_v<T, float>) {
    log_softmax_backward_fast(dx, dy, y, outer, C, inner);
  } else {
    log_softmax_backward_reference(dx, dy, y, outer, C, inner);
  }
}

}  // namespace attn::kernels
