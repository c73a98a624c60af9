// optim schedules: the λ(step) formulas, quoted from their sources, and LambdaLR's bookkeeping.
#include "attn/optim/schedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace attn::optim {

double noam_lambda(int64_t step, int64_t d_model, int64_t warmup, double factor) {
  ATTN_CHECK(d_model > 0 && warmup > 0, "noam_lambda: expected d_model > 0 and warmup > 0, got {} and {}",
             d_model, warmup);
  if (step == 0) step = 1;  // the Annotated Transformer: "we have to default the step to 1 for LambdaLR"
  const double s = static_cast<double>(step);
  return factor * (std::pow(static_cast<double>(d_model), -0.5) *
                   std::min(std::pow(s, -0.5), s * std::pow(static_cast<double>(warmup), -1.5)));
}

double linear_warmup_decay_lambda(int64_t step, int64_t num_warmup_steps, int64_t num_training_steps) {
  if (step < num_warmup_steps)
    return static_cast<double>(step) / static_cast<double>(std::max<int64_t>(1, num_warmup_steps));
  return std::max(0.0, static_cast<double>(num_training_steps - step) /
                           static_cast<double>(std::max<int64_t>(1, num_training_steps - num_warmup_steps)));
}

double cosine_warmup_lambda(int64_t step, int64_t num_warmup_steps, int64_t num_training_steps,
                            double num_cycles) {
  if (step < num_warmup_steps)
    return static_cast<double>(step) / static_cast<double>(std::max<int64_t>(1, num_warmup_steps));
  const double progress = static_cast<double>(step - num_warmup_steps) /
                          static_cast<double>(std::max<int64_t>(1, num_training_steps - num_warmup_steps));
  return std::max(0.0, 0.5 * (1.0 + std::cos(std::numbers::pi * num_cycles * 2.0 * progress)));
}

LRScheduler::LRScheduler(Optimizer& optimizer, std::function<double(int64_t)> lambda)
    : optimizer_(&optimizer), lambda_(std::move(lambda)), base_lr_(optimizer.lr()) {
  ATTN_CHECK(lambda_ != nullptr, "LRScheduler: empty lambda");
  optimizer_->set_lr(base_lr_ * lambda_(0));
}

void LRScheduler::step() {
  ++step_;
  optimizer_->set_lr(base_lr_ * lambda_(step_));
}

LRScheduler constant_schedule(Optimizer& optimizer) {
  return LRScheduler(optimizer, [](int64_t) { return 1.0; });
}

LRScheduler noam_schedule(Optimizer& optimizer, int64_t d_model, int64_t warmup, double factor) {
  noam_lambda(1, d_model, warmup, factor);  // validates the arguments now rather than at the first step
  return LRScheduler(optimizer, [=](int64_t s) { return noam_lambda(s, d_model, warmup, factor); });
}

LRScheduler linear_schedule_with_warmup(Optimizer& optimizer, int64_t num_warmup_steps,
                                        int64_t num_training_steps) {
  return LRScheduler(optimizer, [=](int64_t s) {
    return linear_warmup_decay_lambda(s, num_warmup_steps, num_training_steps);
  });
}

LRScheduler cosine_schedule_with_warmup(Optimizer& optimizer, int64_t num_warmup_steps,
                                        int64_t num_training_steps, double num_cycles) {
  return LRScheduler(optimizer, [=](int64_t s) {
    return cosine_warmup_lambda(s, num_warmup_steps, num_training_steps, num_cycles);
  });
}

}  // namespace attn::optim
