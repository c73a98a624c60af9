// attn/optim/adam.h — Adam and AdamW, exactly torch.optim.Adam / AdamW (v1.13.1, single-tensor path):
//   t += 1;  g += wd·p (Adam)  or  p *= 1 − lr·wd (AdamW, decoupled; Loshchilov & Hutter 2019)
//   m = β₁m + (1−β₁)g;  v = β₂v + (1−β₂)g²;  v̂ = amsgrad ? max(v̂, v) : v
//   p −= (lr / (1−β₁ᵗ)) · m / (√v̂ / √(1−β₂ᵗ) + eps)
// Note eps is added after dividing by √(1−β₂ᵗ), as torch does; Kingma & Ba's Algorithm 1 writes the
// same thing as m̂ / (√v̂ + eps). https://pytorch.org/docs/1.13/generated/torch.optim.AdamW.html
//
//   optim::AdamW opt(model.parameters(), {.lr = 1e-3, .weight_decay = 0.01});
#pragma once

#include <utility>

#include "attn/optim/optimizer.h"

namespace attn::optim {

struct AdamOptions {
  double lr = 1e-3;
  std::pair<double, double> betas = {0.9, 0.999};
  double eps = 1e-8;
  double weight_decay = 0;  // torch.optim.Adam's default
  bool amsgrad = false;
  bool maximize = false;
};

struct AdamWOptions {
  double lr = 1e-3;
  std::pair<double, double> betas = {0.9, 0.999};
  double eps = 1e-8;
  double weight_decay = 1e-2;  // torch.optim.AdamW's default
  bool amsgrad = false;
  bool maximize = false;
};

class Adam : public Optimizer {
 public:
  Adam(std::vector<Tensor> params, const AdamOptions& options);
  void step() override;
  const AdamOptions& options() const { return options_; }

 protected:
  Adam(std::vector<Tensor> params, const AdamOptions& options, bool decoupled, const char* name);
  std::vector<std::string> state_names() const override {
    return {"step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"};
  }

 private:
  AdamOptions options_;
  bool decoupled_;
};

class AdamW : public Adam {
 public:
  AdamW(std::vector<Tensor> params, const AdamWOptions& options);
};

}  // namespace attn::optim
