// nn::Linear — parameters, PyTorch's default init, and the call into ops/linear.
#include "attn/nn/linear.h"

#include <cmath>

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

Tensor Linear::forward(const Tensor& x) const { return linear(x, weight, bias); }

}  // namespace attn::nn
