// attn/ops/activation.h — the nonlinearities of neural networks: relu, tanh, sigmoid, gelu.
//
// Kernels (reference + vectorised float): attn/kernels/cpu/activation.h. Each op saves what its derivative
// needs (relu/tanh/sigmoid: the output; gelu: the input) and runs one fused backward kernel.
#pragma once

#include "attn/tensor/tensor.h"

namespace attn {

// torch's approximate="none" | "tanh".
enum class GeluApprox { None, Tanh };

Tensor relu(const Tensor& x);     // max(x, 0); relu'(0) = 0, NaN passes through         torch.relu
Tensor tanh(const Tensor& x);     // (eˣ − e⁻ˣ)/(eˣ + e⁻ˣ)                                torch.tanh
Tensor sigmoid(const Tensor& x);  // 1/(1 + e⁻ˣ)                                          torch.sigmoid
// None: x·Φ(x) = 0.5·x·(1 + erf(x/√2)) (torch's default); Tanh: 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³)))
//                                                                   torch.nn.functional.gelu(x,
//                                                                   approximate=…)
Tensor gelu(const Tensor& x, GeluApprox approximate = GeluApprox::None);

}  // namespace attn
