// attention_inference: validate → allocate → the fused kernel; no autograd node (inference only).
#include "attn/ops/attention.h"

#include "attn/autograd/grad_mode.h"
#include "attn/core/error.h"
#include "attn/kernels/cpu/attention.h"
#include "attn/ops/shape.h"
#include "attn/tensor/creation.h"
#include "attn/tensor/view.h"

namespace attn {

namespace {
template <typename T>
kernels::Strided4<T> strided4(const Tensor& t) {
  const auto& st = t.strides();
  return {static_cast<T*>(t.data<float>()), st[0], st[1], st[2], st[3]};
}
}  // namespace

Tensor attention_inference(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask) {
  ATTN_CHECK_KIND(DTypeMismatch,
                  q.dtype() == DType::F32 && k.dtype() == DType::F32 && v.dtype() == DType::F32,
                  "attention_inference: expected float32 q, k, v, got {}, {}, {}", dtype_name(q.dtype()),
                  dtype_name(k.dtype()), dtype_name(v.dtype()));
  ATTN_CHECK_KIND(ShapeMismatch,
                  q.dim() == 4 && k.dim() == 4 && v.dim() == 4 && k.size(0) == q.size(0) &&
                      v.size(0) == q.size(0) && k.size(1) == q.size(1) && v.size(1) == q.size(1) &&
                      k.size(3) == q.size(3) && v.size(2) == k.size(2) && q.size(3) > 0,
                  "attention_inference: expected q (B, H, Tq, D), k (B, H, Tk, D), v (B, H, Tk, Dv), got {}, "
                  "{}, {}",
                  shape_str(q.shape()), shape_str(k.shape()), shape_str(v.shape()));
  ATTN_CHECK(!(GradMode::is_enabled() && (q.requires_grad() || k.requires_grad() || v.requires_grad())),
             "attention_inference: records no graph, but an input requires grad (use "
             "nn::scaled_dot_product_attention to train, or a NoGradGuard)");
  const int64_t B = q.size(0), H = q.size(1), Tq = q.size(2), D = q.size(3), Tk = k.size(2), Dv = v.size(3);
  kernels::AttentionMask m;
  Tensor keep_alive;
  if (mask.defined()) {
    ATTN_CHECK_KIND(DTypeMismatch, mask.dtype() == DType::Bool || mask.dtype() == DType::F32,
                    "attention_inference: the mask must be Bool or float32, got {}",
                    dtype_name(mask.dtype()));
    ATTN_CHECK_KIND(ShapeMismatch, mask.dim() <= 4, "attention_inference: mask {} does not broadcast to {}",
                    shape_str(mask.shape()), shape_str({B, H, Tq, Tk}));
    const Layout l = expand_layout(mask.layout(), {B, H, Tq, Tk});  // checks the broadcast, no copy
    keep_alive = make_view(mask, l);
    m = {keep_alive.data_ptr(), mask.dtype() == DType::Bool, l.strides[0], l.strides[1], l.strides[2],
         l.strides[3]};
  }
  Tensor out = empty({B, Tq, H, Dv});           // heads side by side: the layout the next linear layer reads
  const Tensor o = permute(out, {0, 2, 1, 3});  // (B, H, Tq, Dv) view
  kernels::attention_forward_fused(strided4<float>(o), strided4<const float>(q), strided4<const float>(k),
                                   strided4<const float>(v), m, {B, H, Tq, Tk, D, Dv});
  return o;
}

}  // namespace attn
