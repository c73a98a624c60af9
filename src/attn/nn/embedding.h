// attn/nn/embedding.h — nn::Embedding: a (num_embeddings, embedding_dim) table looked up by int64 ids.
#pragma once

#include <optional>

#include "attn/core/rng.h"
#include "attn/nn/module.h"

namespace attn::nn {

// weight ~ N(0, 1) with the padding_idx row zeroed (torch.nn.Embedding.reset_parameters); that row gets no
// gradient. A negative padding_idx counts from the end, as in torch.
// https://pytorch.org/docs/1.13/generated/torch.nn.Embedding.html
class Embedding : public Module {
 public:
  Embedding(int64_t num_embeddings, int64_t embedding_dim, std::optional<int64_t> padding_idx = std::nullopt,
            Generator& gen = default_generator());
  std::string type_name() const override { return "Embedding"; }

  // ids: int64 (…) → (…, embedding_dim)
  Tensor forward(const Tensor& ids) const;
  void reset_parameters(Generator& gen = default_generator());

  int64_t num_embeddings, embedding_dim;
  std::optional<int64_t> padding_idx;  // normalised to [0, num_embeddings)
  Tensor weight;                       // (num_embeddings, embedding_dim)
};

}  // namespace attn::nn
