// nn::Embedding — N(0, 1) table with a zero padding row, forward through ops/embedding.
#include "attn/nn/embedding.h"

#include "attn/autograd/grad_mode.h"
#include "attn/nn/init.h"
#include "attn/ops/embedding.h"
#include "attn/ops/shape.h"
#include "attn/tensor/creation.h"

namespace attn::nn {

Embedding::Embedding(int64_t num, int64_t dim, std::optional<int64_t> pad, Generator& gen)
    : num_embeddings(num), embedding_dim(dim), padding_idx(pad) {
  ATTN_CHECK(num >= 0 && dim >= 0, "Embedding: expected non-negative sizes, got {} × {}", num, dim);
  if (padding_idx) {
    ATTN_CHECK(*padding_idx >= -num && *padding_idx < num,
               "Embedding: padding_idx {} must be within [{}, {})", *padding_idx, -num, num);
    if (*padding_idx < 0) *padding_idx += num;
  }
  weight = empty({num, dim});
  register_parameter("weight", weight);
  reset_parameters(gen);
}

void Embedding::reset_parameters(Generator& gen) {
  init::normal_(weight, 0.0, 1.0, gen);
  if (padding_idx) init::zeros_(select(weight.detach(), 0, *padding_idx));
}

Tensor Embedding::forward(const Tensor& ids) const {
  return embedding(weight, ids, padding_idx.value_or(-1));
}

}  // namespace attn::nn
