// attn/ops/unary.h — elementwise functions of one tensor: y = f(x), dy/dx = f'(x).
//
// Names, domains and edge cases are PyTorch's: log(0) = −inf, log(x < 0) = NaN, sqrt'(0) = inf,
// abs'(0) = 0, clamp passes the gradient where min ≤ x ≤ max (bounds included) and gives 0 outside and at
// NaN. The activations (relu, tanh, sigmoid, gelu) are in ops/activation.h.
#pragma once

#include <optional>

#include "attn/tensor/tensor.h"

namespace attn {

Tensor neg(const Tensor& x);    // −x                                   torch.neg
Tensor exp(const Tensor& x);    // eˣ                                   torch.exp
Tensor log(const Tensor& x);    // ln x; d/dx = 1/x                     torch.log
Tensor sqrt(const Tensor& x);   // √x; d/dx = 1/(2√x)                   torch.sqrt
Tensor rsqrt(const Tensor& x);  // 1/√x; d/dx = −½·x^(−3/2)             torch.rsqrt
// xᵖ for a scalar exponent; d/dx = p·x^(p−1), and 0 everywhere when p = 0      torch.pow(x, exponent)
Tensor pow(const Tensor& x, double exponent);
Tensor abs(const Tensor& x);  // |x|; d/dx = sign(x), 0 at 0          torch.abs
// min(max(x, min), max) with either bound optional (at least one given); if min > max every value is max.
//                                                                     torch.clamp(x, min, max)
Tensor clamp(const Tensor& x, std::optional<double> min, std::optional<double> max);

inline Tensor operator-(const Tensor& x) { return neg(x); }

}  // namespace attn
