// Unary elementwise ops. Each op is a forward map plus a Backward node that saves what f'(x) needs.
#include "attn/ops/unary.h"

#include <cmath>

#include "attn/autograd/node.h"
#include "attn/core/dispatch.h"
#include "attn/kernels/cpu/elementwise.h"
#include "attn/ops/binary.h"
#include "attn/tensor/copy.h"
#include "attn/tensor/creation.h"

namespace attn {

namespace {
// y = f(x) elementwise for floating x (any layout); returns a contiguous tensor.
template <typename F>
Tensor map_floating(const Tensor& x, const char* op, F f) {
  const Tensor xc = x.is_contiguous() ? x : contiguous_copy(x);
  Tensor out = empty(x.shape(), x.dtype());
  dispatch_floating(x.dtype(), op, [&]<typename T>() {
    kernels::unary_map(out.data<T>(), xc.data<T>(), x.numel(), [&](T v) { return static_cast<T>(f(v)); });
  });
  return out;
}
}  // namespace

// d(-x)/dx = -1.
struct NegBackward : autograd::Node {
  std::string name() const override { return "NegBackward"; }
  std::vector<Tensor> backward(const Tensor& g) override { return {neg(g)}; }
};

Tensor neg(const Tensor& x) {
  const Tensor xc = x.is_contiguous() ? x : contiguous_copy(x);
  Tensor out = empty(x.shape(), x.dtype());
  dispatch_numeric(x.dtype(), "neg", [&]<typename T>() {
    kernels::unary_map(out.data<T>(), xc.data<T>(), x.numel(), [](T v) { return -v; });
  });
  if (autograd::needs_graph({x})) autograd::attach(out, std::make_shared<NegBackward>(), {x});
  return out;
}

// d(eˣ)/dx = eˣ = y, so the output is saved.
struct ExpBackward : autograd::Node {
  Tensor y;
  explicit ExpBackward(Tensor y_) : y(std::move(y_)) {}
  std::string name() const override { return "ExpBackward"; }
  std::vector<Tensor> backward(const Tensor& g) override { return {mul(g, y)}; }
  void release() override { y = Tensor(); }
};

Tensor exp(const Tensor& x) {
  Tensor out = map_floating(x, "exp", [](auto v) { return std::exp(v); });
  if (autograd::needs_graph({x})) autograd::attach(out, std::make_shared<ExpBackward>(out.detach()), {x});
  return out;
}

}  // namespace attn
