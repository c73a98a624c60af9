// optim::clip_grad_norm_ — torch/nn/utils/clip_grad.py, with the norms accumulated in double.
#include "attn/optim/clip_grad.h"

#include <algorithm>
#include <cmath>

#include "attn/core/dispatch.h"
#include "attn/kernels/cpu/optim.h"
#include "attn/tensor/copy.h"

namespace attn::optim {

double clip_grad_norm_(const std::vector<Tensor>& params, double max_norm, double norm_type) {
  ATTN_CHECK(norm_type > 0, "clip_grad_norm_: norm_type must be positive (or kInfNorm), got {}", norm_type);
  std::vector<Tensor> grads;
  for (const Tensor& p : params) {
    Tensor g = p.grad();
    if (!g.defined()) continue;
    if (!g.is_contiguous()) {  // make it contiguous once, so the in-place scaling below reaches .grad
      g = contiguous_copy(g);
      p.set_grad(g);
    }
    grads.push_back(g);
  }
  if (grads.empty()) return 0.0;
  const bool inf = std::isinf(norm_type);
  double acc = 0;
  for (const Tensor& g : grads) {
    dispatch_floating(g.dtype(), "clip_grad_norm_", [&]<typename T>() {
      if (inf) {
        acc = std::max(acc, kernels::max_abs(g.data<T>(), g.numel()));
      } else {
        acc += kernels::sum_abs_pow(g.data<T>(), g.numel(), norm_type);
      }
    });
  }
  const double total = inf ? acc : (norm_type == 2 ? std::sqrt(acc) : std::pow(acc, 1.0 / norm_type));
  const double coef =
      std::min(max_norm / (total + 1e-6), 1.0);  // clip_coef_clamped = clamp(clip_coef, max=1.0)
  if (coef < 1.0) {                              // torch multiplies by 1.0 too; skipping it changes nothing
    for (const Tensor& g : grads) {
      dispatch_floating(g.dtype(), "clip_grad_norm_",
                        [&]<typename T>() { kernels::scale_(g.data<T>(), g.numel(), static_cast<T>(coef)); });
    }
  }
  return total;
}

}  // namespace attn::optim
