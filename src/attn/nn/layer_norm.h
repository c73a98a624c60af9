// attn/nn/layer_norm.h — nn::LayerNorm over the trailing normalized_shape dimensions (Ba et al. 2016).
#pragma once

#include "attn/nn/module.h"

namespace attn::nn {

// y = (x − E[x]) / √(Var[x] + eps) · weight + bias; weight = 1, bias = 0 initially; no parameters when
// elementwise_affine is false. https://pytorch.org/docs/1.13/generated/torch.nn.LayerNorm.html
class LayerNorm : public Module {
 public:
  explicit LayerNorm(Shape shape, double epsilon = 1e-5, bool elementwise_affine = true);
  explicit LayerNorm(int64_t size, double epsilon = 1e-5, bool elementwise_affine = true)
      : LayerNorm(Shape{size}, epsilon, elementwise_affine) {}
  std::string type_name() const override { return "LayerNorm"; }

  // x: (…, *normalized_shape) → same shape
  Tensor forward(const Tensor& x) const;
  void reset_parameters();

  Shape normalized_shape;
  double eps;
  Tensor weight;  // normalized_shape, undefined without elementwise_affine
  Tensor bias;    // normalized_shape, undefined without elementwise_affine
};

}  // namespace attn::nn
