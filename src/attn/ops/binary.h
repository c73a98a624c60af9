// attn/ops/binary.h — add, sub, mul, div with NumPy/PyTorch broadcasting, and their scalar forms.
//
// Both tensors must have the same dtype (attn does not promote types: convert with attn::to_dtype first).
// Gradients are summed back over broadcast dimensions (autograd::reduce_to_shape).
#pragma once

#include "attn/tensor/tensor.h"

namespace attn {

Tensor add(const Tensor& a, const Tensor& b);  // a + b          torch.add
Tensor sub(const Tensor& a, const Tensor& b);  // a - b          torch.sub
Tensor mul(const Tensor& a, const Tensor& b);  // a ⊙ b          torch.mul
Tensor div(const Tensor& a, const Tensor& b);  // a / b          torch.div (true division)
Tensor add(const Tensor& a, double b);
Tensor sub(const Tensor& a, double b);
Tensor mul(const Tensor& a, double b);
Tensor div(const Tensor& a, double b);
Tensor rsub(double a, const Tensor& b);  // a - b
Tensor rdiv(double a, const Tensor& b);  // a / b

inline Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
inline Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
inline Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
inline Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
inline Tensor operator+(const Tensor& a, double b) { return add(a, b); }
inline Tensor operator-(const Tensor& a, double b) { return sub(a, b); }
inline Tensor operator*(const Tensor& a, double b) { return mul(a, b); }
inline Tensor operator/(const Tensor& a, double b) { return div(a, b); }
inline Tensor operator+(double a, const Tensor& b) { return add(b, a); }
inline Tensor operator-(double a, const Tensor& b) { return rsub(a, b); }
inline Tensor operator*(double a, const Tensor& b) { return mul(b, a); }
inline Tensor operator/(double a, const Tensor& b) { return rdiv(a, b); }

}  // namespace attn
