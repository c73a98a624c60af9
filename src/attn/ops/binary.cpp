// Broadcasting binary arithmetic: validate → allocate → dispatch → record (STYLE P4).
#include "attn/ops/binary.h"

#include "attn/autograd/node.h"
#include "attn/core/dispatch.h"
#include "attn/kernels/cpu/elementwise.h"
#include "attn/ops/unary.h"
#include "attn/tensor/creation.h"
#include "attn/tensor/view.h"

namespace attn {

namespace {
enum class BinaryOp { Add, Sub, Mul, Div };

Tensor binary_forward(const Tensor& a, const Tensor& b, BinaryOp op, const char* name) {
  ATTN_CHECK_KIND(DTypeMismatch, a.dtype() == b.dtype(),
                  "{}: dtypes differ ({} vs {}); convert one with attn::to_dtype", name,
                  dtype_name(a.dtype()), dtype_name(b.dtype()));
  const Shape shape = broadcast_shapes(a.shape(), b.shape(), name);
  const Layout la = expand_layout(a.layout(), shape), lb = expand_layout(b.layout(), shape);
  Tensor out = empty(shape, a.dtype());
  dispatch_numeric(a.dtype(), name, [&]<typename T>() {
    const T* pa = static_cast<const T*>(a.storage()->data()) + la.offset;
    const T* pb = static_cast<const T*>(b.storage()->data()) + lb.offset;
    T* po = out.data<T>();
    switch (op) {
      case BinaryOp::Add:
        kernels::binary_map(po, pa, la.strides, pb, lb.strides, shape, [](T x, T y) { return x + y; });
        break;
      case BinaryOp::Sub:
        kernels::binary_map(po, pa, la.strides, pb, lb.strides, shape, [](T x, T y) { return x - y; });
        break;
      case BinaryOp::Mul:
        kernels::binary_map(po, pa, la.strides, pb, lb.strides, shape, [](T x, T y) { return x * y; });
        break;
      case BinaryOp::Div:
        kernels::binary_map(po, pa, la.strides, pb, lb.strides, shape, [](T x, T y) { return x / y; });
        break;
    }
  });
  return out;
}

Tensor scalar_like(const Tensor& t, double v) { return scalar_tensor(v, t.dtype()); }
}  // namespace

// d(a+b)/da = 1, d(a+b)/db = 1, each summed over its broadcast dimensions.
struct AddBackward : autograd::Node {
  Shape a_shape, b_shape;
  AddBackward(Shape a, Shape b) : a_shape(std::move(a)), b_shape(std::move(b)) {}
  std::string name() const override { return "AddBackward"; }
  std::vector<Tensor> backward(const Tensor& g) override {
    return {needs_grad(0) ? autograd::reduce_to_shape(g, a_shape) : Tensor(),
            needs_grad(1) ? autograd::reduce_to_shape(g, b_shape) : Tensor()};
  }
};

Tensor add(const Tensor& a, const Tensor& b) {
  Tensor out = binary_forward(a, b, BinaryOp::Add, "add");
  if (autograd::needs_graph({a, b}))
    autograd::attach(out, std::make_shared<AddBackward>(a.shape(), b.shape()), {a, b});
  return out;
}

// d(a-b)/da = 1, d(a-b)/db = -1.
struct SubBackward : autograd::Node {
  Shape a_shape, b_shape;
  SubBackward(Shape a, Shape b) : a_shape(std::move(a)), b_shape(std::move(b)) {}
  std::string name() const override { return "SubBackward"; }
  std::vector<Tensor> backward(const Tensor& g) override {
    return {needs_grad(0) ? autograd::reduce_to_shape(g, a_shape) : Tensor(),
            needs_grad(1) ? autograd::reduce_to_shape(neg(g), b_shape) : Tensor()};
  }
};

Tensor sub(const Tensor& a, const Tensor& b) {
  Tensor out = binary_forward(a, b, BinaryOp::Sub, "sub");
  if (autograd::needs_graph({a, b}))
    autograd::attach(out, std::make_shared<SubBackward>(a.shape(), b.shape()), {a, b});
  return out;
}

// d(a⊙b)/da = b, d(a⊙b)/db = a.
struct MulBackward : autograd::Node {
  Tensor a, b;
  MulBackward(Tensor a_, Tensor b_) : a(std::move(a_)), b(std::move(b_)) {}
  std::string name() const override { return "MulBackward"; }
  std::vector<Tensor> backward(const Tensor& g) override {
    return {needs_grad(0) ? autograd::reduce_to_shape(mul(g, b), a.shape()) : Tensor(),
            needs_grad(1) ? autograd::reduce_to_shape(mul(g, a), b.shape()) : Tensor()};
  }
  void release() override { a = b = Tensor(); }
};

Tensor mul(const Tensor& a, const Tensor& b) {
  Tensor out = binary_forward(a, b, BinaryOp::Mul, "mul");
  if (autograd::needs_graph({a, b})) {
    autograd::attach(out, std::make_shared<MulBackward>(a.detach(), b.detach()), {a, b});
  }
  return out;
}

// d(a/b)/da = 1/b, d(a/b)/db = -a/b².
struct DivBackward : autograd::Node {
  Tensor a, b;
  DivBackward(Tensor a_, Tensor b_) : a(std::move(a_)), b(std::move(b_)) {}
  std::string name() const override { return "DivBackward"; }
  std::vector<Tensor> backward(const Tensor& g) override {
    Tensor ga, gb;
    if (needs_grad(0)) ga = autograd::reduce_to_shape(div(g, b), a.shape());
    if (needs_grad(1)) gb = autograd::reduce_to_shape(neg(div(mul(g, a), mul(b, b))), b.shape());
    return {ga, gb};
  }
  void release() override { a = b = Tensor(); }
};

Tensor div(const Tensor& a, const Tensor& b) {
  Tensor out = binary_forward(a, b, BinaryOp::Div, "div");
  if (autograd::needs_graph({a, b})) {
    autograd::attach(out, std::make_shared<DivBackward>(a.detach(), b.detach()), {a, b});
  }
  return out;
}

Tensor add(const Tensor& a, double b) { return add(a, scalar_like(a, b)); }
Tensor sub(const Tensor& a, double b) { return sub(a, scalar_like(a, b)); }
Tensor mul(const Tensor& a, double b) { return mul(a, scalar_like(a, b)); }
Tensor div(const Tensor& a, double b) { return div(a, scalar_like(a, b)); }
Tensor rsub(double a, const Tensor& b) { return sub(scalar_like(b, a), b); }
Tensor rdiv(double a, const Tensor& b) { return div(scalar_like(b, a), b); }

}  // namespace attn
