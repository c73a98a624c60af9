// attn/nn/linear.h — nn::Linear: y = x Wᵀ + b with PyTorch's weight layout and default initialisation.
#pragma once

#include <memory>

#include "attn/core/rng.h"
#include "attn/kernels/cpu/gemm.h"
#include "attn/nn/module.h"

namespace attn::nn {

// weight: (out_features, in_features), bias: (out_features). Both drawn from U(−1/√in, 1/√in), as
// torch.nn.Linear.reset_parameters (kaiming_uniform_(a=√5) for the weight; the same bound for the bias).
// https://pytorch.org/docs/1.13/generated/torch.nn.Linear.html
class Linear : public Module {
 public:
  Linear(int64_t in_features, int64_t out_features, bool bias = true, Generator& gen = default_generator());
  std::string type_name() const override { return "Linear"; }

  // x: (…, in_features) → (…, out_features)
  Tensor forward(const Tensor& x) const;
  void reset_parameters(Generator& gen = default_generator());

  // For inference: packs the weight once for attn's GEMM (kernels::PackedB), used by forward() when no graph
  // is recorded — the same bits as without, without re-packing W on every call. A weight changed afterwards
  // (e.g. by an optimizer step) is noticed and forward() goes back to the unpacked path; call prepack()
  // again.
  void prepack();

  int64_t in_features, out_features;
  Tensor weight;  // (out_features, in_features)
  Tensor bias;    // (out_features), undefined when bias = false

 private:
  std::shared_ptr<const kernels::PackedB> packed_;
};

// Calls prepack() on every nn::Linear in `m` (a model about to serve inference only, e.g. SentenceEncoder's).
void prepack_linears(Module& m);

}  // namespace attn::nn
