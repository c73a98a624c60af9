// attn/models/text_batch.h — the boundary between the text pipeline and the tensor core: a padded
// text::Batch (plain int64 vectors, so attn_text needs no tensors) becomes the (B, T) int64 tensors a model
// takes, named as Hugging Face names them.
#pragma once

#include "attn/tensor/tensor.h"
#include "attn/text/batch.h"

namespace attn {

struct BatchTensors {
  Tensor input_ids;       // (B, T) int64
  Tensor attention_mask;  // (B, T) int64: 1 = token, 0 = [PAD]
  Tensor token_type_ids;  // (B, T) int64
};

// Copies the batch into three (B, T) int64 tensors; throws if a vector's length is not B·T.
BatchTensors to_tensors(const text::Batch& batch);

}  // namespace attn
