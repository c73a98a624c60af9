// layer_norm: validate → allocate → dispatch → record (STYLE P4). x is seen as (rows, C) with C the product
// of normalized_shape; LayerNormBackward saves x, weight and the per-row mean and rstd.
#include "attn/ops/norm.h"

#include "attn/autograd/node.h"
#include "attn/core/dispatch.h"
#include "attn/kernels/cpu/layer_norm.h"
#include "attn/tensor/copy.h"
#include "attn/tensor/creation.h"

namespace attn {

namespace {
Tensor contiguous_of(const Tensor& t) { return t.is_contiguous() ? t : contiguous_copy(t); }

template <typename T>
const T* data_or_null(const Tensor& t) {
  return t.defined() ? t.data<T>() : nullptr;
}
template <typename T>
T* mutable_data_or_null(const Tensor& t) {
  return t.defined() ? t.data<T>() : nullptr;
}

// Checks x's trailing dimensions against normalized_shape and the affine parameters; returns C.
int64_t check_layer_norm(const Tensor& x, const Shape& ns, const Tensor& weight, const Tensor& bias) {
  const int64_t k = static_cast<int64_t>(ns.size());
  bool ok = x.dim() >= k;
  for (int64_t i = 0; ok && i < k; ++i) ok = x.shape()[x.dim() - k + i] == ns[i];
  ATTN_CHECK_KIND(ShapeMismatch, ok,
                  "layer_norm: given normalized_shape={}, expected input with shape [*, {}], but got {}",
                  shape_str(ns), fmt::join(ns, ", "), shape_str(x.shape()));
  for (const auto& [t, what] : {std::pair{weight, "weight"}, std::pair{bias, "bias"}}) {
    if (!t.defined()) continue;
    ATTN_CHECK_KIND(ShapeMismatch, t.shape() == ns,
                    "layer_norm: {} has shape {}, expected normalized_shape {}", what, shape_str(t.shape()),
                    shape_str(ns));
    ATTN_CHECK_KIND(DTypeMismatch, t.dtype() == x.dtype(), "layer_norm: {} has dtype {}, input has {}", what,
                    dtype_name(t.dtype()), dtype_name(x.dtype()));
  }
  return numel(ns);
}

struct LayerNormBackward : autograd::Node {
  Tensor x, weight, mean, rstd;  // x contiguous (rows, C); weight (C) or undefined; mean, rstd (rows)
  Shape param_shape;             // normalized_shape: the shape of dweight and dbias
  LayerNormBackward(Tensor x_, Tensor w_, Tensor m_, Tensor r_, Shape ps)
      : x(std::move(x_)),
        weight(std::move(w_)),
        mean(std::move(m_)),
        rstd(std::move(r_)),
        param_shape(std::move(ps)) {}
  std::string name() const override { return "LayerNormBackward"; }
  std::vector<Tensor> backward(const Tensor& g) override {
    const Tensor gc = contiguous_of(g);
    const int64_t rows = mean.numel(), C = rows == 0 ? 0 : x.numel() / rows;
    Tensor dx = needs_grad(0) ? empty(x.shape(), x.dtype()) : Tensor();  // the kernel writes every element
    Tensor dw = needs_grad(1) ? zeros(param_shape, x.dtype()) : Tensor();
    Tensor db = needs_grad(2) ? zeros(param_shape, x.dtype()) : Tensor();
    dispatch_floating(x.dtype(), "layer_norm backward", [&]<typename T>() {
      kernels::layer_norm_backward<T>(mutable_data_or_null<T>(dx), mutable_data_or_null<T>(dw),
                                      mutable_data_or_null<T>(db), gc.data<T>(), x.data<T>(),
                                      data_or_null<T>(weight), mean.data<T>(), rstd.data<T>(), rows, C);
    });
    return {dx, dw, db};
  }
  void release() override { x = weight = mean = rstd = Tensor(); }
};
}  // namespace

Tensor layer_norm(const Tensor& x, const Shape& normalized_shape, const Tensor& weight, const Tensor& bias,
                  double eps) {
  const int64_t C = check_layer_norm(x, normalized_shape, weight, bias);
  const int64_t rows = C == 0 ? 0 : x.numel() / C;
  const Tensor xc = contiguous_of(x);
  const Tensor wc = weight.defined() ? contiguous_of(weight) : Tensor();
  const Tensor bc = bias.defined() ? contiguous_of(bias) : Tensor();
  Tensor y = empty(x.shape(), x.dtype());
  Tensor mean = empty({rows}, x.dtype()), rstd = empty({rows}, x.dtype());
  dispatch_floating(x.dtype(), "layer_norm", [&]<typename T>() {
    kernels::layer_norm_forward<T>(y.data<T>(), mean.data<T>(), rstd.data<T>(), xc.data<T>(),
                                   data_or_null<T>(wc), data_or_null<T>(bc), rows, C, eps);
  });
  if (autograd::needs_graph({x, weight, bias})) {
    autograd::attach(y,
                     std::make_shared<LayerNormBackward>(xc.detach(), wc.defined() ? wc.detach() : Tensor(),
                                                         mean, rstd, normalized_shape),
                     {x, weight, bias});
  }
  return y;
}

}  // namespace attn
