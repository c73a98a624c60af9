// nn::scaled_dot_product_attention — softmax(Q Kᵀ / √d_k + M) V as a composition of differentiable ops.
#include "attn/nn/attention.h"

#include <cmath>
#include <limits>

#include "attn/ops/binary.h"
#include "attn/ops/dropout.h"
#include "attn/ops/index.h"
#include "attn/ops/matmul.h"
#include "attn/ops/shape.h"
#include "attn/ops/softmax.h"
#include "attn/tensor/creation.h"

namespace attn::nn {

AttentionOutput scaled_dot_product_attention(const Tensor& q, const Tensor& k, const Tensor& v,
                                             const Tensor& mask, double dropout_p, bool training,
                                             Generator& gen) {
  ATTN_CHECK(q.dim() >= 2 && k.dim() >= 2 && v.dim() >= 2,
             "scaled_dot_product_attention: expected q, k, v with at least 2 dims (…, T, D), got {}, {}, {}",
             shape_str(q.shape()), shape_str(k.shape()), shape_str(v.shape()));
  ATTN_CHECK_KIND(ShapeMismatch, q.size(-1) == k.size(-1),
                  "scaled_dot_product_attention: q and k must share the head size D, got q {} and k {}",
                  shape_str(q.shape()), shape_str(k.shape()));
  ATTN_CHECK_KIND(ShapeMismatch, k.size(-2) == v.size(-2),
                  "scaled_dot_product_attention: k and v must have the same length Tk, got k {} and v {}",
                  shape_str(k.shape()), shape_str(v.shape()));
  const double d_k = static_cast<double>(q.size(-1));

  // scores = Q Kᵀ / √d_k — divided, not multiplied by 1/√d_k, as HF BERT and the annotated Transformer do.
  Tensor scores = div(matmul(q, transpose(k, -2, -1)), std::sqrt(d_k));  // (B, H, Tq, Tk)
  if (mask.defined()) {
    if (mask.dtype() == DType::Bool) {
      const Tensor neg_inf = scalar_tensor(-std::numeric_limits<double>::infinity(), scores.dtype());
      scores = where(mask, scores, neg_inf);  // false → −inf → probability 0
    } else {
      ATTN_CHECK_KIND(DTypeMismatch, mask.dtype() == scores.dtype(),
                      "scaled_dot_product_attention: an additive mask must have q's dtype {}, got {}",
                      dtype_name(scores.dtype()), dtype_name(mask.dtype()));
      scores = add(scores, mask);  // (B, H, Tq, Tk) + broadcast mask
    }
  }
  Tensor weights = softmax(scores, -1);  // (B, H, Tq, Tk), rows sum to 1
  Tensor p = dropout_p > 0.0 && training ? dropout(weights, dropout_p, training, gen) : weights;
  return {matmul(p, v), weights};  // (B, H, Tq, Dv)
}

}  // namespace attn::nn
