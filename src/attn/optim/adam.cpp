// optim::Adam / AdamW — validation as torch's constructors; bias corrections in double (as Python computes
// them), then one kernel call per parameter.
#include "attn/optim/adam.h"

#include <cmath>

#include "attn/autograd/grad_mode.h"
#include "attn/core/dispatch.h"
#include "attn/kernels/cpu/optim.h"
#include "attn/tensor/creation.h"

namespace attn::optim {

Adam::Adam(std::vector<Tensor> params, const AdamOptions& options)
    : Adam(std::move(params), options, false, "Adam") {}

Adam::Adam(std::vector<Tensor> params, const AdamOptions& o, bool decoupled, const char* name)
    : Optimizer(std::move(params), o.lr, name), options_(o), decoupled_(decoupled) {
  ATTN_CHECK(o.eps >= 0, "{}: invalid epsilon value: {}", name, o.eps);
  ATTN_CHECK(o.betas.first >= 0 && o.betas.first < 1, "{}: invalid beta parameter at index 0: {}", name,
             o.betas.first);
  ATTN_CHECK(o.betas.second >= 0 && o.betas.second < 1, "{}: invalid beta parameter at index 1: {}", name,
             o.betas.second);
  ATTN_CHECK(o.weight_decay >= 0, "{}: invalid weight_decay value: {}", name, o.weight_decay);
}

AdamW::AdamW(std::vector<Tensor> params, const AdamWOptions& o)
    : Adam(std::move(params), AdamOptions{o.lr, o.betas, o.eps, o.weight_decay, o.amsgrad, o.maximize}, true,
           "AdamW") {}

void Adam::step() {
  NoGradGuard no_grad;
  for (size_t i = 0; i < params_.size(); ++i) {
    const Tensor g = grad_of(i);
    if (!g.defined()) continue;
    // torch keeps `step` as a float32 scalar tensor per parameter.
    Tensor& step_t = state_[i]["step"];
    const double t = (step_t.defined() ? step_t.item<double>() : 0.0) + 1.0;
    step_t = scalar_tensor(t, DType::F32);
    const Tensor& m = state_tensor(i, "exp_avg");
    const Tensor& v = state_tensor(i, "exp_avg_sq");
    const Tensor vmax = options_.amsgrad ? state_tensor(i, "max_exp_avg_sq") : Tensor();

    kernels::AdamScalars s;
    s.lr = lr_;
    s.beta1 = options_.betas.first;
    s.beta2 = options_.betas.second;
    s.eps = options_.eps;
    s.weight_decay = options_.weight_decay;
    s.bias_correction1 = 1.0 - std::pow(s.beta1, t);  // 1 - beta1 ** step
    s.bias_correction2_sqrt = std::sqrt(1.0 - std::pow(s.beta2, t));
    s.decoupled = decoupled_;
    s.amsgrad = options_.amsgrad;
    s.maximize = options_.maximize;
    const Tensor& p = params_[i];
    dispatch_floating(p.dtype(), name_, [&]<typename T>() {
      kernels::adam_step<T>(p.data<T>(), g.data<T>(), m.data<T>(), v.data<T>(),
                            vmax.defined() ? vmax.data<T>() : nullptr, p.numel(), s);
    });
  }
}

}  // namespace attn::optim
