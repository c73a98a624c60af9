// attn/nn/linear.h — nn::Linear: y = x Wᵀ + b with PyTorch's weight layout and default initialisation.
#pragma once

#include "attn/core/rng.h"
#include "attn/nn/module.h"

namespace attn::nn {

// weight: (out_features, in_features), bias: (out_features). Both drawn from U(−1/√in, 1/√in), as
// torch.nn.Linear.reset_parameters (kaiming_uniform_(a=√5) for the weight; the same bound for the bias).
// https://pytorch.org/docs/1.13/generated/torch.nn.Linear.html
class Linear : public Module {
 public:
  Linear(int64_t in_features, int64_t out_features, bool bias = true, Generator& gen = default_generator());
  std::string type_name() const override { return "Linear"; }

  // x: (…, in_features) → (…, out_features)
  Tensor forward(const Tensor& x) const;
  void reset_parameters(Generator& gen = default_generator());

  int64_t in_features, out_features;
  Tensor weight;  // (out_features, in_features)
  Tensor bias;    // (out_features), undefined when bias = false
};

}  // namespace attn::nn
