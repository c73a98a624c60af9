// attn/nn/feed_forward.h — the position-wise feed-forward network of every Transformer layer.
#pragma once

#include "attn/core/rng.h"
#include "attn/nn/dropout.h"
#include "attn/nn/linear.h"
#include "attn/nn/module.h"

namespace attn::nn {

enum class Activation { ReLU, GELU };

// FFN(x) = max(0, x W₁ + b₁) W₂ + b₂   (Vaswani et al. 2017, eq. 2), with GELU as an option (BERT) and
// dropout on the hidden layer as torch.nn.TransformerEncoderLayer (`self.dropout` between linear1 and
// linear2; the paper names only residual and embedding dropout). Keys: linear1.*, linear2.*.
class FeedForward : public Module {
 public:
  FeedForward(int64_t d_model, int64_t dim_feedforward, double dropout = 0.0,
              Activation activation = Activation::ReLU, Generator& gen = default_generator());
  std::string type_name() const override { return "FeedForward"; }
  Tensor forward(const Tensor& x);  // (B, T, C) → (B, T, C)

  Activation activation;
  Linear linear1;  // (dim_feedforward, C)
  Dropout dropout;
  Linear linear2;  // (C, dim_feedforward)
};

}  // namespace attn::nn
