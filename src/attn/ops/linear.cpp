// linear: validate → allocate (rows of b) → one gemm (x·Wᵀ, W transposed in place) → record LinearBackward.
#include "attn/ops/linear.h"

#include "attn/autograd/node.h"
#include "attn/core/dispatch.h"
#include "attn/kernels/cpu/linear.h"
#include "attn/ops/matmul.h"
#include "attn/tensor/copy.h"
#include "attn/tensor/creation.h"
#include "attn/tensor/view.h"

namespace attn {

namespace {
// dx = dy·W, dW = dyᵀ·x, db = Σ_rows dy (all with x and dy as (rows, ·) matrices).
struct LinearBackward : autograd::Node {
  Tensor x2, weight;  // (rows, in), (out, in)
  Shape x_shape;
  LinearBackward(Tensor x, Tensor w, Shape s)
      : x2(std::move(x)), weight(std::move(w)), x_shape(std::move(s)) {}
  std::string name() const override { return "LinearBackward"; }
  std::vector<Tensor> backward(const Tensor& grad) override {
    const int64_t rows = x2.size(0), in = x2.size(1), out = weight.size(0);
    const Tensor dy = detail::as_matrix(grad, rows, out);  // (rows, out)
    Tensor dx, dw, db;
    if (needs_grad(0)) {
      dx = empty({rows, in}, grad.dtype());
      detail::gemm(dx, dy, false, weight, false, false);
      dx = make_view(dx, Layout::contiguous(x_shape));
    }
    if (needs_grad(1)) {
      dw = empty({out, in}, grad.dtype());
      detail::gemm(dw, dy, true, x2, false, false);
    }
    if (needs_grad(2)) {
      db = zeros({out}, grad.dtype());
      const Tensor dyc = dy.is_contiguous() ? dy : contiguous_copy(dy);
      dispatch_floating(grad.dtype(), "linear", [&]<typename T>() {
        kernels::bias_backward(db.data<T>(), dyc.data<T>(), rows, out);
      });
    }
    return {dx, dw, db};
  }
  void release() override { x2 = weight = Tensor(); }
};
}  // namespace

namespace {
void check_linear_args(const Tensor& x, const Tensor& weight, const Tensor& bias) {
  ATTN_CHECK_KIND(ShapeMismatch, x.dim() >= 1 && weight.dim() == 2 && x.size(-1) == weight.size(1),
                  "linear: expected x (…, in) and weight (out, in) with equal in, got x {} and weight {}",
                  shape_str(x.shape()), shape_str(weight.shape()));
  ATTN_CHECK_KIND(DTypeMismatch, x.dtype() == weight.dtype() && is_floating(x.dtype()),
                  "linear: expected float32 or float64 x and weight of one dtype, got {} and {}",
                  dtype_name(x.dtype()), dtype_name(weight.dtype()));
  const int64_t out = weight.size(0);
  if (bias.defined()) {
    ATTN_CHECK_KIND(ShapeMismatch, bias.dim() == 1 && bias.size(0) == out,
                    "linear: expected bias of shape [{}] for weight {}, got {}", out,
                    shape_str(weight.shape()), shape_str(bias.shape()));
    ATTN_CHECK_KIND(DTypeMismatch, bias.dtype() == x.dtype(), "linear: bias dtype {} differs from x dtype {}",
                    dtype_name(bias.dtype()), dtype_name(x.dtype()));
  }
}

// y (rows, out) pre-filled with the bias rows, or uninitialised without a bias.
Tensor bias_rows(const Tensor& bias, int64_t rows, int64_t out, DType dtype) {
  Tensor y = empty({rows, out}, dtype);
  if (bias.defined()) {
    const Tensor b = bias.is_contiguous() ? bias : contiguous_copy(bias);
    dispatch_floating(dtype, "linear",
                      [&]<typename T>() { kernels::bias_forward(y.data<T>(), b.data<T>(), rows, out); });
  }
  return y;
}
}  // namespace

Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias) {
  check_linear_args(x, weight, bias);
  const int64_t in = weight.size(1), out = weight.size(0);
  Shape shape(x.shape().begin(), x.shape().end() - 1);
  const int64_t rows = numel(shape);
  shape.push_back(out);
  const Tensor x2 = detail::as_matrix(x, rows, in);          // (rows, in), a view when x's strides allow
  Tensor y = bias_rows(bias, rows, out, x.dtype());          // (rows, out)
  detail::gemm(y, x2, false, weight, true, bias.defined());  // y (+)= x·Wᵀ
  y = make_view(y, Layout::contiguous(shape));
  if (autograd::needs_graph({x, weight, bias})) {
    autograd::attach(y, std::make_shared<LinearBackward>(x2.detach(), weight.detach(), x.shape()),
                     {x, weight, bias});
  }
  return y;
}

Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias, const kernels::PackedB& packed) {
  check_linear_args(x, weight, bias);
  ATTN_CHECK(!autograd::needs_graph({x, weight, bias}),
             "linear with a packed weight is for inference: call it under NoGradGuard (x or the parameters "
             "require grad)");
  const int64_t in = weight.size(1), out = weight.size(0);
  Shape shape(x.shape().begin(), x.shape().end() - 1);
  const int64_t rows = numel(shape);
  const bool applies =
      x.dtype() == DType::F32 && kernels::gemm_fast_enabled() && !kernels::gemm_thin_suits(rows, out, 1) &&
      kernels::gemm_fast_suits(rows, out, in, weight.strides()[0]) &&
      packed.matches(weight.data<float>(), weight.strides()[1], weight.strides()[0], in, out);
  if (!applies) return linear(x, weight, bias);
  shape.push_back(out);
  const Tensor x2 = detail::as_matrix(x, rows, in);
  Tensor y = bias_rows(bias, rows, out, x.dtype());
  const int64_t zero = 0;
  kernels::matmul_prepacked({y.data<float>(), &zero, out, 1},
                            {x2.data<float>(), &zero, x2.strides()[0], x2.strides()[1]}, packed,
                            {1, rows, out, in}, bias.defined());
  return make_view(y, Layout::contiguous(shape));
}

}  // namespace attn
