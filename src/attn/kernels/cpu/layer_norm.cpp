// layer_norm kernels: plain references (float, double) and vectorised float versions.
#include "attn/kernels/cpu/layer_norm.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>
#include <vector>

#include "attn/kernels/cpu/parallel.h"
#include "attn/kernels/cpu/unary.h"

namespace attn::kernels {

// ---------------------------------------------------------------------------------------------------------
// Reference (llm.c's layernorm_forward / layernorm_backward, with optional affine and double sums).

template <typename T>
void layer_norm_forward_reference(T* out, T* mean, T* rstd, const T* x, const T* w, const T* b, int64_t rows,
                                  int64_t C, double eps) {
  for (int64_t r = 0; r < rows; ++r) {
    const T* xr = x + r * C;  // (C)
    double m = 0, v = 0;
    for (int64_t c = 0; c < C; ++c) m += xr[c];
    m /= static_cast<double>(C);
    for (int64_t c = 0; c < C; ++c) v += (xr[c] - m) * (xr[c] - m);
    v /= static_cast<double>(C);
    const double s = 1.0 / std::sqrt(v + eps);
    for (int64_t c = 0; c < C; ++c) {
      const double n = (xr[c] - m) * s;
      out[r * C + c] = static_cast<T>(n * (w ? w[c] : T(1)) + (b ? b[c] : T(0)));
    }
    mean[r] = static_cast<T>(m);
    rstd[r] = static_cast<T>(s);
  }
}

template <typename T>
void layer_norm_backward_reference(T* dx, T* dw, T* db, const T* dout, const T* x, const T* w, const T* mean,
                                   const T* rstd, int64_t rows, int64_t C) {
  for (int64_t r = 0; r < rows; ++r) {
    const T *dr = dout + r * C, *xr = x + r * C;  // (C)
    double dnorm_mean = 0, dnorm_norm_mean = 0;
    for (int64_t c = 0; c < C; ++c) {
      const double norm = (xr[c] - mean[r]) * static_cast<double>(rstd[r]);
      const double dnorm = static_cast<double>(w ? w[c] : T(1)) * dr[c];
      dnorm_mean += dnorm;
      dnorm_norm_mean += dnorm * norm;
      if (db) db[c] += dr[c];
      if (dw) dw[c] += static_cast<T>(norm * dr[c]);
    }
    dnorm_mean /= static_cast<double>(C);
    dnorm_norm_mean /= static_cast<double>(C);
    if (!dx) continue;
    for (int64_t c = 0; c < C; ++c) {
      const double norm = (xr[c] - mean[r]) * static_cast<double>(rstd[r]);
      const double dnorm = static_cast<double>(w ? w[c] : T(1)) * dr[c];
      dx[r * C + c] = static_cast<T>((dnorm - dnorm_mean - norm * dnorm_norm_mean) * rstd[r]);
    }
  }
}

template void layer_norm_forward_reference<float>(float*, float*, float*, const float*, const float*,
                                                  const float*, int64_t, int64_t, double);
template void layer_norm_forward_reference<double>(double*, double*, double*, const double*, const double*,
                                                   const double*, int64_t, int64_t, double);
template void layer_norm_backward_reference<float>(float*, float*, float*, const float*, const float*,
                                                   const float*, const float*, const float*, int64_t,
                                                   int64_t);
template void layer_norm_backward_reference<double>(double*, double*, double*, const double*, const double*,
                                                    const double*, const double*, const double*, int64_t,
                                                    int64_t);

// ---------------------------------------------------------------------------------------------------------
// Fast float.

namespace {
constexpr int64_t kGrainElements = 1 << 14;  // below this many elements per thread, stay serial

int64_t row_grain(int64_t C) { return std::max<int64_t>(1, kGrainElements / std::max<int64_t>(C, 1)); }

// One row: mean and rstd, then out = (x − mean)·rstd·w + b.
void forward_row(float* out, float* mean, float* rstd, const float* x, const float* w, const float* b,
                 int64_t C, float eps) {
  const float m = lane_sum(C, [&](int64_t c) { return x[c]; }) / static_cast<float>(C);
  const float sq = lane_sum(C, [&](int64_t c) { return (x[c] - m) * (x[c] - m); });
  const float s = 1.f / std::sqrt(sq / static_cast<float>(C) + eps);
  if (w && b) {
#pragma omp simd
    for (int64_t c = 0; c < C; ++c) out[c] = (x[c] - m) * s * w[c] + b[c];
  } else {
#pragma omp simd
    for (int64_t c = 0; c < C; ++c) out[c] = (x[c] - m) * s * (w ? w[c] : 1.f) + (b ? b[c] : 0.f);
  }
  *mean = m;
  *rstd = s;
}
}  // namespace

void layer_norm_forward_fast(float* out, float* mean, float* rstd, const float* x, const float* w,
                             const float* b, int64_t rows, int64_t C, double eps) {
  parallel_for(rows, row_grain(C), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r)
      forward_row(out + r * C, mean + r, rstd + r, x + r * C, w, b, C, static_cast<float>(eps));
  });
}

namespace {
constexpr int64_t kRowsPerChunk = 32;  // backward: dw/db partial sums are kept per chunk of rows

// {mean_C(dout·w), mean_C(dout·w·norm)} of one row in one pass over dout and x (two memory streams at once:
// one thread's bandwidth needs both in flight), 16 lanes each in GCC vector registers, reduced in
// lane_sum's order (lanes, then halves 8, 4, 2, 1, then the tail). Plain float[16] lane arrays here were
// kept on the stack by GCC — a store-to-load chain every iteration.
std::pair<float, float> backward_row_means(const float* dout, const float* x, const float* w, float m,
                                           float s, int64_t C) {
  using v16 = float __attribute__((vector_size(64)));
  v16 va = {}, vn = {};
  int64_t c = 0;
  for (; c + 16 <= C; c += 16) {
    v16 d, xv, wv;
    std::memcpy(&d, dout + c, sizeof d);
    std::memcpy(&xv, x + c, sizeof xv);
    if (w) {
      std::memcpy(&wv, w + c, sizeof wv);
      d *= wv;
    }
    va += d;
    vn += d * ((xv - m) * s);
  }
  float la[16], ln[16];
  std::memcpy(la, &va, sizeof la);
  std::memcpy(ln, &vn, sizeof ln);
  for (int64_t h = 8; h > 0; h /= 2) {
    for (int64_t j = 0; j < h; ++j) {
      la[j] += la[j + h];
      ln[j] += ln[j + h];
    }
  }
  for (; c < C; ++c) {
    const float dnorm = dout[c] * (w ? w[c] : 1.f);
    la[0] += dnorm;
    ln[0] += dnorm * ((x[c] - m) * s);
  }
  return {la[0] / static_cast<float>(C), ln[0] / static_cast<float>(C)};
}

// One row of backward: dx = rstd·(dout·w − mean(dout·w) − norm·mean(dout·w·norm)) (written, not added:
// no read of dx), and the row's dw, db terms added into the chunk's partial sums pw, pb (either may be
// nullptr). Without FMA contraction: dout·w must round exactly as in backward_row_means, or a row whose
// terms cancel exactly (C = 1, or a constant row) keeps a rounding residual that rstd then magnifies.
__attribute__((optimize("fp-contract=off"))) void backward_row(float* dx, float* pw, float* pb,
                                                               const float* dout, const float* x,
                                                               const float* w, float m, float s, int64_t C) {
  const auto [a, an] = backward_row_means(dout, x, w, m, s, C);
  if (dx && pw && pb && w) {  // the usual case (affine, all gradients): one fused pass
#pragma omp simd
    for (int64_t c = 0; c < C; ++c) {
      const float norm = (x[c] - m) * s;
      dx[c] = (dout[c] * w[c] - a - norm * an) * s;
      pw[c] += dout[c] * norm;
      pb[c] += dout[c];
    }
    return;
  }
  if (dx) {
#pragma omp simd
    for (int64_t c = 0; c < C; ++c) dx[c] = (dout[c] * (w ? w[c] : 1.f) - a - (x[c] - m) * s * an) * s;
  }
  if (pw) {
#pragma omp simd
    for (int64_t c = 0; c < C; ++c) pw[c] += dout[c] * (x[c] - m) * s;
  }
  if (pb) {
#pragma omp simd
    for (int64_t c = 0; c < C; ++c) pb[c] += dout[c];
  }
}
}  // namespace

// One pass over the rows, in fixed chunks of kRowsPerChunk rows spread over the threads; each chunk sums
// its rows' dw, db terms into its own partial row, and the partials are then added in chunk order. The
// chunking does not depend on the thread count, so neither do the results.
void layer_norm_backward_fast(float* dx, float* dw, float* db, const float* dout, const float* x,
                              const float* w, const float* mean, const float* rstd, int64_t rows, int64_t C) {
  const int64_t chunks = (rows + kRowsPerChunk - 1) / kRowsPerChunk;
  // The partial sums live in the calling thread's scratch, kept between calls (a fresh multi-MB vector per
  // call costs page faults) and zeroed here. The workers reach it through the plain pointers pw, pb (a
  // thread_local named inside the parallel region would be each worker's own, empty one).
  thread_local std::vector<float> scratch;
  scratch.assign(static_cast<size_t>(chunks * C) * ((dw ? 1 : 0) + (db ? 1 : 0)), 0.f);
  float* pw = dw ? scratch.data() : nullptr;
  float* pb = db ? scratch.data() + (dw ? chunks * C : 0) : nullptr;
  parallel_for(chunks, std::max<int64_t>(1, kGrainElements / std::max<int64_t>(kRowsPerChunk * C, 1)),
               [&](int64_t k0, int64_t k1) {
                 for (int64_t k = k0; k < k1; ++k) {
                   for (int64_t r = k * kRowsPerChunk; r < std::min(rows, (k + 1) * kRowsPerChunk); ++r) {
                     backward_row(dx ? dx + r * C : nullptr, pw ? pw + k * C : nullptr,
                                  pb ? pb + k * C : nullptr, dout + r * C, x + r * C, w, mean[r], rstd[r], C);
                   }
                 }
               });
  if (!dw && !db) return;
  parallel_for(C, kGrainElements / std::max<int64_t>(chunks, 1), [&](int64_t c0, int64_t c1) {
    for (int64_t k = 0; k < chunks; ++k) {
      if (dw) {
#pragma omp simd
        for (int64_t c = c0; c < c1; ++c) dw[c] += pw[k * C + c];
      }
      if (db) {
#pragma omp simd
        for (int64_t c = c0; c < c1; ++c) db[c] += pb[k * C + c];
      }
    }
  });
}

}  // namespace attn::kernels
