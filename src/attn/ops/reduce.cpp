// Reductions: validate → bring the reduced dimensions into an (outer, R, inner) block → kernel → record.
#include "attn/ops/reduce.h"

#include <algorithm>
#include <numeric>

#include "attn/autograd/node.h"
#include "attn/core/dispatch.h"
#include "attn/kernels/cpu/reduce.h"
#include "attn/ops/binary.h"
#include "attn/tensor/copy.h"
#include "attn/tensor/creation.h"
#include "attn/tensor/view.h"

namespace attn {

namespace {
// A contiguous tensor's storage seen with another shape (its offset kept).
Tensor as_shape(const Tensor& t, const Shape& shape) {
  const Tensor c = t.is_contiguous() ? t : contiguous_copy(t);
  return make_view(c, Layout{shape, contiguous_strides(shape), c.offset()});
}

// How a reduction sees its input: x (contiguous, maybe permuted) as (outer, R, inner), and the output shape.
struct Plan {
  Tensor x;  // contiguous
  int64_t outer = 1, R = 1, inner = 1;
  Shape out_shape;   // with or without the reduced dimensions, per keepdim
  Shape keep_shape;  // the reduced dimensions kept as size 1 (for broadcasting gradients back)
};

// Sorted, normalised, duplicate-free reduced dimensions; empty `dims` means all of them.
std::vector<int64_t> reduced_dims(const Tensor& x, const std::vector<int64_t>& dims, const char* op) {
  const int64_t nd = x.dim();
  std::vector<int64_t> out;
  if (dims.empty()) {
    out.resize(static_cast<size_t>(nd));
    std::iota(out.begin(), out.end(), 0);
    return out;
  }
  std::vector<bool> seen(static_cast<size_t>(std::max<int64_t>(nd, 1)), false);
  for (int64_t d : dims) {
    const int64_t k = normalize_dim(d, std::max<int64_t>(nd, 1), op);
    ATTN_CHECK(!seen[k], "{}: dim {} appears multiple times in the list of dims", op, k);
    seen[k] = true;
    if (k < nd) out.push_back(k);  // a 0-d tensor accepts dim 0 / −1 and has nothing to reduce
  }
  std::sort(out.begin(), out.end());
  return out;
}

Plan make_plan(const Tensor& x, const std::vector<int64_t>& red, bool keepdim) {
  Plan p;
  const int64_t nd = x.dim();
  std::vector<bool> is_red(static_cast<size_t>(nd), false);
  for (int64_t d : red) is_red[d] = true;
  for (int64_t d = 0; d < nd; ++d) {
    p.keep_shape.push_back(is_red[d] ? 1 : x.shape()[d]);
    if (!is_red[d] || keepdim) p.out_shape.push_back(is_red[d] ? 1 : x.shape()[d]);
  }
  const bool adjacent = red.empty() || red.back() - red.front() + 1 == static_cast<int64_t>(red.size());
  if (adjacent) {  // (outer, R, inner) directly over x's own order
    p.x = x.is_contiguous() ? x : contiguous_copy(x);
    for (int64_t d = 0; d < nd; ++d) {
      const int64_t s = x.shape()[d];
      if (is_red[d]) {
        p.R *= s;
      } else if (red.empty() || d < red.front()) {
        p.outer *= s;
      } else {
        p.inner *= s;
      }
    }
    return p;
  }
  // Kept dimensions first, reduced ones last, then one copy: (outer, R, 1).
  std::vector<int64_t> order;
  for (int64_t d = 0; d < nd; ++d)
    if (!is_red[d]) order.push_back(d);
  for (int64_t d : red) order.push_back(d);
  p.x = contiguous_copy(make_view(x, permute_layout(x.layout(), order)));
  for (int64_t d = 0; d < nd; ++d) (is_red[d] ? p.R : p.outer) *= x.shape()[d];
  return p;
}

// ∂(Σ or mean)/∂x: the gradient broadcast back over the reduced dimensions (divided by R for the mean).
struct SumBackward : autograd::Node {
  Shape in_shape, keep_shape;
  int64_t R;
  bool is_mean;
  SumBackward(Shape in, Shape keep, int64_t r, bool m)
      : in_shape(std::move(in)), keep_shape(std::move(keep)), R(r), is_mean(m) {}
  std::string name() const override { return is_mean ? "MeanBackward" : "SumBackward"; }
  std::vector<Tensor> backward(const Tensor& g) override {
    const Tensor gk = as_shape(g, keep_shape);
    Tensor gx = contiguous_copy(make_view(gk, expand_layout(gk.layout(), in_shape)));
    return {is_mean ? div(gx, static_cast<double>(R)) : gx};
  }
};

Tensor sum_or_mean(const Tensor& x, const std::vector<int64_t>& dims, bool keepdim, bool is_mean) {
  const char* op = is_mean ? "mean" : "sum";
  if (is_mean) {
    ATTN_CHECK_KIND(DTypeMismatch, is_floating(x.dtype()),
                    "mean: could not infer output dtype; input dtype must be floating point, got {}",
                    dtype_name(x.dtype()));
  }
  const Plan p = make_plan(x, reduced_dims(x, dims, op), keepdim);
  Tensor out = empty(p.out_shape, x.dtype());
  dispatch_numeric(x.dtype(), op, [&]<typename T>() {
    kernels::sum_forward<T>(out.data<T>(), p.x.data<T>(), p.outer, p.R, p.inner, is_mean);
  });
  if (autograd::needs_graph({x})) {
    autograd::attach(out, std::make_shared<SumBackward>(x.shape(), p.keep_shape, p.R, is_mean), {x});
  }
  return out;
}
}  // namespace

Tensor sum(const Tensor& x) { return sum_or_mean(x, {}, false, false); }
Tensor sum(const Tensor& x, const std::vector<int64_t>& dims, bool keepdim) {
  return sum_or_mean(x, dims, keepdim, false);
}
Tensor sum(const Tensor& x, int64_t dim, bool keepdim) { return sum_or_mean(x, {dim}, keepdim, false); }
Tensor mean(const Tensor& x) { return sum_or_mean(x, {}, false, true); }
Tensor mean(const Tensor& x, const std::vector<int64_t>& dims, bool keepdim) {
  return sum_or_mean(x, dims, keepdim, true);
}
Tensor mean(const Tensor& x, int64_t dim, bool keepdim) { return sum_or_mean(x, {dim}, keepdim, true); }

namespace {
// ∂ max_dim / ∂x: the gradient goes to the selected index of each line.
struct MaxBackward : autograd::Node {
  Tensor indices;  // (outer, inner) contiguous
  Shape in_shape;
  int64_t outer, R, inner;
  MaxBackward(Tensor idx, Shape in, int64_t o, int64_t r, int64_t i)
      : indices(std::move(idx)), in_shape(std::move(in)), outer(o), R(r), inner(i) {}
  std::string name() const override { return "MaxBackward"; }
  std::vector<Tensor> backward(const Tensor& g) override {
    const Tensor gc = g.is_contiguous() ? g : contiguous_copy(g);
    Tensor dx = zeros(in_shape, g.dtype());
    dispatch_floating(g.dtype(), "max backward", [&]<typename T>() {
      kernels::max_backward<T>(dx.data<T>(), gc.data<T>(), indices.data<int64_t>(), outer, R, inner);
    });
    return {dx};
  }
  void release() override { indices = Tensor(); }
};

// max over one dimension, with the (outer, R, inner) split that its backward needs.
struct MaxAlong {
  MaxResult r;
  int64_t outer, R, inner;
};

MaxAlong max_along(const Tensor& x, int64_t dim, bool keepdim, const char* op) {
  const int64_t d = normalize_dim(dim, std::max<int64_t>(x.dim(), 1), op);
  const std::vector<int64_t> red = x.dim() == 0 ? std::vector<int64_t>{} : std::vector<int64_t>{d};
  ATTN_CHECK_KIND(IndexOutOfRange, x.dim() == 0 || x.shape()[d] > 0,
                  "{}: expected reduction dim {} to have non-zero size (input shape {})", op, d,
                  shape_str(x.shape()));
  const Plan p = make_plan(x, red, keepdim);
  MaxAlong m{{empty(p.out_shape, x.dtype()), empty(p.out_shape, DType::I64)}, p.outer, p.R, p.inner};
  dispatch_numeric(x.dtype(), op, [&]<typename T>() {
    kernels::max_forward<T>(m.r.values.data<T>(), m.r.indices.data<int64_t>(), p.x.data<T>(), p.outer, p.R,
                            p.inner);
  });
  return m;
}

// ∂ max(x) / ∂x: g / k on each of the k elements equal to the maximum (NaN: on the NaNs).
struct MaxAllBackward : autograd::Node {
  Tensor x, value;  // x contiguous; value shape []
  MaxAllBackward(Tensor x_, Tensor v) : x(std::move(x_)), value(std::move(v)) {}
  std::string name() const override { return "MaxAllBackward"; }
  std::vector<Tensor> backward(const Tensor& g) override {
    Tensor dx = zeros(x.shape(), x.dtype());
    dispatch_floating(x.dtype(), "max backward", [&]<typename T>() {
      const T m = value.item<T>(), gv = g.item<T>();
      const T* px = x.data<T>();
      T* pdx = dx.data<T>();
      auto hit = [m](T v) { return v == m || (m != m && v != v); };
      int64_t k = 0;
      for (int64_t i = 0; i < x.numel(); ++i) k += hit(px[i]);
      for (int64_t i = 0; i < x.numel(); ++i) pdx[i] = hit(px[i]) ? gv / static_cast<T>(k) : T(0);
    });
    return {dx};
  }
  void release() override { x = value = Tensor(); }
};
}  // namespace

MaxResult max(const Tensor& x, int64_t dim, bool keepdim) {
  MaxAlong m = max_along(x, dim, keepdim, "max");
  if (autograd::needs_graph({x})) {
    autograd::attach(m.r.values, std::make_shared<MaxBackward>(m.r.indices, x.shape(), m.outer, m.R, m.inner),
                     {x});
  }
  return m.r;
}

Tensor max(const Tensor& x) {
  ATTN_CHECK_KIND(IndexOutOfRange, x.numel() > 0,
                  "max: expected a non-empty tensor to reduce over all elements (input shape {}); pass a dim",
                  shape_str(x.shape()));
  const Tensor flat = as_shape(x, {x.numel()});
  Tensor value = as_shape(max_along(flat, 0, false, "max").r.values, {});
  if (autograd::needs_graph({x})) {
    autograd::attach(value, std::make_shared<MaxAllBackward>(as_shape(x, x.shape()).detach(), value.detach()),
                     {x});
  }
  return value;
}

Tensor argmax(const Tensor& x, int64_t dim, bool keepdim) {
  return max_along(x, dim, keepdim, "argmax").r.indices;
}

Tensor argmax(const Tensor& x) {
  ATTN_CHECK_KIND(IndexOutOfRange, x.numel() > 0, "argmax: expected a non-empty tensor (input shape {})",
                  shape_str(x.shape()));
  return as_shape(max_along(as_shape(x, {x.numel()}), 0, false, "argmax").r.indices, {});
}

}  // namespace attn
