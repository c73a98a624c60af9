// attn/ops/linear.h — the affine map of nn.Linear: y = x·Wᵀ + b, with PyTorch's weight layout.
#pragma once

#include "attn/tensor/tensor.h"

namespace attn {

// y = x·Wᵀ + b — x: (…, in), weight: (out, in), bias: (out) or undefined; y: (…, out).
// One gemm over x flattened to (rows, in), with W passed as CblasTrans (no copy), onto rows pre-filled with
// b. https://pytorch.org/docs/stable/generated/torch.nn.functional.linear.html
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor());

}  // namespace attn
