// attn/nn/container.h — Sequential, ModuleList and Functional: modules that hold other modules.
//
// Children are owned by std::shared_ptr (modules cannot move, module.h) and named "0", "1", … as in
// torch.nn.Sequential / torch.nn.ModuleList, so Sequential(Linear, ReLU, Linear) has the state-dict keys
// "0.weight", "0.bias", "2.weight", "2.bias".
//
//   auto mlp = nn::Sequential(std::make_shared<nn::Linear>(4, 16), nn::functional("ReLU", attn::relu),
//                             std::make_shared<nn::Linear>(16, 3));
//   Tensor y = mlp.forward(x);  // (B, 3)
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "attn/nn/module.h"

namespace attn::nn {

// A parameter-free module around a function of one tensor (torch's nn.ReLU, nn.GELU, nn.Tanh, …).
class Functional : public Module {
 public:
  Functional(std::string name, std::function<Tensor(const Tensor&)> fn)
      : name_(std::move(name)), fn_(std::move(fn)) {}
  std::string type_name() const override { return name_; }
  Tensor forward(const Tensor& x) const { return fn_(x); }

 private:
  std::string name_;
  std::function<Tensor(const Tensor&)> fn_;
};

inline std::shared_ptr<Functional> functional(std::string name, std::function<Tensor(const Tensor&)> fn) {
  return std::make_shared<Functional>(std::move(name), std::move(fn));
}

// Runs its children in order: y = mₙ(…m₁(m₀(x))). Any module with `Tensor forward(const Tensor&)` fits.
class Sequential : public Module {
 public:
  Sequential() = default;
  template <typename... Ms>
  explicit Sequential(std::shared_ptr<Ms>... modules) {
    (push_back(std::move(modules)), ...);
  }
  std::string type_name() const override { return "Sequential"; }

  template <typename M>
  void push_back(std::shared_ptr<M> module) {
    ATTN_CHECK(module != nullptr, "Sequential::push_back: null module");
    register_module(std::to_string(modules_.size()), *module);
    forwards_.push_back([m = module.get()](const Tensor& x) { return m->forward(x); });
    modules_.push_back(std::move(module));
  }
  Tensor forward(const Tensor& x) const;

  size_t size() const { return modules_.size(); }
  Module& operator[](size_t i) const;
  // The i-th child as its concrete type; throws if it is another type.
  template <typename M>
  M& at(size_t i) const {
    return checked_cast<M>((*this)[i], i);
  }

 private:
  template <typename M>
  static M& checked_cast(Module& m, size_t i) {
    auto* p = dynamic_cast<M*>(&m);
    ATTN_CHECK(p != nullptr, "Sequential::at: child {} is a {}, not the requested type", i, m.type_name());
    return *p;
  }
  std::vector<std::shared_ptr<Module>> modules_;
  std::vector<std::function<Tensor(const Tensor&)>> forwards_;
};

// A list of sub-modules named "0", "1", … (torch.nn.ModuleList); it has no forward of its own.
class ModuleList : public Module {
 public:
  std::string type_name() const override { return "ModuleList"; }
  template <typename M>
  M& push_back(std::shared_ptr<M> module) {
    ATTN_CHECK(module != nullptr, "ModuleList::push_back: null module");
    register_module(std::to_string(modules_.size()), *module);
    modules_.push_back(module);
    return *module;
  }
  size_t size() const { return modules_.size(); }
  Module& operator[](size_t i) const;
  template <typename M>
  M& at(size_t i) const {
    auto* p = dynamic_cast<M*>(&(*this)[i]);
    ATTN_CHECK(p != nullptr, "ModuleList::at: child {} is a {}, not the requested type", i,
               (*this)[i].type_name());
    return *p;
  }

 private:
  std::vector<std::shared_ptr<Module>> modules_;
};

}  // namespace attn::nn
