// attn/optim/clip_grad.h — gradient clipping by global norm, as torch.nn.utils.clip_grad_norm_ (v1.13.1).
#pragma once

#include <limits>
#include <vector>

#include "attn/tensor/tensor.h"

namespace attn::optim {

constexpr double kInfNorm = std::numeric_limits<double>::infinity();

// total = ‖(g₁, g₂, …)‖_p over every gradient as one vector (p = kInfNorm: max |g|); then every gradient is
// multiplied in place by min(1, max_norm / (total + 1e-6)). Parameters without a gradient are skipped;
// returns total (0 if there are no gradients). The sums are accumulated in double.
// https://pytorch.org/docs/1.13/generated/torch.nn.utils.clip_grad_norm_.html
double clip_grad_norm_(const std::vector<Tensor>& params, double max_norm, double norm_type = 2.0);

}  // namespace attn::optim
