// nn::Linear — parameters, PyTorch's default init, and the call into ops/linear.
#include "attn/nn/linear.h"

#include <cmath>

#include "attn/autograd/grad_mode.h"
#include "attn/nn/init.h"
#include "attn/ops/linear.h"
#include "attn/tensor/creation.h"

namespace attn::nn {

Linear::Linear(int64_t in, int64_t out, bool with_bias, Generator& gen) : in_features(in), out_features(out) {
  ATTN_CHECK(in >= 0 && out >= 0, "Linear: expected non-negative sizes, got in_features={} out_features={}",
             in, out);
  weight = empty({out, in});
  if (with_bias) bias = empty({out});
  register_parameter("weight", weight);
  register_parameter("bias", bias);
  reset_parameters(gen);
}

void Linear::reset_parameters(Generator& gen) {
  if (weight.numel() > 0)
    init::kaiming_uniform_(weight, std::sqrt(5.0), init::FanMode::FanIn, init::Nonlinearity::LeakyReLU, gen);
  if (bias.defined()) {
    const double bound = in_features > 0 ? 1.0 / std::sqrt(static_cast<double>(in_features)) : 0.0;
    init::uniform_(bias, -bound, bound, gen);
  }
}

Tensor Linear::forward(const Tensor& x) const {
  if (packed_ && !GradMode::is_enabled() && x.dtype() == DType::F32 && weight.dtype() == DType::F32)
    return linear(x, weight, bias, *packed_);
  return linear(x, weight, bias);
}

void Linear::prepack() {
  packed_.reset();
  if (weight.dtype() != DType::F32 || !kernels::gemm_fast_enabled() || weight.numel() == 0) return;
  const int64_t zero = 0;  // Wᵀ: (in, out) with W's strides swapped, as linear() passes it
  packed_ = std::make_shared<const kernels::PackedB>(
      kernels::MatrixBatch<const float>{weight.data<float>(), &zero, weight.strides()[1],
                                        weight.strides()[0]},
      in_features, out_features);
}

void prepack_linears(Module& m) {
  for (auto& [_, child] : m.named_modules())
    if (auto* l = dynamic_cast<Linear*>(child)) l->prepack();
}

}  // namespace attn::nn
