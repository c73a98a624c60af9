// attn/kernels/cpu/layer_norm.h — layer normalisation over the last C values of each row (llm.c's
// layernorm_forward / layernorm_backward), forward/backward pair (STYLE P3).
//
//   mean = Σ x / C,  var = Σ (x − mean)² / C (biased, as torch),  rstd = 1/√(var + eps)
//   out  = (x − mean) · rstd · w + b          (w, b optional: nullptr means w = 1, b = 0)
// Forward saves mean and rstd per row for backward. Backward WRITES dx (=, so the caller need not zero it and
// the kernel never reads it) and accumulates (+=) into dw, db; any of the three may be nullptr when that
// gradient is not needed.
//
// *_reference: plain loops, float and double, sums in double. *_fast: float, OpenMP over rows; forward takes
// two passes over each row (mean, then variance: as accurate as Welford); backward one pass over the rows
// with dw/db summed per fixed chunk of rows and the chunks added in order, so that results do not depend on
// the thread count.
#pragma once

#include <cstdint>
#include <type_traits>

namespace attn::kernels {

// out: (rows, C)  mean, rstd: (rows)  x: (rows, C)  w, b: (C) or nullptr
template <typename T>
void layer_norm_forward_reference(T* out, T* mean, T* rstd, const T* x, const T* w, const T* b, int64_t rows,
                                  int64_t C, double eps);
// Inverts out = norm·w + b with norm = (x − mean)·rstd:
//   db += Σ_rows dout,  dw += Σ_rows dout·norm,
//   dx  = rstd · (dout·w − mean_C(dout·w) − norm · mean_C(dout·w·norm))
// dx: (rows, C) or nullptr  dw, db: (C) or nullptr  dout, x: (rows, C)  w: (C) or nullptr  mean, rstd: (rows)
template <typename T>
void layer_norm_backward_reference(T* dx, T* dw, T* db, const T* dout, const T* x, const T* w, const T* mean,
                                   const T* rstd, int64_t rows, int64_t C);

void layer_norm_forward_fast(float* out, float* mean, float* rstd, const float* x, const float* w,
                             const float* b, int64_t rows, int64_t C, double eps);
void layer_norm_backward_fast(float* dx, float* dw, float* db, const float* dout, const float* x,
                              const float* w, const float* mean, const float* rstd, int64_t rows, int64_t C);

// The implementation ops call: fast for float, reference otherwise.
template <typename T>
void layer_norm_forward(T* out, T* mean, T* rstd, const T* x, const T* w, const T* b, int64_t rows, int64_t C,
                        double eps) {
  if constexpr (std::is_same_v<T, float>) {
    layer_norm_forward_fast(out, mean, rstd, x, w, b, rows, C, eps);
  } else {
    layer_norm_forward_reference(out, mean, rstd, x, w, b, rows, C, eps);
  }
}
template <typename T>
void layer_norm_backward(T* dx, T* dw, T* db, const T* dout, const T* x, const T* w, const T* mean,
                         const T* rstd, int64_t rows, int64_t C) {
  if constexpr (std::is_same_v<T, float>) {
    layer_norm_backward_fast(dx, dw, db, dout, x, w, mean, rstd, rows, C);
  } else {
    layer_norm_backward_reference(dx, dw, db, dout, x, w, mean, rstd, rows, C);
  }
}

}  // namespace attn::kernels
