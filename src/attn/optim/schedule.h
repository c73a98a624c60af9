// attn/optim/schedule.h — learning-rate schedules: a multiplier λ(step) of the optimizer's base lr, applied
// by LRScheduler exactly as torch.optim.lr_scheduler.LambdaLR does (lr = base_lr · λ(step); the
// constructor applies λ(0), each step() advances by one and applies λ).
//
//   optim::AdamW opt(model.parameters(), {.lr = 5e-5});
//   auto sched = optim::linear_schedule_with_warmup(opt, /*num_warmup_steps=*/100,
//   /*num_training_steps=*/1000); for (...) { loss.backward(); opt.step(); sched.step(); opt.zero_grad(); }
#pragma once

#include <cstdint>
#include <functional>

#include "attn/optim/optimizer.h"

namespace attn::optim {

// The Transformer paper's schedule (Vaswani et al. 2017, §5.3), as the Annotated Transformer's `rate`:
//   factor · d_model^-0.5 · min(step^-0.5, step · warmup^-1.5), with step 0 treated as step 1.
double noam_lambda(int64_t step, int64_t d_model, int64_t warmup, double factor = 1.0);
// HF transformers' get_linear_schedule_with_warmup (optimization.py, v4.46.3):
//   step / max(1, warmup) while step < warmup, then max(0, (total − step) / max(1, total − warmup)).
double linear_warmup_decay_lambda(int64_t step, int64_t num_warmup_steps, int64_t num_training_steps);
// HF get_cosine_schedule_with_warmup: linear warm-up, then 0.5·(1 + cos(π · 2·cycles · progress)).
double cosine_warmup_lambda(int64_t step, int64_t num_warmup_steps, int64_t num_training_steps,
                            double num_cycles = 0.5);

class LRScheduler {
 public:
  // Remembers the optimizer's current lr as base_lr and sets lr = base_lr · λ(0).
  LRScheduler(Optimizer& optimizer, std::function<double(int64_t)> lambda);
  // Advances one step and sets lr = base_lr · λ(step).
  void step();
  int64_t last_step() const { return step_; }  // torch's last_epoch
  double base_lr() const { return base_lr_; }
  double lr() const { return optimizer_->lr(); }

 private:
  Optimizer* optimizer_;
  std::function<double(int64_t)> lambda_;
  double base_lr_;
  int64_t step_ = 0;
};

// Ready-made schedulers. The Noam schedule is usually paired with base lr 1 (the Annotated Transformer's
// LambdaLR(optimizer, lr_lambda=rate)), since λ already carries the scale.
LRScheduler constant_schedule(Optimizer& optimizer);
LRScheduler noam_schedule(Optimizer& optimizer, int64_t d_model, int64_t warmup, double factor = 1.0);
LRScheduler linear_schedule_with_warmup(Optimizer& optimizer, int64_t num_warmup_steps,
                                        int64_t num_training_steps);
LRScheduler cosine_schedule_with_warmup(Optimizer& optimizer, int64_t num_warmup_steps,
                                        int64_t num_training_steps, double num_cycles = 0.5);

}  // namespace attn::optim
