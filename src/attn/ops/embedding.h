// attn/ops/embedding.h — embedding lookup: rows of a weight matrix selected by integer ids.
#pragma once

#include <cstdint>

#include "attn/tensor/tensor.h"

namespace attn {

// y[…, :] = weight[ids[…], :] — weight: (V, C) float, ids: int64 of any shape (…); y: (…, C).
// Backward scatter-adds dy into the rows of dW; the row padding_idx gets no gradient, as in PyTorch.
// Unlike torch, a negative padding_idx means "none" (torch counts it from the end): the default is -1.
// An id outside [0, V) is an attn::Error naming the id, its position and V.
// https://pytorch.org/docs/stable/generated/torch.nn.functional.embedding.html
Tensor embedding(const Tensor& weight, const Tensor& ids, int64_t padding_idx = -1);

}  // namespace attn
