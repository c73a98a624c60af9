// Activation kernels: relu, tanh, sigmoid, gelu — plain references and vectorised float versions.
#include "attn/kernels/cpu/activation.h"

#include <cmath>

#include "attn/kernels/cpu/parallel.h"
#include "attn/kernels/cpu/unary.h"

namespace attn::kernels {

namespace {
constexpr int64_t kGrain = 1 << 15;  // elements below which a loop stays on one thread

// gelu constants (torch's kAlpha = 1/√2, kBeta = √2·(2/√π)·0.5 = √(2/π), kKappa = 0.044715).
constexpr double kSqrt1_2 = 0.70710678118654752440;
constexpr double kSqrt2OverPi = 0.79788456080286535588;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;  // 1/√(2π)
constexpr double kKappa = 0.044715;

// Runs body(i) for i in [0, n) on OpenMP threads, each chunk an `omp simd` loop.
template <typename F>
void simd_for(int64_t n, F body) {
  parallel_for(n, kGrain, [&](int64_t b, int64_t e) {
#pragma omp simd
    for (int64_t i = b; i < e; ++i) body(i);
  });
}
}  // namespace

template <typename T>
void relu_forward(T* y, const T* x, int64_t n) {
  simd_for(n, [&](int64_t i) { y[i] = x[i] < T(0) ? T(0) : x[i]; });  // NaN < 0 is false: NaN passes
}
template <typename T>
void relu_backward(T* dx, const T* dy, const T* y, int64_t n) {
  // By value, and dy read unconditionally: GCC vectorises this as a select. With [&] and a conditional load
  // it stayed a scalar loop with a branch, 4 % of a Transformer training step (perf, bench_transformer).
  simd_for(n, [=](int64_t i) {
    const T g = dy[i];
    dx[i] += y[i] <= T(0) ? T(0) : g;
  });
}

template <typename T>
void tanh_forward_reference(T* y, const T* x, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = std::tanh(x[i]);
}
void tanh_forward_fast(float* y, const float* x, int64_t n) {
  simd_for(n, [&](int64_t i) { y[i] = fast_tanh(x[i]); });
}
template <typename T>
void tanh_backward(T* dx, const T* dy, const T* y, int64_t n) {
  simd_for(n, [&](int64_t i) { dx[i] += dy[i] * (T(1) - y[i] * y[i]); });
}

// σ(x) = 1/(1 + e⁻ˣ) for x ≥ 0 and eˣ/(1 + eˣ) for x < 0: e^(−|x|) never overflows, so σ(−100) is the
// subnormal 3.7e-44 rather than 1/(1 + inf) = 0 (torch's float kernel returns 0 there).
template <typename T>
void sigmoid_forward_reference(T* y, const T* x, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const T e = std::exp(-std::fabs(x[i]));
    y[i] = x[i] >= T(0) ? T(1) / (T(1) + e) : e / (T(1) + e);
  }
}
void sigmoid_forward_fast(float* y, const float* x, int64_t n) {
  simd_for(n, [&](int64_t i) {
    const float e = fast_exp(-std::fabs(x[i])), s = 1.f / (1.f + e);
    y[i] = x[i] >= 0.f ? s : e * s;
  });
}
template <typename T>
void sigmoid_backward(T* dx, const T* dy, const T* y, int64_t n) {
  simd_for(n, [&](int64_t i) { dx[i] += dy[i] * y[i] * (T(1) - y[i]); });
}

template <typename T>
void gelu_forward_reference(T* y, const T* x, int64_t n, bool tanh_approx) {
  for (int64_t i = 0; i < n; ++i) {
    const T v = x[i];
    if (tanh_approx) {
      y[i] = T(0.5) * v * (T(1) + std::tanh(T(kSqrt2OverPi) * (v + T(kKappa) * v * v * v)));
    } else {
      y[i] = v * T(0.5) * (T(1) + std::erf(v * T(kSqrt1_2)));  // torch's GeluKernelImpl, term for term
    }
  }
}

void gelu_forward_fast(float* y, const float* x, int64_t n, bool tanh_approx) {
  constexpr float kB = kSqrt2OverPi, kK = kKappa;
  if (tanh_approx) {
    simd_for(n, [&](int64_t i) {
      const float v = x[i];
      y[i] = 0.5f * v * (1.f + fast_tanh(kB * (v + kK * v * v * v)));
    });
  } else {
    simd_for(n, [&](int64_t i) { y[i] = x[i] * fast_normal_cdf(x[i]); });
  }
}

template <typename T>
void gelu_backward_reference(T* dx, const T* dy, const T* x, int64_t n, bool tanh_approx) {
  for (int64_t i = 0; i < n; ++i) {
    const T v = x[i];
    if (tanh_approx) {  // torch's GeluBackwardKernelImpl, term for term
      const T inner = T(kSqrt2OverPi) * (v + T(kKappa) * v * v * v);
      const T th = std::tanh(inner);
      const T left_derivative = T(0.5) * (T(1) + th);
      const T right_derivative =
          T(0.5) * v * (T(1) - th * th) * T(kSqrt2OverPi) * (T(1) + T(3) * T(kKappa) * v * v);
      dx[i] += dy[i] * (left_derivative + right_derivative);
    } else {
      const T cdf = T(0.5) * (T(1) + std::erf(v * T(kSqrt1_2)));
      const T pdf = T(kInvSqrt2Pi) * std::exp(T(-0.5) * v * v);
      dx[i] += dy[i] * (cdf + v * pdf);
    }
  }
}

void gelu_backward_fast(float* dx, const float* dy, const float* x, int64_t n, bool tanh_approx) {
  constexpr float kB = kSqrt2OverPi, kK = kKappa, kP = kInvSqrt2Pi;
  if (tanh_approx) {
    simd_for(n, [&](int64_t i) {
      const float v = x[i];
      const float th = fast_tanh(kB * (v + kK * v * v * v));
      const float d = 0.5f * (1.f + th) + 0.5f * v * (1.f - th * th) * kB * (1.f + 3.f * kK * v * v);
      dx[i] += dy[i] * d;
    });
  } else {
    simd_for(n, [&](int64_t i) {
      const float v = x[i];
      const float sq = v * v, sq_lo = std::fma(v, v, -sq);  // v² exactly, for φ(v) = e^(−v²/2)/√(2π)
      dx[i] += dy[i] * (fast_normal_cdf(v) + v * kP * fast_exp(-0.5f * sq) * (1.f - 0.5f * sq_lo));
    });
  }
}

#define ATTN_INSTANTIATE(T)                                             \
  template void relu_forward<T>(T*, const T*, int64_t);                 \
  template void relu_backward<T>(T*, const T*, const T*, int64_t);      \
  template void tanh_forward_reference<T>(T*, const T*, int64_t);       \
  template void tanh_backward<T>(T*, const T*, const T*, int64_t);      \
  template void sigmoid_forward_reference<T>(T*, const T*, int64_t);    \
  template void sigmoid_backward<T>(T*, const T*, const T*, int64_t);   \
  template void gelu_forward_reference<T>(T*, const T*, int64_t, bool); \
  template void gelu_backward_reference<T>(T*, const T*, const T*, int64_t, bool);
ATTN_INSTANTIATE(float)
ATTN_INSTANTIATE(double)
#undef ATTN_INSTANTIATE
template void relu_forward<int64_t>(int64_t*, const int64_t*, int64_t);

}  // namespace attn::kernels
