// where / masked_fill: validate → broadcast layouts → where kernel → record (gradient = the selected part).
#include "attn/ops/index.h"

#include "attn/autograd/node.h"
#include "attn/core/dispatch.h"
#include "attn/kernels/cpu/index.h"
#include "attn/tensor/creation.h"
#include "attn/tensor/view.h"

namespace attn {

namespace {
// cond ? a : b over `shape` (each input broadcast to it), no autograd.
Tensor select_where(const Tensor& cond, const Tensor& a, const Tensor& b, const Shape& shape) {
  const Layout lc = expand_layout(cond.layout(), shape), la = expand_layout(a.layout(), shape),
               lb = expand_layout(b.layout(), shape);
  Tensor out = empty(shape, a.dtype());
  const uint8_t* pc = static_cast<const uint8_t*>(cond.storage()->data()) + lc.offset;
  dispatch_all(a.dtype(), "where", [&]<typename T>() {
    const T* pa = static_cast<const T*>(a.storage()->data()) + la.offset;
    const T* pb = static_cast<const T*>(b.storage()->data()) + lb.offset;
    kernels::where_forward(static_cast<T*>(out.storage()->data()), pc, lc.strides, pa, la.strides, pb,
                           lb.strides, shape);
  });
  return out;
}

void check_mask(const Tensor& m, const char* op) {
  ATTN_CHECK_KIND(DTypeMismatch, m.dtype() == DType::Bool, "{}: expected a bool condition/mask, got {}", op,
                  dtype_name(m.dtype()));
}

// Gradients of out = cond ? a : b: the selected part of dout for each side (zeros elsewhere).
struct WhereBackward : autograd::Node {
  Tensor cond;
  Shape a_shape, b_shape;
  WhereBackward(Tensor c, Shape a, Shape b)
      : cond(std::move(c)), a_shape(std::move(a)), b_shape(std::move(b)) {}
  std::string name() const override { return "WhereBackward"; }
  std::vector<Tensor> backward(const Tensor& g) override {
    const Tensor zero = scalar_tensor(0, g.dtype());
    Tensor ga, gb;
    if (needs_grad(1)) ga = autograd::reduce_to_shape(select_where(cond, g, zero, g.shape()), a_shape);
    if (needs_grad(2)) gb = autograd::reduce_to_shape(select_where(cond, zero, g, g.shape()), b_shape);
    return {Tensor(), ga, gb};
  }
  void release() override { cond = Tensor(); }
};
}  // namespace

Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) {
  check_mask(cond, "where");
  ATTN_CHECK_KIND(DTypeMismatch, a.dtype() == b.dtype(), "where: a and b must have one dtype, got {} and {}",
                  dtype_name(a.dtype()), dtype_name(b.dtype()));
  const Shape shape =
      broadcast_shapes(broadcast_shapes(cond.shape(), a.shape(), "where"), b.shape(), "where");
  Tensor out = select_where(cond, a, b, shape);
  if (autograd::needs_graph({a, b})) {
    autograd::attach(out, std::make_shared<WhereBackward>(cond.detach(), a.shape(), b.shape()), {cond, a, b});
  }
  return out;
}

Tensor masked_fill(const Tensor& x, const Tensor& mask, double value) {
  check_mask(mask, "masked_fill");
  ATTN_CHECK_KIND(ShapeMismatch, broadcast_shapes(x.shape(), mask.shape(), "masked_fill") == x.shape(),
                  "masked_fill: mask of shape {} does not broadcast to the input's shape {}",
                  shape_str(mask.shape()), shape_str(x.shape()));
  Tensor fill = scalar_tensor(value, x.dtype());
  Tensor out = select_where(mask, fill, x, x.shape());
  if (autograd::needs_graph({x})) {
    // Same node as where(mask, fill, x) with no gradient for the fill: dx = where(mask, 0, dout).
    autograd::attach(out, std::make_shared<WhereBackward>(mask.detach(), Shape{}, x.shape()),
                     {mask, fill, x});
  }
  return out;
}

}  // namespace attn
