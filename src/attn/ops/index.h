// attn/ops/index.h — selection by boolean masks: where and masked_fill (both broadcasting, differentiable).
//
// Masks are DType::Bool. Gradients flow to the selected side only and are summed back over broadcast
// dimensions (autograd::reduce_to_shape).
#pragma once

#include "attn/tensor/tensor.h"

namespace attn {

// out = cond ? a : b elementwise, cond/a/b broadcast together; a and b share a dtype.   torch.where
// da = where(cond, dout, 0), db = where(cond, 0, dout), each reduced to its input's shape.
Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b);

// out = mask ? value : x, mask broadcastable to x's shape (the output has x's shape).  torch.masked_fill
// dx = where(mask, 0, dout). Used for attention masks (value = −inf or −1e9).
Tensor masked_fill(const Tensor& x, const Tensor& mask, double value);

}  // namespace attn
