// attn/ops/norm.h — layer normalisation over the trailing dimensions, with optional affine weight and bias.
//
// Kernels: attn/kernels/cpu/layer_norm.h (saves the per-row mean and 1/std for backward). nn::LayerNorm
// holds the weight and bias and calls this.
#pragma once

#include "attn/tensor/tensor.h"

namespace attn {

// y = (x − E[x]) / √(Var[x] + eps) · weight + bias, the mean and biased variance taken over the last
// normalized_shape.size() dimensions, which must equal normalized_shape; weight and bias have shape
// normalized_shape or are undefined Tensors (then 1 and 0).        torch.nn.functional.layer_norm
Tensor layer_norm(const Tensor& x, const Shape& normalized_shape, const Tensor& weight = Tensor(),
                  const Tensor& bias = Tensor(), double eps = 1e-5);

}  // namespace attn
