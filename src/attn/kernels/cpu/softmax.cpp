// softmax / log_softmax kernels: plain references (float, double) and vectorised float versions.
#include "attn/kernels/cpu/softmax.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "attn/kernels/cpu/parallel.h"
#include "attn/kernels/cpu/unary.h"

namespace attn::kernels {

// ---------------------------------------------------------------------------------------------------------
// Reference: one (n, k) line at a time, element stride `inner`, sums in double.

namespace {
template <typename T>
T line_max(const T* x, int64_t C, int64_t inner) {
  T m = -std::numeric_limits<T>::infinity();
  for (int64_t c = 0; c < C; ++c) m = std::max(m, x[c * inner]);
  return m;
}

// Calls f(line start offset) for every (n, k) line of an (outer, C, inner) tensor.
template <typename F>
void for_each_line(int64_t outer, int64_t C, int64_t inner, F f) {
  for (int64_t n = 0; n < outer; ++n)
    for (int64_t k = 0; k < inner; ++k) f(n * C * inner + k);
}
}  // namespace

template <typename T>
void softmax_forward_reference(T* y, const T* x, int64_t outer, int64_t C, int64_t inner) {
  for_each_line(outer, C, inner, [&](int64_t o) {
    const T m = line_max(x + o, C, inner);
    double sum = 0;
    for (int64_t c = 0; c < C; ++c) sum += std::exp(static_cast<double>(x[o + c * inner]) - m);
    for (int64_t c = 0; c < C; ++c)
      y[o + c * inner] = static_cast<T>(std::exp(static_cast<double>(x[o + c * inner]) - m) / sum);
  });
}

template <typename T>
void softmax_backward_reference(T* dx, const T* dy, const T* y, int64_t outer, int64_t C, int64_t inner) {
  for_each_line(outer, C, inner, [&](int64_t o) {
    double dot = 0;  // Σ_c dy ⊙ y
    for (int64_t c = 0; c < C; ++c) dot += static_cast<double>(dy[o + c * inner]) * y[o + c * inner];
    for (int64_t c = 0; c < C; ++c) {
      const int64_t i = o + c * inner;
      dx[i] += static_cast<T>(y[i] * (dy[i] - dot));
    }
  });
}

template <typename T>
void log_softmax_forward_reference(T* y, const T* x, int64_t outer, int64_t C, int64_t inner) {
  for_each_line(outer, C, inner, [&](int64_t o) {
    const T m = line_max(x + o, C, inner);
    double sum = 0;
    for (int64_t c = 0; c < C; ++c) sum += std::exp(static_cast<double>(x[o + c * inner]) - m);
    const double log_sum = std::log(sum);  // x − m − log_sum: an all −inf line has x − m = NaN (as torch)
    for (int64_t c = 0; c < C; ++c)
      y[o + c * inner] = static_cast<T>(static_cast<double>(x[o + c * inner]) - m - log_sum);
  });
}

template <typename T>
void log_softmax_backward_reference(T* dx, const T* dy, const T* y, int64_t outer, int64_t C, int64_t inner) {
  for_each_line(outer, C, inner, [&](int64_t o) {
    double sum = 0;  // Σ_c dy
    for (int64_t c = 0; c < C; ++c) sum += dy[o + c * inner];
    for (int64_t c = 0; c < C; ++c) {
      const int64_t i = o + c * inner;
      dx[i] += static_cast<T>(dy[i] - std::exp(static_cast<double>(y[i])) * sum);
    }
  });
}

template void softmax_forward_reference<float>(float*, const float*, int64_t, int64_t, int64_t);
template void softmax_forward_reference<double>(double*, const double*, int64_t, int64_t, int64_t);
template void softmax_backward_reference<float>(float*, const float*, const float*, int64_t, int64_t,
                                                int64_t);
template void softmax_backward_reference<double>(double*, const double*, const double*, int64_t, int64_t,
                                                 int64_t);
template void log_softmax_forward_reference<float>(float*, const float*, int64_t, int64_t, int64_t);
template void log_softmax_forward_reference<double>(double*, const double*, int64_t, int64_t, int64_t);
template void log_softmax_backward_reference<float>(float*, const float*, const float*, int64_t, int64_t,
                                                    int64_t);
template void log_softmax_backward_reference<double>(double*, const double*, const double*, int64_t, int64_t,
                                                     int64_t);

// ---------------------------------------------------------------------------------------------------------
// Fast float. inner = 1: each thread takes whole rows; 16-lane max and sums (lane_sum) and `omp simd` loops
// vectorise the max, the exp-and-sum and the scaling. inner > 1: the C values of a line are `inner` apart, so
// a block of up to kBlock neighbouring lines is processed together, with the vector running along k
// (contiguous).

namespace {
constexpr int64_t kGrainElements = 1 << 14;  // below this many elements per thread, stay serial
constexpr int64_t kBlock = 256;              // lines per block when inner > 1

// y = e^(x − m) over one row; returns Σ y.
float exp_store_sum(float* y, const float* x, float m, int64_t C) {
  return lane_sum(C, [&](int64_t c) {
    const float e = fast_exp(x[c] - m);
    y[c] = e;
    return e;
  });
}

// Σ e^(x − m) over one row, storing nothing.
float exp_sum(const float* x, float m, int64_t C) {
  return lane_sum(C, [&](int64_t c) { return fast_exp(x[c] - m); });
}

int64_t row_grain(int64_t C) { return std::max<int64_t>(1, kGrainElements / std::max<int64_t>(C, 1)); }

// Runs f(x_line, y_line, width) over blocks of ≤ kBlock neighbouring lines of an (outer, C, inner) tensor.
template <typename F>
void for_each_block(int64_t outer, int64_t inner, int64_t C, F f) {
  const int64_t blocks_per_n = (inner + kBlock - 1) / kBlock;
  parallel_for(outer * blocks_per_n, row_grain(C * kBlock), [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; ++b) {
      const int64_t n = b / blocks_per_n, k0 = (b % blocks_per_n) * kBlock;
      f(n * C * inner + k0, std::min(kBlock, inner - k0));
    }
  });
}

// Softmax or log-softmax over C for `w` neighbouring lines starting at x (stride `inner` between c's).
void strided_forward(float* y, const float* x, int64_t C, int64_t inner, int64_t w, bool log) {
  float m[kBlock], s[kBlock];
  for (int64_t k = 0; k < w; ++k) {
    m[k] = -std::numeric_limits<float>::infinity();
    s[k] = 0;
  }
  for (int64_t c = 0; c < C; ++c)
#pragma omp simd
    for (int64_t k = 0; k < w; ++k) m[k] = std::max(m[k], x[c * inner + k]);
  for (int64_t c = 0; c < C; ++c)
#pragma omp simd
    for (int64_t k = 0; k < w; ++k) s[k] += fast_exp(x[c * inner + k] - m[k]);
  for (int64_t k = 0; k < w; ++k) s[k] = log ? std::log(s[k]) : 1.f / s[k];
  for (int64_t c = 0; c < C; ++c)
#pragma omp simd
    for (int64_t k = 0; k < w; ++k) {
      const float v = x[c * inner + k];
      y[c * inner + k] = log ? (v - m[k]) - s[k] : fast_exp(v - m[k]) * s[k];
    }
}

// Backward over `w` neighbouring lines: softmax dx += y(dy − Σ dy·y); log-softmax dx += dy − e^y Σ dy.
void strided_backward(float* dx, const float* dy, const float* y, int64_t C, int64_t inner, int64_t w,
                      bool log) {
  float s[kBlock];
  for (int64_t k = 0; k < w; ++k) s[k] = 0;
  for (int64_t c = 0; c < C; ++c)
#pragma omp simd
    for (int64_t k = 0; k < w; ++k) s[k] += log ? dy[c * inner + k] : dy[c * inner + k] * y[c * inner + k];
  for (int64_t c = 0; c < C; ++c)
#pragma omp simd
    for (int64_t k = 0; k < w; ++k) {
      const int64_t i = c * inner + k;
      dx[i] += log ? dy[i] - fast_exp(y[i]) * s[k] : y[i] * (dy[i] - s[k]);
    }
}
}  // namespace

void softmax_forward_fast(float* y, const float* x, int64_t outer, int64_t C, int64_t inner) {
  if (inner != 1) {
    for_each_block(outer, inner, C,
                   [&](int64_t o, int64_t w) { strided_forward(y + o, x + o, C, inner, w, false); });
    return;
  }
  parallel_for(outer, row_grain(C), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const float* xr = x + r * C;  // (C)
      float* yr = y + r * C;        // (C)
      const float inv = 1.f / exp_store_sum(yr, xr, lane_max(xr, C), C);
#pragma omp simd
      for (int64_t c = 0; c < C; ++c) yr[c] *= inv;
    }
  });
}

void softmax_backward_fast(float* dx, const float* dy, const float* y, int64_t outer, int64_t C,
                           int64_t inner) {
  if (inner != 1) {
    for_each_block(outer, inner, C, [&](int64_t o, int64_t w) {
      strided_backward(dx + o, dy + o, y + o, C, inner, w, false);
    });
    return;
  }
  parallel_for(outer, row_grain(C), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const float *dyr = dy + r * C, *yr = y + r * C;
      float* dxr = dx + r * C;
      const float dot = lane_sum(C, [&](int64_t c) { return dyr[c] * yr[c]; });
#pragma omp simd
      for (int64_t c = 0; c < C; ++c) dxr[c] += yr[c] * (dyr[c] - dot);
    }
  });
}

void log_softmax_forward_fast(float* y, const float* x, int64_t outer, int64_t C, int64_t inner) {
  if (inner != 1) {
    for_each_block(outer, inner, C,
                   [&](int64_t o, int64_t w) { strided_forward(y + o, x + o, C, inner, w, true); });
    return;
  }
  parallel_for(outer, row_grain(C), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const float* xr = x + r * C;
      float* yr = y + r * C;
      const float m = lane_max(xr, C);
      const float log_sum = std::log(exp_sum(xr, m, C));
#pragma omp simd
      for (int64_t c = 0; c < C; ++c)
        yr[c] = (xr[c] - m) - log_sum;  // not x − (m + log_sum): exact when x = m
    }
  });
}

void log_softmax_backward_fast(float* dx, const float* dy, const float* y, int64_t outer, int64_t C,
                               int64_t inner) {
  if (inner != 1) {
    for_each_block(outer, inner, C,
                   [&](int64_t o, int64_t w) { strided_backward(dx + o, dy + o, y + o, C, inner, w, true); });
    return;
  }
  parallel_for(outer, row_grain(C), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const float *dyr = dy + r * C, *yr = y + r * C;
      float* dxr = dx + r * C;
      const float sum = lane_sum(C, [&](int64_t c) { return dyr[c]; });
#pragma omp simd
      for (int64_t c = 0; c < C; ++c) dxr[c] += dyr[c] - fast_exp(yr[c]) * sum;
    }
  });
}

}  // namespace attn::kernels
