// attn/ops/linear.h — the affine map of nn.Linear: y = x·Wᵀ + b, with PyTorch's weight layout.
#pragma once

#include "attn/kernels/cpu/gemm.h"
#include "attn/tensor/tensor.h"

namespace attn {

// y = x·Wᵀ + b — x: (…, in), weight: (out, in), bias: (out) or undefined; y: (…, out).
// One gemm over x flattened to (rows, in), with W passed as CblasTrans (no copy), onto rows pre-filled with
// b. https://pytorch.org/docs/stable/generated/torch.nn.functional.linear.html
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor());

// The same y = x·Wᵀ + b with W's panels packed once (kernels::PackedB of weight read as Wᵀ), for inference:
// float32, no graph (inside NoGradGuard, or no input requires grad). The same bits as linear(x, weight,
// bias). Falls back to linear() where the pack does not apply: fewer than 24 rows (the thin kernel reads W in
// place), no AVX-512 GEMM, or a pack that no longer matches weight (changed since it was packed).
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias, const kernels::PackedB& packed);

}  // namespace attn
