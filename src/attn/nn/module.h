// attn/nn/module.h — nn::Module: named parameters, buffers and sub-modules, train/eval, state_dict.
//
// A module is a plain struct whose public members are its parameters and sub-layers, registered under the
// names of the PyTorch / Hugging Face state dict (STYLE P9), so that names compose with dots exactly as in
// torch.nn.Module.state_dict():
//
//   struct SelfAttention : nn::Module {
//     nn::Linear query, key, value;                       // members, constructed in place
//     SelfAttention(int64_t C) : query(C, C), key(C, C), value(C, C) {
//       register_module("query", query);                  // → "query.weight", "query.bias", …
//       register_module("key", key);
//       register_module("value", value);
//     }
//   };
//
// Registration stores the address of the member, so a module can neither be copied nor moved (the
// addresses would dangle); hold modules by value as members or by std::shared_ptr (nn::Sequential,
// nn::ModuleList). load_state_dict copies into the existing parameter storage, so optimizers that hold the
// parameter tensors stay valid. Reference: https://pytorch.org/docs/1.13/generated/torch.nn.Module.html
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "attn/tensor/tensor.h"

namespace attn::nn {

// A checkpoint: dotted names → tensors. Sorted by name (safetensors files are sorted too); the
// registration order, which torch's OrderedDict keeps, is available from named_parameters()/named_buffers().
using StateDict = std::map<std::string, Tensor>;

enum class Strict { No, Yes };

// What load_state_dict(sd, Strict::No) skipped (torch's _IncompatibleKeys).
struct LoadResult {
  std::vector<std::string> missing_keys;     // in the module, not in the state dict
  std::vector<std::string> unexpected_keys;  // in the state dict, not in the module
};

class Module {
 public:
  Module() = default;
  virtual ~Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;
  Module(Module&&) = delete;
  Module& operator=(Module&&) = delete;

  // "Linear", "Sequential", … (used in error messages and printing).
  virtual std::string type_name() const { return "Module"; }

  // Parameters of this module and all sub-modules, depth-first in registration order (each tensor once).
  std::vector<Tensor> parameters() const;
  std::vector<std::pair<std::string, Tensor>> named_parameters() const;
  std::vector<std::pair<std::string, Tensor>> named_buffers() const;
  // Direct children and all descendants ("" is this module), as torch's named_children/named_modules.
  std::vector<std::pair<std::string, Module*>> named_children() const;
  std::vector<std::pair<std::string, Module*>> named_modules() const;

  // Training mode (dropout active) for this module and every descendant; eval() = train(false).
  void train(bool on = true);
  void eval() { train(false); }
  bool is_training() const { return training_; }

  // Drops every parameter's gradient (torch's zero_grad(set_to_none=True)).
  void zero_grad();

  // Converts every floating-point parameter and buffer of this module and its descendants to `dtype` (F32
  // or F64), as torch's module.double() / .float(): each tensor is replaced by a converted copy (integer
  // buffers are left alone), tensors shared between modules (tied weights) stay shared, parameters keep
  // requires_grad and lose their gradient. Used to run a whole model in float64 for finite-difference
  // checks. Optimizers hold the tensors they were given: build them after converting.
  void to(DType dtype);

  // Parameters and buffers under their dotted names. The tensors are detached views of the module's own
  // storage (as in PyTorch): writing into them writes into the module.
  StateDict state_dict() const;
  // Copies sd's values into the parameters and buffers (in place, converting dtype, under NoGradGuard).
  // Shape mismatches are always an error; missing and unexpected keys are errors with Strict::Yes and are
  // returned with Strict::No. All problems are reported together in one attn::Error, and nothing is
  // copied unless every key is fine.
  LoadResult load_state_dict(const StateDict& sd, Strict strict = Strict::Yes);

 protected:
  // Registers a member tensor as parameter `name` and marks it requires_grad. The member must outlive
  // the module's use (it is a member of *this). An undefined tensor is skipped (torch's None parameter).
  Tensor& register_parameter(const std::string& name, Tensor& param);
  // A tensor that is saved in the state dict but not trained (torch's persistent buffer).
  Tensor& register_buffer(const std::string& name, Tensor& buffer);
  // Registers a member (or shared_ptr-owned) module as child `name`.
  template <typename M>
  M& register_module(const std::string& name, M& module) {
    add_child(name, &module);
    return module;
  }

 private:
  void add_child(const std::string& name, Module* child);
  void check_new_name(const std::string& name) const;
  void collect(const std::string& prefix, bool params,
               std::vector<std::pair<std::string, Tensor>>& out) const;

  bool training_ = true;
  std::vector<std::pair<std::string, Tensor*>> params_;
  std::vector<std::pair<std::string, Tensor*>> buffers_;
  std::vector<std::pair<std::string, Module*>> children_;
};

}  // namespace attn::nn
