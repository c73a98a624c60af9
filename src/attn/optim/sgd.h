// attn/optim/sgd.h — stochastic gradient descent with momentum, dampening, Nesterov and weight decay,
// exactly torch.optim.SGD (v1.13.1):
//   d = g + wd·p;  b = d (first step) or μ·b + (1 − τ)·d;  d = nesterov ? d + μ·b : b;  p = p − lr·d
// https://pytorch.org/docs/1.13/generated/torch.optim.SGD.html
//
//   optim::SGD opt(model.parameters(), {.lr = 0.1, .momentum = 0.9, .nesterov = true});
#pragma once

#include "attn/optim/optimizer.h"

namespace attn::optim {

struct SGDOptions {
  double lr = 1e-3;
  double momentum = 0;
  double dampening = 0;
  double weight_decay = 0;
  bool nesterov = false;
  bool maximize = false;
};

class SGD : public Optimizer {
 public:
  SGD(std::vector<Tensor> params, const SGDOptions& options);
  void step() override;
  const SGDOptions& options() const { return options_; }

 protected:
  std::vector<std::string> state_names() const override { return {"momentum_buffer"}; }

 private:
  SGDOptions options_;
};

}  // namespace attn::optim
