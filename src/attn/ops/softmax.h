// attn/ops/softmax.h — softmax and log_softmax along one dimension (numerically stable), with backward.
//
// Kernels: attn/kernels/cpu/softmax.h. A slice whose entries are all −inf (a fully masked attention row)
// yields NaN, exactly as PyTorch; partially masked slices give the −inf entries probability 0.
#pragma once

#include <cstdint>

#include "attn/tensor/tensor.h"

namespace attn {

// y_i = e^(x_i − m) / Σ_j e^(x_j − m), m = max_j x_j, along `dim`      torch.softmax(x, dim)
Tensor softmax(const Tensor& x, int64_t dim);
// y_i = x_i − m − log Σ_j e^(x_j − m) along `dim`                     torch.log_softmax(x, dim)
Tensor log_softmax(const Tensor& x, int64_t dim);

}  // namespace attn
