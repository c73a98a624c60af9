// attn/ops/unary.h — elementwise functions of one tensor: y = f(x), dy/dx = f'(x).
#pragma once

#include "attn/tensor/tensor.h"

namespace attn {

Tensor neg(const Tensor& x);  // -x                    torch.neg
Tensor exp(const Tensor& x);  // eˣ                    torch.exp

inline Tensor operator-(const Tensor& x) { return neg(x); }

}  // namespace attn
