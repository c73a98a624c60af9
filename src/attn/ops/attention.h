// attn/ops/attention.h — scaled dot-product attention as one inference op (kernels/cpu/attention.h).
#pragma once

#include "attn/tensor/tensor.h"

namespace attn {

// softmax(Q Kᵀ / √D + M) V for inference: q (B, H, Tq, D), k (B, H, Tk, D), v (B, H, Tk, Dv), float32, any
// strides (e.g. the permuted (B, T, H, D) projections, read in place); mask optional, broadcastable to
// (B, H, Tq, Tk), Bool (false = masked, a fully masked row is NaN) or float32 (added: HF's extended mask).
// Returns (B, H, Tq, Dv) as a permuted view of a contiguous (B, Tq, H, Dv) tensor, so merging the heads
// back into (B, Tq, H·Dv) is free. Records no graph: an error if an input requires grad while grad mode
// is on — training uses nn::scaled_dot_product_attention, the composed oracle this op is tested against.
Tensor attention_inference(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask = Tensor());

}  // namespace attn
