// optim::Optimizer — parameter list, gradients, state and its (de)serialisation.
#include "attn/optim/optimizer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "attn/tensor/copy.h"
#include "attn/tensor/creation.h"

namespace attn::optim {

Optimizer::Optimizer(std::vector<Tensor> params, double lr, const char* name)
    : name_(name), params_(std::move(params)), state_(params_.size()) {
  ATTN_CHECK(!params_.empty(), "{}: optimizer got an empty parameter list", name_);
  for (size_t i = 0; i < params_.size(); ++i) {
    const Tensor& p = params_[i];
    ATTN_CHECK(p.defined(), "{}: parameter {} is undefined", name_, i);
    ATTN_CHECK_KIND(DTypeMismatch, p.dtype() == DType::F32 || p.dtype() == DType::F64,
                    "{}: parameter {} has dtype {}, expected float32 or float64", name_, i,
                    dtype_name(p.dtype()));
    ATTN_CHECK(p.is_contiguous(),
               "{}: parameter {} (shape {}) is a non-contiguous view; optimizers update "
               "parameter storage in place and need contiguous tensors",
               name_, i, shape_str(p.shape()));
    for (size_t j = 0; j < i; ++j)
      ATTN_CHECK(!params_[j].is_same(p), "{}: parameter {} appears twice in the list (also at {})", name_, i,
                 j);
  }
  set_lr(lr);
}

void Optimizer::set_lr(double lr) {
  ATTN_CHECK(lr >= 0 && std::isfinite(lr), "{}: invalid learning rate: {}", name_, lr);
  lr_ = lr;
}

void Optimizer::zero_grad() {
  for (const Tensor& p : params_) p.zero_grad();
}

Tensor Optimizer::grad_of(size_t i) const {
  const Tensor& p = params_[i];
  Tensor g = p.grad();
  if (!g.defined()) return g;
  ATTN_CHECK_KIND(ShapeMismatch, g.shape() == p.shape(),
                  "{}: gradient of parameter {} has shape {}, expected {}", name_, i, shape_str(g.shape()),
                  shape_str(p.shape()));
  if (g.dtype() != p.dtype()) return convert(g, p.dtype());
  return g.is_contiguous() ? g : contiguous_copy(g);
}

Tensor& Optimizer::state_tensor(size_t i, const std::string& name) {
  auto [it, fresh] = state_[i].try_emplace(name);
  if (fresh) it->second = zeros(params_[i].shape(), params_[i].dtype());
  return it->second;
}

StateDict Optimizer::state_dict() const {
  StateDict sd;
  for (size_t i = 0; i < state_.size(); ++i)
    for (const auto& [name, t] : state_[i])
      sd.emplace(fmt::format("state.{}.{}", i, name), contiguous_copy(t));
  sd.emplace("param_groups.0.lr", scalar_tensor(lr_, DType::F64));
  return sd;
}

void Optimizer::load_state_dict(const StateDict& sd) {
  std::vector<std::map<std::string, Tensor>> state(params_.size());
  std::vector<std::string> problems;
  const auto names = state_names();
  for (const auto& [key, t] : sd) {
    if (key == "param_groups.0.lr") continue;
    size_t i = 0;
    char rest[64] = {0};
    const bool parsed = std::sscanf(key.c_str(), "state.%zu.%63s", &i, rest) == 2;
    const std::string name = rest;
    if (!parsed || i >= params_.size() || std::find(names.begin(), names.end(), name) == names.end()) {
      problems.push_back(fmt::format("unexpected key \"{}\"", key));
      continue;
    }
    const Shape want = name == "step" ? Shape{} : params_[i].shape();
    if (t.shape() != want) {
      problems.push_back(fmt::format("size mismatch for {}: shape {} in the state dict, {} expected", key,
                                     shape_str(t.shape()), shape_str(want)));
      continue;
    }
    state[i][name] = convert(t, name == "step" ? t.dtype() : params_[i].dtype());
  }
  ATTN_CHECK(problems.empty(), "{}: load_state_dict: {}", name_, fmt::join(problems, "; "));
  state_ = std::move(state);
  if (auto it = sd.find("param_groups.0.lr"); it != sd.end()) set_lr(it->second.item<double>());
}

}  // namespace attn::optim
