// optim::SGD — validation as torch.optim.SGD's constructor, then one kernel call per parameter.
#include "attn/optim/sgd.h"

#include "attn/autograd/grad_mode.h"
#include "attn/core/dispatch.h"
#include "attn/kernels/cpu/optim.h"

namespace attn::optim {

SGD::SGD(std::vector<Tensor> params, const SGDOptions& options)
    : Optimizer(std::move(params), options.lr, "SGD"), options_(options) {
  ATTN_CHECK(options.momentum >= 0, "SGD: invalid momentum value: {}", options.momentum);
  ATTN_CHECK(options.weight_decay >= 0, "SGD: invalid weight_decay value: {}", options.weight_decay);
  ATTN_CHECK(!options.nesterov || (options.momentum > 0 && options.dampening == 0),
             "SGD: Nesterov momentum requires a momentum and zero dampening (got momentum {}, dampening {})",
             options.momentum, options.dampening);
}

void SGD::step() {
  NoGradGuard no_grad;
  for (size_t i = 0; i < params_.size(); ++i) {
    const Tensor g = grad_of(i);
    if (!g.defined()) continue;
    kernels::SgdScalars s{lr_,
                          options_.momentum,
                          options_.dampening,
                          options_.weight_decay,
                          options_.nesterov,
                          options_.maximize,
                          false};
    Tensor buf;
    if (options_.momentum != 0) {
      s.first_step = !state_[i].count("momentum_buffer");
      buf = state_tensor(i, "momentum_buffer");
    }
    const Tensor& p = params_[i];
    dispatch_floating(p.dtype(), "SGD::step", [&]<typename T>() {
      kernels::sgd_step<T>(p.data<T>(), g.data<T>(), buf.defined() ? buf.data<T>() : nullptr, p.numel(), s);
    });
  }
}

}  // namespace attn::optim
