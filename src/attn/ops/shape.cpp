// Differentiable views. Forward: new Layout over the same Storage (tensor/view.h). Backward: either a view
// that undoes it (reshape, transpose, permute) or a scatter of the gradient into zeros of the input's shape
// through the same view (narrow, slice, select).
#include "attn/ops/shape.h"

#include <functional>

#include "attn/autograd/node.h"
#include "attn/tensor/copy.h"
#include "attn/tensor/creation.h"
#include "attn/tensor/view.h"

namespace attn {

namespace {
using LayoutFn = std::function<Layout(const Layout&)>;

// Gradient of out = view_fn(x): zeros of x's shape, with the gradient written through the same view.
struct ViewScatterBackward : autograd::Node {
  Shape in_shape;
  LayoutFn view_fn;
  const char* op;
  ViewScatterBackward(Shape s, LayoutFn f, const char* o)
      : in_shape(std::move(s)), view_fn(std::move(f)), op(o) {}
  std::string name() const override { return std::string(op) + "Backward"; }
  std::vector<Tensor> backward(const Tensor& g) override {
    Tensor gx = zeros(in_shape, g.dtype());
    copy_(make_view(gx, view_fn(gx.layout())), g);
    return {gx};
  }
};

// Gradient of a view whose inverse is another view (reshape → reshape back, transpose → transpose).
struct InverseViewBackward : autograd::Node {
  std::function<Tensor(const Tensor&)> inverse;
  const char* op;
  InverseViewBackward(std::function<Tensor(const Tensor&)> f, const char* o) : inverse(std::move(f)), op(o) {}
  std::string name() const override { return std::string(op) + "Backward"; }
  std::vector<Tensor> backward(const Tensor& g) override { return {inverse(g)}; }
};

Tensor scatter_view(const Tensor& x, LayoutFn fn, const char* op) {
  Tensor out = make_view(x, fn(x.layout()));
  if (autograd::needs_graph({x}))
    autograd::attach(out, std::make_shared<ViewScatterBackward>(x.shape(), fn, op), {x});
  return out;
}

Tensor record_inverse(const Tensor& x, Tensor out, std::function<Tensor(const Tensor&)> inverse,
                      const char* op) {
  if (autograd::needs_graph({x}))
    autograd::attach(out, std::make_shared<InverseViewBackward>(std::move(inverse), op), {x});
  return out;
}
}  // namespace

Tensor reshape(const Tensor& x, const Shape& shape) {
  const Shape target = infer_shape(shape, x.numel(), "reshape");
  auto layout = view_layout(x.layout(), target);
  Tensor out = layout ? make_view(x, *layout) : make_view(contiguous_copy(x), Layout::contiguous(target));
  const Shape in_shape = x.shape();
  return record_inverse(
      x, out, [in_shape](const Tensor& g) { return reshape(g, in_shape); }, "Reshape");
}

Tensor view(const Tensor& x, const Shape& shape) {
  const Shape target = infer_shape(shape, x.numel(), "view");
  auto layout = view_layout(x.layout(), target);
  ATTN_CHECK_KIND(
      ShapeMismatch, layout.has_value(),
      "view: size {} is not compatible with input's size {} and strides [{}] (at least one dimension "
      "spans across two contiguous subspaces); use reshape",
      shape_str(target), shape_str(x.shape()), fmt::join(x.strides(), ", "));
  const Shape in_shape = x.shape();
  return record_inverse(
      x, make_view(x, *layout), [in_shape](const Tensor& g) { return reshape(g, in_shape); }, "View");
}

Tensor flatten(const Tensor& x, int64_t start_dim, int64_t end_dim) {
  if (x.dim() == 0) return reshape(x, {1});
  start_dim = normalize_dim(start_dim, x.dim(), "flatten");
  end_dim = normalize_dim(end_dim, x.dim(), "flatten");
  ATTN_CHECK(start_dim <= end_dim, "flatten: start_dim {} must not be after end_dim {}", start_dim, end_dim);
  Shape s(x.shape().begin(), x.shape().begin() + start_dim);
  int64_t n = 1;
  for (int64_t d = start_dim; d <= end_dim; ++d) n *= x.shape()[d];
  s.push_back(n);
  s.insert(s.end(), x.shape().begin() + end_dim + 1, x.shape().end());
  return reshape(x, s);
}

Tensor transpose(const Tensor& x, int64_t dim0, int64_t dim1) {
  Tensor out = make_view(x, transpose_layout(x.layout(), dim0, dim1));
  return record_inverse(
      x, out, [dim0, dim1](const Tensor& g) { return transpose(g, dim0, dim1); }, "Transpose");
}

Tensor t(const Tensor& x) {
  ATTN_CHECK_KIND(ShapeMismatch, x.dim() <= 2, "t: expects a tensor with <= 2 dimensions, got shape {}",
                  shape_str(x.shape()));
  return x.dim() < 2 ? x : transpose(x, 0, 1);
}

Tensor permute(const Tensor& x, const std::vector<int64_t>& dims) {
  Tensor out = make_view(x, permute_layout(x.layout(), dims));
  std::vector<int64_t> inverse(dims.size());
  for (size_t i = 0; i < dims.size(); ++i)
    inverse[normalize_dim(dims[i], x.dim(), "permute")] = static_cast<int64_t>(i);
  return record_inverse(
      x, out, [inverse](const Tensor& g) { return permute(g, inverse); }, "Permute");
}

Tensor narrow(const Tensor& x, int64_t dim, int64_t start, int64_t length) {
  return scatter_view(
      x, [=](const Layout& l) { return narrow_layout(l, dim, start, length); }, "Narrow");
}

Tensor slice(const Tensor& x, int64_t dim, int64_t start, int64_t end, int64_t step) {
  return scatter_view(
      x, [=](const Layout& l) { return slice_layout(l, dim, start, end, step); }, "Slice");
}

Tensor select(const Tensor& x, int64_t dim, int64_t index) {
  return scatter_view(
      x, [=](const Layout& l) { return select_layout(l, dim, index); }, "Select");
}

Tensor unsqueeze(const Tensor& x, int64_t dim) {
  Tensor out = make_view(x, unsqueeze_layout(x.layout(), dim));
  const Shape in_shape = x.shape();
  return record_inverse(
      x, out, [in_shape](const Tensor& g) { return reshape(g, in_shape); }, "Unsqueeze");
}

Tensor squeeze(const Tensor& x) {
  Tensor out = make_view(x, squeeze_layout(x.layout(), std::nullopt));
  const Shape in_shape = x.shape();
  return record_inverse(
      x, out, [in_shape](const Tensor& g) { return reshape(g, in_shape); }, "Squeeze");
}

Tensor squeeze(const Tensor& x, int64_t dim) {
  Tensor out = make_view(x, squeeze_layout(x.layout(), dim));
  const Shape in_shape = x.shape();
  return record_inverse(
      x, out, [in_shape](const Tensor& g) { return reshape(g, in_shape); }, "Squeeze");
}

Tensor expand(const Tensor& x, const Shape& shape) {
  Tensor out = make_view(x, expand_layout(x.layout(), shape));
  const Shape in_shape = x.shape();
  return record_inverse(
      x, out, [in_shape](const Tensor& g) { return autograd::reduce_to_shape(g, in_shape); }, "Expand");
}

Tensor contiguous(const Tensor& x) {
  if (x.is_contiguous()) return x;
  return clone(x);
}

Tensor clone(const Tensor& x) {
  return record_inverse(
      x, contiguous_copy(x), [](const Tensor& g) { return g; }, "Clone");
}

Tensor to_dtype(const Tensor& x, DType dtype) {
  if (x.dtype() == dtype) return x;
  Tensor out = convert(x, dtype);
  if (autograd::needs_graph({x})) {
    ATTN_CHECK_KIND(DTypeMismatch, is_floating(dtype),
                    "to_dtype: cannot convert a tensor that requires grad to {} (not differentiable)",
                    dtype_name(dtype));
  }
  const DType back = x.dtype();
  return record_inverse(
      x, out, [back](const Tensor& g) { return convert(g, back); }, "ToDtype");
}

}  // namespace attn
