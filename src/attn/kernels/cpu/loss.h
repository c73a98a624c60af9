// attn/kernels/cpu/loss.h — loss kernels: negative log-likelihood over class scores (with PyTorch's label
// smoothing and ignore_index) and squared error (STYLE P3).
//
// Class scores are seen as (N, C, D): N samples, C classes, D = product of the extra dimensions d1… of
// torch's (N, C, d1, …) input, so position (n, d) has its C scores at stride D. Targets are (N, D).
#pragma once

#include <cstdint>

namespace attn::kernels {

// loss[n, d] = −(1 − ε)·logp[n, t, d] − (ε / C)·Σ_c logp[n, c, d] with t = target[n, d], or 0 where
// t == ignore_index (ε = label_smoothing; ε = 0 is plain nll_loss). Returns the number of positions not
// ignored (the divisor of the mean) — loss: (N, D), logp: (N, C, D), target: (N, D)
template <typename T>
int64_t nll_loss_forward(T* loss, const T* logp, const int64_t* target, int64_t N, int64_t C, int64_t D,
                         int64_t ignore_index, double smoothing);

// Inverts the line above: dlogp[n, c, d] += −dloss[n, d]·((1 − ε)·[c == t] + ε / C) for positions not
// ignored; dloss is read at (n·D + d)·dloss_stride (stride 0: one value for all, the sum/mean case)
// — dlogp: (N, C, D), dloss: (N, D) or (1), target: (N, D)
template <typename T>
void nll_loss_backward(T* dlogp, const T* dloss, int64_t dloss_stride, const int64_t* target, int64_t N,
                       int64_t C, int64_t D, int64_t ignore_index, double smoothing);

// cross_entropy fused: log_softmax and the smoothed NLL above in one pass, without materialising logp:
//   loss[n, d] = lse − (1 − ε)·x[n, t, d] − (ε / C)·Σ_c x[n, c, d],  lse = log Σ_c e^x[n, c, d]
// (0 where t == ignore_index); lse is saved for backward. Returns the non-ignored count.
// — loss, lse: (N, D), x: (N, C, D), target: (N, D)
template <typename T>
int64_t cross_entropy_forward(T* loss, T* lse, const T* x, const int64_t* target, int64_t N, int64_t C,
                              int64_t D, int64_t ignore_index, double smoothing);

// The same for float logits with contiguous classes (D = 1), vectorised: row max, Σ e^(x − max) with
// fast_exp and Σ x, both in 16 float lanes (lane_sum), instead of scalar std::exp accumulated in double.
// Within ~1e-6 relative of cross_entropy_forward<float> (kernels test). The reference was 6 % of a
// Transformer training step (perf, bench_transformer; V = 8000).
int64_t cross_entropy_forward_fast(float* loss, float* lse, const float* x, const int64_t* target, int64_t N,
                                   int64_t C, int64_t ignore_index, double smoothing);

// Inverts the line above: dx[n, c, d] += dloss[n, d]·(e^(x[n, c, d] − lse[n, d]) − (1 − ε)·[c == t] − ε / C)
// for positions not ignored; dloss read at (n·D + d)·dloss_stride — dx, x: (N, C, D), dloss, lse: (N, D)
template <typename T>
void cross_entropy_backward(T* dx, const T* dloss, int64_t dloss_stride, const T* x, const T* lse,
                            const int64_t* target, int64_t N, int64_t C, int64_t D, int64_t ignore_index,
                            double smoothing);

// out[i] = (x[i] − y[i])² — out, x, y: (n)
template <typename T>
void mse_loss_forward(T* out, const T* x, const T* y, int64_t n);

// Inverts `out[i] = (x[i] − y[i])²`: dx[i] += 2(x[i] − y[i])·dout[i·dout_stride]·scale, dy[i] −= the same
// (dx or dy may be null: no gradient wanted) — dx, dy, x, y: (n)
template <typename T>
void mse_loss_backward(T* dx, T* dy, const T* x, const T* y, const T* dout, int64_t dout_stride, int64_t n,
                       double scale);

}  // namespace attn::kernels
