// nn::Module — the registry of named parameters, buffers and children, and state_dict loading.
#include "attn/nn/module.h"

#include <set>

#include "attn/autograd/grad_mode.h"
#include "attn/tensor/copy.h"

namespace attn::nn {

void Module::check_new_name(const std::string& name) const {
  ATTN_CHECK(!name.empty() && name.find('.') == std::string::npos,
             "{}: attribute name '{}' must be non-empty and contain no '.'", type_name(), name);
  auto taken = [&](const auto& list) {
    for (const auto& [n, _] : list)
      if (n == name) return true;
    return false;
  };
  ATTN_CHECK(!taken(params_) && !taken(buffers_) && !taken(children_),
             "{}: attribute '{}' is already registered", type_name(), name);
}

Tensor& Module::register_parameter(const std::string& name, Tensor& param) {
  check_new_name(name);
  if (!param.defined()) return param;
  param.requires_grad_(true);
  params_.emplace_back(name, &param);
  return param;
}

Tensor& Module::register_buffer(const std::string& name, Tensor& buffer) {
  check_new_name(name);
  if (buffer.defined()) buffers_.emplace_back(name, &buffer);
  return buffer;
}

void Module::add_child(const std::string& name, Module* child) {
  check_new_name(name);
  ATTN_CHECK(child != this, "{}: a module cannot be its own child ('{}')", type_name(), name);
  children_.emplace_back(name, child);
}

void Module::collect(const std::string& prefix, bool params,
                     std::vector<std::pair<std::string, Tensor>>& out) const {
  for (const auto& [name, t] : params ? params_ : buffers_)
    if (t->defined()) out.emplace_back(prefix + name, *t);
  for (const auto& [name, child] : children_) child->collect(prefix + name + ".", params, out);
}

namespace {
// Keeps the first occurrence of each tensor (tied weights appear once, as in torch's named_parameters).
std::vector<std::pair<std::string, Tensor>> unique(std::vector<std::pair<std::string, Tensor>> all) {
  std::set<const TensorImpl*> seen;
  std::vector<std::pair<std::string, Tensor>> out;
  for (auto& entry : all)
    if (seen.insert(entry.second.impl()).second) out.push_back(std::move(entry));
  return out;
}
}  // namespace

std::vector<std::pair<std::string, Tensor>> Module::named_parameters() const {
  std::vector<std::pair<std::string, Tensor>> all;
  collect("", true, all);
  return unique(std::move(all));
}

std::vector<std::pair<std::string, Tensor>> Module::named_buffers() const {
  std::vector<std::pair<std::string, Tensor>> all;
  collect("", false, all);
  return unique(std::move(all));
}

std::vector<Tensor> Module::parameters() const {
  std::vector<Tensor> out;
  for (auto& [_, t] : named_parameters()) out.push_back(t);
  return out;
}

std::vector<std::pair<std::string, Module*>> Module::named_children() const { return children_; }

std::vector<std::pair<std::string, Module*>> Module::named_modules() const {
  std::vector<std::pair<std::string, Module*>> out{{"", const_cast<Module*>(this)}};
  for (const auto& [name, child] : children_)
    for (const auto& [sub, m] : child->named_modules())
      out.emplace_back(sub.empty() ? name : name + "." + sub, m);
  return out;
}

void Module::train(bool on) {
  training_ = on;
  for (auto& [_, child] : children_) child->train(on);
}

void Module::zero_grad() {
  for (const Tensor& p : parameters()) p.zero_grad();
}

void Module::to(DType dtype) {
  ATTN_CHECK(dtype == DType::F32 || dtype == DType::F64, "{}.to: dtype must be float32 or float64, got {}",
             type_name(), dtype_name(dtype));
  // Every slot of every module, so that a tensor registered in several places (tied weights) is converted
  // once and the same new tensor is put in each of its slots.
  std::map<const TensorImpl*, std::pair<Tensor, Tensor>> converted;  // old impl → (old, new); old kept alive
  for (const auto& [_, m] : named_modules()) {
    for (auto* list : {&m->params_, &m->buffers_}) {
      for (auto& [name, slot] : *list) {
        if (!slot->defined()) continue;
        const DType from = slot->dtype();
        if ((from != DType::F32 && from != DType::F64) || from == dtype) continue;
        auto it = converted.find(slot->impl());
        if (it == converted.end()) {
          Tensor t = convert(slot->detach(), dtype);
          if (list == &m->params_) t.requires_grad_(true);
          it = converted.emplace(slot->impl(), std::pair{*slot, t}).first;
        }
        *slot = it->second.second;
      }
    }
  }
}

StateDict Module::state_dict() const {
  std::vector<std::pair<std::string, Tensor>> all;
  collect("", true, all);
  collect("", false, all);
  StateDict sd;
  for (auto& [name, t] : all) sd.emplace(name, t.detach());
  return sd;
}

namespace {
std::string quoted_list(const std::vector<std::string>& keys) {
  std::string s;
  for (const auto& k : keys) s += (s.empty() ? "\"" : ", \"") + k + "\"";
  return s;
}
}  // namespace

LoadResult Module::load_state_dict(const StateDict& sd, Strict strict) {
  const StateDict own = state_dict();
  LoadResult result;
  std::vector<std::string> mismatched;
  for (const auto& [name, t] : own) {
    auto it = sd.find(name);
    if (it == sd.end()) {
      result.missing_keys.push_back(name);
    } else if (it->second.shape() != t.shape()) {
      mismatched.push_back(
          fmt::format("size mismatch for {}: copying a param with shape {} from checkpoint, the "
                      "shape in current model is {}",
                      name, shape_str(it->second.shape()), shape_str(t.shape())));
    }
  }
  for (const auto& [name, _] : sd)
    if (!own.count(name)) result.unexpected_keys.push_back(name);

  const bool strict_fail =
      strict == Strict::Yes && (!result.missing_keys.empty() || !result.unexpected_keys.empty());
  if (strict_fail || !mismatched.empty()) {
    std::string msg = fmt::format("load_state_dict: error(s) in loading state_dict for {}:", type_name());
    if (strict == Strict::Yes && !result.missing_keys.empty())
      msg += "\n  missing key(s) in state_dict: " + quoted_list(result.missing_keys) + ".";
    if (strict == Strict::Yes && !result.unexpected_keys.empty())
      msg += "\n  unexpected key(s) in state_dict: " + quoted_list(result.unexpected_keys) + ".";
    for (const auto& m : mismatched) msg += "\n  " + m + ".";
    throw Error(mismatched.empty() ? ErrorKind::Value : ErrorKind::ShapeMismatch, msg);
  }
  NoGradGuard no_grad;
  for (const auto& [name, dst] : own) {
    auto it = sd.find(name);
    if (it != sd.end() && !it->second.is_same(dst)) copy_(dst, it->second);
  }
  return result;
}

}  // namespace attn::nn
