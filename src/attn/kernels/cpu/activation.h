// attn/kernels/cpu/activation.h — relu, tanh, sigmoid and gelu over n contiguous elements: forward/backward
// pairs (STYLE P3). Backward kernels accumulate (+=) into dx.
//
// gelu follows torch.nn.functional.gelu exactly in formula:
//   approximate="none":  y = x·Φ(x) = 0.5·x·(1 + erf(x/√2)),   dy/dx = Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π)
//   approximate="tanh":  y = 0.5·x·(1 + tanh(u)), u = √(2/π)·(x + 0.044715·x³),
//                        dy/dx = 0.5·(1 + tanh u) + 0.5·x·(1 − tanh² u)·√(2/π)·(1 + 3·0.044715·x²)
// Subgradients at the kinks are PyTorch's: relu'(0) = 0 (and relu passes NaN through with gradient dy).
//
// *_reference: std::tanh / std::exp / std::erf, float and double. *_fast: float, OpenMP over elements, the
// vectorisable fast_exp / fast_tanh / fast_normal_cdf of unary.h. gelu "none" computes Φ(x) = erfc(−x/√2)/2,
// which keeps full relative accuracy for negative x where torch's 1 + erf(x/√2) cancels (in float torch
// returns values like 0 or ±1e-9 garbage for x < −5; both are within 1e-7 of the truth in absolute terms).
// relu has one kernel: it is exact. <op>_forward<T> / <op>_backward<T> pick fast for float, reference for
// double.
#pragma once

#include <cstdint>
#include <type_traits>

namespace attn::kernels {

// y = max(x, 0) (NaN stays NaN)          y, x: (n)
template <typename T>
void relu_forward(T* y, const T* x, int64_t n);
// dx += y > 0 ? dy : 0, written as torch's "y <= 0 ? 0 : dy"      dx, dy, y: (n)
template <typename T>
void relu_backward(T* dx, const T* dy, const T* y, int64_t n);

// y = tanh x                              y, x: (n)
template <typename T>
void tanh_forward_reference(T* y, const T* x, int64_t n);
void tanh_forward_fast(float* y, const float* x, int64_t n);
// dx += dy · (1 − y²)                     dx, dy, y: (n)
template <typename T>
void tanh_backward(T* dx, const T* dy, const T* y, int64_t n);

// y = 1 / (1 + e^(−x))                    y, x: (n)
template <typename T>
void sigmoid_forward_reference(T* y, const T* x, int64_t n);
void sigmoid_forward_fast(float* y, const float* x, int64_t n);
// dx += dy · y · (1 − y)                  dx, dy, y: (n)
template <typename T>
void sigmoid_backward(T* dx, const T* dy, const T* y, int64_t n);

// y = gelu(x) (see above)                 y, x: (n)
template <typename T>
void gelu_forward_reference(T* y, const T* x, int64_t n, bool tanh_approx);
void gelu_forward_fast(float* y, const float* x, int64_t n, bool tanh_approx);
// dx += dy · gelu'(x)                     dx, dy, x: (n)
template <typename T>
void gelu_backward_reference(T* dx, const T* dy, const T* x, int64_t n, bool tanh_approx);
void gelu_backward_fast(float* dx, const float* dy, const float* x, int64_t n, bool tanh_approx);

// The implementations ops call: fast for float, reference otherwise.
template <typename T>
void tanh_forward(T* y, const T* x, int64_t n) {
  if constexpr (std::is_same_v<T, float>) {
    tanh_forward_fast(y, x, n);
  } else {
    tanh_forward_reference(y, x, n);
  }
}
template <typename T>
void sigmoid_forward(T* y, const T* x, int64_t n) {
  if constexpr (std::is_same_v<T, float>) {
    sigmoid_forward_fast(y, x, n);
  } else {
    sigmoid_forward_reference(y, x, n);
  }
}
template <typename T>
void gelu_forward(T* y, const T* x, int64_t n, bool tanh_approx) {
  if constexpr (std::is_same_v<T, float>) {
    gelu_forward_fast(y, x, n, tanh_approx);
  } else {
    gelu_forward_reference(y, x, n, tanh_approx);
  }
}
template <typename T>
void gelu_backward(T* dx, const T* dy, const T* x, int64_t n, bool tanh_approx) {
  if constexpr (std::is_same_v<T, float>) {
    gelu_backward_fast(dx, dy, x, n, tanh_approx);
  } else {
    gelu_backward_reference(dx, dy, x, n, tanh_approx);
  }
}

}  // namespace attn::kernels
