// attn/ops/reduce.h — reductions: sum, mean, max (values and indices), argmax, over dimensions or everything.
//
// As PyTorch: `dims` may be negative; keepdim leaves the reduced dimensions with size 1; an empty `dims`
// reduces over every dimension (torch 1.13's sum(x, dim=[])); a repeated dimension is an error. sum keeps
// int64 as int64; mean needs a floating tensor; the mean of nothing is NaN. max over a dimension returns the
// first index among equal maxima and NaN wins (with the first NaN's index); its gradient goes to that index.
// max over all elements spreads the gradient evenly over every element equal to the maximum (torch's
// evenly_distribute_backward). Kernels: attn/kernels/cpu/reduce.h.
#pragma once

#include <cstdint>
#include <vector>

#include "attn/tensor/tensor.h"

namespace attn {

Tensor sum(const Tensor& x);  // Σ all → shape []   torch.sum
Tensor sum(const Tensor& x, const std::vector<int64_t>& dims,
           bool keepdim = false);  // torch.sum(x, dims, keepdim)
Tensor sum(const Tensor& x, int64_t dim, bool keepdim = false);
Tensor mean(const Tensor& x);  // Σ x / n → shape [] torch.mean
Tensor mean(const Tensor& x, const std::vector<int64_t>& dims, bool keepdim = false);
Tensor mean(const Tensor& x, int64_t dim, bool keepdim = false);

// torch.return_types.max: the maxima and their int64 positions along the reduced dimension.
struct MaxResult {
  Tensor values, indices;
};
MaxResult max(const Tensor& x, int64_t dim, bool keepdim = false);  // torch.max(x, dim, keepdim)
Tensor max(const Tensor& x);                                        // max of all elements → shape []
Tensor argmax(const Tensor& x, int64_t dim, bool keepdim = false);  // torch.argmax(x, dim, keepdim), int64
Tensor argmax(const Tensor& x);  // index into the flattened tensor of the first maximum, torch.argmax(x)

}  // namespace attn
