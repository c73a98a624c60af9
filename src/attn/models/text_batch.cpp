#include "attn/models/text_batch.h"

#include "attn/tensor/creation.h"

namespace attn {

namespace {
Tensor as_tensor(const std::vector<int64_t>& values, const text::Batch& b, const char* name) {
  ATTN_CHECK_KIND(ShapeMismatch, static_cast<int64_t>(values.size()) == b.rows * b.cols,
                  "to_tensors: batch {} has {} values, expected rows × cols = {} × {}", name, values.size(),
                  b.rows, b.cols);
  return from_vector(values, {b.rows, b.cols});
}
}  // namespace

BatchTensors to_tensors(const text::Batch& batch) {
  return {as_tensor(batch.input_ids, batch, "input_ids"),
          as_tensor(batch.attention_mask, batch, "attention_mask"),
          as_tensor(batch.token_type_ids, batch, "token_type_ids")};
}

}  // namespace attn
