// attn/optim/optimizer.h — the Optimizer base: a list of parameter tensors, a learning rate, per-parameter
// state tensors, zero_grad(), step(), and the state dict used for checkpoints.
//
// Parameters are held as Tensor handles and updated in place in their storage (under NoGradGuard), so the
// module that owns them sees every step; load_state_dict on the module keeps them valid. There is one
// parameter group (torch's param_groups[0]); a scheduler (schedule.h) sets its lr between steps.
// State is named as in torch.optim's state_dict()["state"][i]; flattened to "state.<i>.<name>" (e.g.
// "state.0.exp_avg", "state.0.step") plus "param_groups.0.lr", ready for io::save_safetensors.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "attn/tensor/tensor.h"

namespace attn::optim {

using StateDict = std::map<std::string, Tensor>;

class Optimizer {
 public:
  Optimizer(std::vector<Tensor> params, double lr, const char* name);
  virtual ~Optimizer() = default;
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  // One update of every parameter that has a gradient (parameters without one are skipped, as in torch).
  virtual void step() = 0;
  // Drops every parameter's gradient (torch's zero_grad(set_to_none=True)).
  void zero_grad();

  double lr() const { return lr_; }
  void set_lr(double lr);
  const std::vector<Tensor>& params() const { return params_; }

  // Tensors are copies: later steps do not change a state dict already taken.
  StateDict state_dict() const;
  // Restores state written by state_dict() of an optimizer of the same kind over parameters of the same
  // shapes; throws one attn::Error listing every unknown key and shape mismatch.
  void load_state_dict(const StateDict& sd);
  // The state of parameter i ("exp_avg", "step", …); empty before its first step.
  const std::map<std::string, Tensor>& state(size_t i) const { return state_.at(i); }

 protected:
  // Contiguous gradient of parameter i with the parameter's dtype, or undefined if it has none.
  Tensor grad_of(size_t i) const;
  // State tensor `name` of parameter i, created as zeros of the parameter's shape if absent.
  Tensor& state_tensor(size_t i, const std::string& name);
  // Names of the state tensors this optimizer keeps (for load_state_dict's validation).
  virtual std::vector<std::string> state_names() const = 0;

  const char* name_;
  std::vector<Tensor> params_;
  double lr_;
  std::vector<std::map<std::string, Tensor>> state_;
};

}  // namespace attn::optim
