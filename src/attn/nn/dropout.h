// attn/nn/dropout.h — nn::Dropout: inverted dropout while training, the identity in eval mode.
#pragma once

#include "attn/core/rng.h"
#include "attn/nn/module.h"

namespace attn::nn {

// Training: y = x ⊙ m / (1 − p), m ~ Bernoulli(1 − p) from `gen`; eval (module.eval()): y = x.
// The generator must outlive the module. https://pytorch.org/docs/1.13/generated/torch.nn.Dropout.html
class Dropout : public Module {
 public:
  explicit Dropout(double p = 0.5, Generator& gen = default_generator());
  std::string type_name() const override { return "Dropout"; }
  Tensor forward(const Tensor& x);

  double p;

 private:
  Generator* gen_;
};

}  // namespace attn::nn
