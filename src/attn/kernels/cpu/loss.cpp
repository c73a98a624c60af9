// NLL (with label smoothing) and squared-error kernels (see loss.h). Plain loops: these run once per batch on
// (N, C) logits whose log_softmax already dominates the cost.
#include "attn/kernels/cpu/loss.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "attn/kernels/cpu/parallel.h"
#include "attn/kernels/cpu/unary.h"

namespace attn::kernels {

template <typename T>
int64_t nll_loss_forward(T* loss, const T* logp, const int64_t* target, int64_t N, int64_t C, int64_t D,
                         int64_t ignore_index, double smoothing) {
  int64_t count = 0;
  for (int64_t n = 0; n < N; ++n) {
    for (int64_t d = 0; d < D; ++d) {
      const int64_t t = target[n * D + d];
      T& out = loss[n * D + d];
      if (t == ignore_index) {
        out = T(0);
        continue;
      }
      ++count;
      const T* p = logp + n * C * D + d;  // the C scores of position (n, d), at stride D
      double sum_all = 0;
      if (smoothing != 0)
        for (int64_t c = 0; c < C; ++c) sum_all += double(p[c * D]);
      out = static_cast<T>(-(1.0 - smoothing) * double(p[t * D]) - smoothing / double(C) * sum_all);
    }
  }
  return count;
}

template <typename T>
void nll_loss_backward(T* dlogp, const T* dloss, int64_t dloss_stride, const int64_t* target, int64_t N,
                       int64_t C, int64_t D, int64_t ignore_index, double smoothing) {
  for (int64_t n = 0; n < N; ++n) {
    for (int64_t d = 0; d < D; ++d) {
      const int64_t t = target[n * D + d];
      if (t == ignore_index) continue;
      const double g = double(dloss[(n * D + d) * dloss_stride]);
      T* p = dlogp + n * C * D + d;
      if (smoothing != 0) {
        const T uniform = static_cast<T>(-g * smoothing / double(C));
        for (int64_t c = 0; c < C; ++c) p[c * D] += uniform;
      }
      p[t * D] += static_cast<T>(-g * (1.0 - smoothing));
    }
  }
}

template <typename T>
int64_t cross_entropy_forward(T* loss, T* lse, const T* x, const int64_t* target, int64_t N, int64_t C,
                              int64_t D, int64_t ignore_index, double smoothing) {
  parallel_for(N, std::max<int64_t>(1, (1 << 15) / std::max<int64_t>(1, C * D)), [&](int64_t n0, int64_t n1) {
    for (int64_t n = n0; n < n1; ++n) {
      for (int64_t d = 0; d < D; ++d) {
        const T* p = x + n * C * D + d;  // the C logits of position (n, d), at stride D
        // Pass 1: max (stability); pass 2: Σ e^(x − max) and Σ x, accumulated in double.
        T m = -std::numeric_limits<T>::infinity();
        for (int64_t c = 0; c < C; ++c) m = std::max(m, p[c * D]);
        double sum_exp = 0, sum_x = 0;
        for (int64_t c = 0; c < C; ++c) {
          sum_exp += double(std::exp(p[c * D] - m));
          sum_x += double(p[c * D]);
        }
        const double l = double(m) + std::log(sum_exp);
        const int64_t t = target[n * D + d];
        lse[n * D + d] = static_cast<T>(l);
        loss[n * D + d] =
            t == ignore_index
                ? T(0)
                : static_cast<T>(l - (1.0 - smoothing) * double(p[t * D]) - smoothing / double(C) * sum_x);
      }
    }
  });
  int64_t count = 0;
  for (int64_t i = 0; i < N * D; ++i) count += target[i] != ignore_index;
  return count;
}

int64_t cross_entropy_forward_fast(float* loss, float* lse, const float* x, const int64_t* target, int64_t N,
                                   int64_t C, int64_t ignore_index, double smoothing) {
  parallel_for(N, std::max<int64_t>(1, (1 << 15) / std::max<int64_t>(1, C)), [&](int64_t n0, int64_t n1) {
    for (int64_t n = n0; n < n1; ++n) {
      const float* p = x + n * C;  // (C)
      const float m = lane_max(p, C);
      const float sum_exp = lane_sum(C, [&](int64_t c) { return fast_exp(p[c] - m); });
      const float sum_x = lane_sum(C, [&](int64_t c) { return p[c]; });
      const double l = double(m) + std::log(double(sum_exp));
      const int64_t t = target[n];
      lse[n] = static_cast<float>(l);
      loss[n] = t == ignore_index ? 0.f
                                  : static_cast<float>(l - (1.0 - smoothing) * double(p[t]) -
                                                       smoothing / double(C) * double(sum_x));
    }
  });
  int64_t count = 0;
  for (int64_t i = 0; i < N; ++i) count += target[i] != ignore_index;
  return count;
}

template <typename T>
void cross_entropy_backward(T* dx, const T* dloss, int64_t dloss_stride, const T* x, const T* lse,
                            const int64_t* target, int64_t N, int64_t C, int64_t D, int64_t ignore_index,
                            double smoothing) {
  parallel_for(N, std::max<int64_t>(1, (1 << 15) / std::max<int64_t>(1, C * D)), [&](int64_t n0, int64_t n1) {
    for (int64_t n = n0; n < n1; ++n) {
      for (int64_t d = 0; d < D; ++d) {
        const int64_t t = target[n * D + d];
        if (t == ignore_index) continue;
        const T g = dloss[(n * D + d) * dloss_stride], l = lse[n * D + d];
        const T uniform = static_cast<T>(smoothing / double(C));
        const T* p = x + n * C * D + d;
        T* q = dx + n * C * D + d;
        for (int64_t c = 0; c < C; ++c) q[c * D] += g * (std::exp(p[c * D] - l) - uniform);
        q[t * D] -= g * static_cast<T>(1.0 - smoothing);
      }
    }
  });
}

template <typename T>
void mse_loss_forward(T* out, const T* x, const T* y, int64_t n) {
  parallel_for(n, 1 << 15, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) out[i] = (x[i] - y[i]) * (x[i] - y[i]);
  });
}

template <typename T>
void mse_loss_backward(T* dx, T* dy, const T* x, const T* y, const T* dout, int64_t dout_stride, int64_t n,
                       double scale) {
  parallel_for(n, 1 << 15, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const T g = static_cast<T>(2 * scale) * (x[i] - y[i]) * dout[i * dout_stride];
      if (dx) dx[i] += g;
      if (dy) dy[i] -= g;
    }
  });
}

#define ATTN_LOSS_INSTANTIATE(T)                                                                         \
  template int64_t nll_loss_forward<T>(T*, const T*, const int64_t*, int64_t, int64_t, int64_t, int64_t, \
                                       double);                                                          \
  template void nll_loss_backward<T>(T*, const T*, int64_t, const int64_t*, int64_t, int64_t, int64_t,   \
                                     int64_t, double);                                                   \
  template int64_t cross_entropy_forward<T>(T*, T*, const T*, const int64_t*, int64_t, int64_t, int64_t, \
                                            int64_t, double);                                            \
  template void cross_entropy_backward<T>(T*, const T*, int64_t, const T*, const T*, const int64_t*,     \
                                          int64_t, int64_t, int64_t, int64_t, double);                   \
  template void mse_loss_forward<T>(T*, const T*, const T*, int64_t);                                    \
  template void mse_loss_backward<T>(T*, T*, const T*, const T*, const T*, int64_t, int64_t, double);
ATTN_LOSS_INSTANTIATE(float)
ATTN_LOSS_INSTANTIATE(double)
#undef ATTN_LOSS_INSTANTIATE

}  // namespace attn::kernels
