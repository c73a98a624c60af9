// nn::LayerNorm — ones/zeros affine parameters, forward through ops/norm.
#include "attn/nn/layer_norm.h"

#include "attn/nn/init.h"
#include "attn/ops/norm.h"
#include "attn/tensor/creation.h"

namespace attn::nn {

LayerNorm::LayerNorm(Shape shape, double eps_, bool elementwise_affine)
    : normalized_shape(std::move(shape)), eps(eps_) {
  ATTN_CHECK(!normalized_shape.empty(), "LayerNorm: normalized_shape must have at least one dimension");
  if (elementwise_affine) {
    weight = ones(normalized_shape);
    bias = zeros(normalized_shape);
  }
  register_parameter("weight", weight);
  register_parameter("bias", bias);
}

void LayerNorm::reset_parameters() {
  if (weight.defined()) init::ones_(weight);
  if (bias.defined()) init::zeros_(bias);
}

Tensor LayerNorm::forward(const Tensor& x) const {
  return layer_norm(x, normalized_shape, weight, bias, eps);
}

}  // namespace attn::nn
