// dropout: validate → draw the keep-mask → apply kernel → record DropoutBackward (mask saved).
#include "attn/ops/dropout.h"

#include "attn/autograd/node.h"
#include "attn/core/dispatch.h"
#include "attn/kernels/cpu/dropout.h"
#include "attn/tensor/copy.h"
#include "attn/tensor/creation.h"

namespace attn {

namespace {
// dx = dy ⊙ mask · scale
struct DropoutBackward : autograd::Node {
  Tensor mask;  // (n) Bool, row-major over x's shape
  double scale;
  DropoutBackward(Tensor m, double s) : mask(std::move(m)), scale(s) {}
  std::string name() const override { return "DropoutBackward"; }
  std::vector<Tensor> backward(const Tensor& grad) override {
    const Tensor g = grad.is_contiguous() ? grad : contiguous_copy(grad);
    Tensor dx = zeros(grad.shape(), grad.dtype());
    dispatch_floating(grad.dtype(), "dropout", [&]<typename T>() {
      kernels::dropout_backward(dx.data<T>(), g.data<T>(),
                                static_cast<const uint8_t*>(mask.storage()->data()), g.numel(),
                                static_cast<T>(scale));
    });
    return {dx};
  }
  void release() override { mask = Tensor(); }
};
}  // namespace

Tensor dropout(const Tensor& x_in, double p, bool training, Generator& gen) {
  ATTN_CHECK(p >= 0 && p <= 1, "dropout: probability has to be between 0 and 1, but got {}", p);
  ATTN_CHECK_KIND(DTypeMismatch, is_floating(x_in.dtype()),
                  "dropout: expected a float32 or float64 tensor, got {}", dtype_name(x_in.dtype()));
  if (!training || p == 0) return x_in;
  const Tensor x = x_in.is_contiguous() ? x_in : contiguous_copy(x_in);
  const int64_t n = x.numel();
  Tensor mask = empty(x.shape(), DType::Bool);
  uint8_t* m = static_cast<uint8_t*>(mask.storage()->data());
  for (int64_t i = 0; i < n; ++i) m[i] = gen.uniform() >= p ? 1 : 0;  // keep with probability 1 − p
  const double scale = p == 1 ? 0.0 : 1.0 / (1.0 - p);
  Tensor out = empty(x.shape(), x.dtype());
  dispatch_floating(x.dtype(), "dropout", [&]<typename T>() {
    kernels::dropout_forward(out.data<T>(), x.data<T>(), m, n, static_cast<T>(scale));
  });
  if (autograd::needs_graph({x_in}))
    autograd::attach(out, std::make_shared<DropoutBackward>(mask, scale), {x_in});
  return out;
}

}  // namespace attn
