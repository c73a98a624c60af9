// Scaled dot-product attention for inference, one (batch, head) per task (see attention.h).
#include "attn/kernels/cpu/attention.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "attn/core/threads.h"
#include "attn/kernels/cpu/gemm.h"
#include "attn/kernels/cpu/softmax.h"

namespace attn::kernels {

namespace {

// One head: S = Q·Kᵀ (Tq × Tk, in `scores`), S / √D + M row by row, softmax, O = S·V.
void one_head(int64_t b, int64_t h, Strided4<float> o, Strided4<const float> q, Strided4<const float> k,
              Strided4<const float> v, const AttentionMask& m, const AttentionSize& s, float* scores) {
  const int64_t zero = 0;
  const float* Q = q.data + b * q.sb + h * q.sh;
  const float* K = k.data + b * k.sb + h * k.sh;
  const float* V = v.data + b * v.sb + h * v.sh;
  float* O = o.data + b * o.sb + h * o.sh;
  // Kᵀ is (D, Tk): row stride k.sd, column stride k.st.
  matmul_f32({scores, &zero, s.Tk, 1}, {Q, &zero, q.st, q.sd}, {K, &zero, k.sd, k.st}, {1, s.Tq, s.Tk, s.D},
             false);
  // Divided by √D, not multiplied by its inverse: the composed op's (and HF BERT's) rounding.
  const auto sqrt_d = static_cast<float>(std::sqrt(static_cast<double>(s.D)));
  constexpr float neg_inf = -std::numeric_limits<float>::infinity();
  for (int64_t i = 0; i < s.Tq; ++i) {
    float* row = scores + i * s.Tk;
    if (m.data == nullptr) {
#pragma omp simd
      for (int64_t j = 0; j < s.Tk; ++j) row[j] /= sqrt_d;
    } else if (m.is_bool) {
      const auto* keep = static_cast<const uint8_t*>(m.data) + b * m.sb + h * m.sh + i * m.sq;
      for (int64_t j = 0; j < s.Tk; ++j) row[j] = keep[j * m.sk] ? row[j] / sqrt_d : neg_inf;
    } else {
      const auto* add = static_cast<const float*>(m.data) + b * m.sb + h * m.sh + i * m.sq;
      for (int64_t j = 0; j < s.Tk; ++j) row[j] = row[j] / sqrt_d + add[j * m.sk];
    }
  }
  softmax_forward_fast(scores, scores, s.Tq, s.Tk, 1);
  matmul_f32({O, &zero, o.st, o.sd}, {scores, &zero, s.Tk, 1}, {V, &zero, v.st, v.sd}, {1, s.Tq, s.Dv, s.Tk},
             false);
}

}  // namespace

void attention_forward_fused(Strided4<float> o, Strided4<const float> q, Strided4<const float> k,
                             Strided4<const float> v, const AttentionMask& mask, const AttentionSize& s) {
  const int64_t heads = s.B * s.H;
  if (heads == 0 || s.Tq == 0) return;
  const int nt = omp_in_parallel() ? 1 : static_cast<int>(std::min<int64_t>(get_num_threads(), heads));
#pragma omp parallel num_threads(nt)
  {
    // Each thread's scratch, reused for all of its heads; the products inside run on this thread alone.
    std::vector<float> scores(static_cast<size_t>(std::max<int64_t>(s.Tq * s.Tk, 1)));
    const int64_t t = omp_get_thread_num(), n = omp_get_num_threads();
    for (int64_t p = heads * t / n; p < heads * (t + 1) / n; ++p)
      one_head(p / s.H, p % s.H, o, q, k, v, mask, s, scores.data());
  }
}

}  // namespace attn::kernels
