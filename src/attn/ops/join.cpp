// cat / stack / split / chunk / unbind. cat copies each input into its slice of the output through the tensor
// layer's strided copy_; stack is composed of unsqueeze views and cat; split/chunk/unbind return views that
// share one multi-output backward node (SplitBackward).
#include "attn/ops/join.h"

#include "attn/autograd/node.h"
#include "attn/ops/shape.h"
#include "attn/tensor/copy.h"
#include "attn/tensor/creation.h"
#include "attn/tensor/view.h"

namespace attn {

namespace {
// Each input's gradient is its slice of dout along dim (a view, no copy).
struct CatBackward : autograd::Node {
  std::vector<int64_t> sizes;
  int64_t dim;
  CatBackward(std::vector<int64_t> s, int64_t d) : sizes(std::move(s)), dim(d) {}
  std::string name() const override { return "CatBackward"; }
  std::vector<Tensor> backward(const Tensor& g) override {
    std::vector<Tensor> grads(sizes.size());
    int64_t start = 0;
    for (size_t i = 0; i < sizes.size(); ++i) {
      if (needs_grad(i)) grads[i] = make_view(g, narrow_layout(g.layout(), dim, start, sizes[i]));
      start += sizes[i];
    }
    return grads;
  }
};

// One node for all pieces of split/chunk/unbind: every piece's gradient is copied into its slice of ONE
// buffer of x's shape (zero-filled only when some piece got no gradient). A per-piece narrow/select
// backward would instead make one zero-filled x-sized gradient per piece for the engine to add up — for an
// RNN's T time steps, T full (T, B, G·H) buffers, O(T²) memory traffic.
struct SplitBackward : autograd::MultiOutputNode {
  Shape in_shape;
  std::vector<int64_t> sizes;  // piece sizes along dim; unbind: all 1 and the dimension removed
  int64_t dim;
  bool removes_dim;
  SplitBackward(Shape s, std::vector<int64_t> z, int64_t d, bool r)
      : in_shape(std::move(s)), sizes(std::move(z)), dim(d), removes_dim(r) {}
  std::string name() const override { return removes_dim ? "UnbindBackward" : "SplitBackward"; }
  size_t num_outputs() const override { return sizes.size(); }
  bool reusable() const override { return true; }  // saves no tensors
  std::vector<Tensor> backward_outputs(const std::vector<Tensor>& g) override {
    bool all = true;
    for (const Tensor& gk : g) all = all && gk.defined();
    Tensor gx = all ? empty(in_shape, first_defined(g).dtype()) : zeros(in_shape, first_defined(g).dtype());
    int64_t start = 0;
    for (size_t k = 0; k < sizes.size(); ++k) {
      if (g[k].defined()) {
        const Layout l = removes_dim ? select_layout(gx.layout(), dim, start)
                                     : narrow_layout(gx.layout(), dim, start, sizes[k]);
        copy_(make_view(gx, l), g[k]);
      }
      start += sizes[k];
    }
    return {gx};
  }
  static const Tensor& first_defined(const std::vector<Tensor>& g) {
    for (const Tensor& gk : g)
      if (gk.defined()) return gk;
    return g[0];  // not reached: the engine calls backward only when some gradient flowed
  }
};

// Views of x along dim (narrowed to `sizes`, or selected when removes_dim), recorded as one node.
std::vector<Tensor> split_views(const Tensor& x, const std::vector<int64_t>& sizes, int64_t dim,
                                bool removes_dim) {
  std::vector<Tensor> out;
  out.reserve(sizes.size());
  int64_t start = 0;
  for (int64_t s : sizes) {
    out.push_back(make_view(
        x, removes_dim ? select_layout(x.layout(), dim, start) : narrow_layout(x.layout(), dim, start, s)));
    start += s;
  }
  if (!out.empty() && autograd::needs_graph({x}))
    autograd::attach_outputs(out, std::make_shared<SplitBackward>(x.shape(), sizes, dim, removes_dim), {x});
  return out;
}

void check_cat(const std::vector<Tensor>& ts, int64_t dim) {
  const Tensor& t0 = ts[0];
  for (size_t i = 1; i < ts.size(); ++i) {
    ATTN_CHECK_KIND(DTypeMismatch, ts[i].dtype() == t0.dtype(),
                    "cat: expected one dtype, tensor 0 is {}, tensor {} is {}", dtype_name(t0.dtype()), i,
                    dtype_name(ts[i].dtype()));
    bool ok = ts[i].dim() == t0.dim();
    for (int64_t d = 0; ok && d < t0.dim(); ++d) ok = d == dim || ts[i].size(d) == t0.size(d);
    ATTN_CHECK_KIND(
        ShapeMismatch, ok,
        "cat: sizes of tensors must match except in dimension {}: tensor 0 has shape {}, tensor {} has "
        "shape {}",
        dim, shape_str(t0.shape()), i, shape_str(ts[i].shape()));
  }
}
}  // namespace

Tensor cat(const std::vector<Tensor>& tensors, int64_t dim) {
  ATTN_CHECK(!tensors.empty(), "cat: expected a non-empty list of tensors");
  ATTN_CHECK_KIND(ShapeMismatch, tensors[0].dim() > 0, "cat: zero-dimensional tensor cannot be concatenated");
  dim = normalize_dim(dim, tensors[0].dim(), "cat");
  check_cat(tensors, dim);
  Shape shape = tensors[0].shape();
  std::vector<int64_t> sizes;
  shape[dim] = 0;
  for (const Tensor& t : tensors) {
    sizes.push_back(t.size(dim));
    shape[dim] += t.size(dim);
  }
  Tensor out = empty(shape, tensors[0].dtype());
  int64_t start = 0;
  for (const Tensor& t : tensors) {
    copy_(make_view(out, narrow_layout(out.layout(), dim, start, t.size(dim))), t);
    start += t.size(dim);
  }
  if (autograd::needs_graph(tensors))
    autograd::attach(out, std::make_shared<CatBackward>(sizes, dim), tensors);
  return out;
}

Tensor stack(const std::vector<Tensor>& tensors, int64_t dim) {
  ATTN_CHECK(!tensors.empty(), "stack: expected a non-empty list of tensors");
  dim = normalize_dim(dim, tensors[0].dim() + 1, "stack");
  std::vector<Tensor> parts;
  for (size_t i = 0; i < tensors.size(); ++i) {
    ATTN_CHECK_KIND(ShapeMismatch, tensors[i].shape() == tensors[0].shape(),
                    "stack: expects each tensor to be equal size, but got {} at entry 0 and {} at entry {}",
                    shape_str(tensors[0].shape()), shape_str(tensors[i].shape()), i);
    parts.push_back(unsqueeze(tensors[i], dim));
  }
  return cat(parts, dim);
}

std::vector<Tensor> split(const Tensor& x, const std::vector<int64_t>& split_sizes, int64_t dim) {
  ATTN_CHECK_KIND(ShapeMismatch, x.dim() > 0, "split: expected a tensor with at least one dimension");
  dim = normalize_dim(dim, x.dim(), "split");
  int64_t total = 0;
  for (int64_t s : split_sizes) {
    ATTN_CHECK(s >= 0, "split: split sizes must be non-negative, got [{}]", fmt::join(split_sizes, ", "));
    total += s;
  }
  ATTN_CHECK_KIND(ShapeMismatch, total == x.size(dim),
                  "split: split sizes [{}] sum to {} but dimension {} of {} has size {}",
                  fmt::join(split_sizes, ", "), total, dim, shape_str(x.shape()), x.size(dim));
  return split_views(x, split_sizes, dim, false);
}

std::vector<Tensor> unbind(const Tensor& x, int64_t dim) {
  ATTN_CHECK_KIND(ShapeMismatch, x.dim() > 0, "unbind: expected a tensor with at least one dimension");
  dim = normalize_dim(dim, x.dim(), "unbind");
  return split_views(x, std::vector<int64_t>(static_cast<size_t>(x.size(dim)), 1), dim, true);
}

std::vector<Tensor> split(const Tensor& x, int64_t split_size, int64_t dim) {
  ATTN_CHECK_KIND(ShapeMismatch, x.dim() > 0, "split: expected a tensor with at least one dimension");
  const int64_t n = x.size(normalize_dim(dim, x.dim(), "split"));
  ATTN_CHECK(split_size > 0 || (split_size == 0 && n == 0),
             "split: split_size can only be 0 if dimension size is 0, but got split_size {} for size {}",
             split_size, n);
  if (n == 0) return split(x, std::vector<int64_t>{0}, dim);
  std::vector<int64_t> sizes;
  for (int64_t start = 0; start < n; start += split_size) sizes.push_back(std::min(split_size, n - start));
  return split(x, sizes, dim);
}

std::vector<Tensor> chunk(const Tensor& x, int64_t chunks, int64_t dim) {
  ATTN_CHECK(chunks > 0, "chunk: expects `chunks` to be greater than 0, got {}", chunks);
  ATTN_CHECK_KIND(ShapeMismatch, x.dim() > 0, "chunk: expected a tensor with at least one dimension");
  const int64_t n = x.size(normalize_dim(dim, x.dim(), "chunk"));
  if (n == 0) return split(x, std::vector<int64_t>(static_cast<size_t>(chunks), 0), dim);  // as torch
  return split(x, (n + chunks - 1) / chunks, dim);
}

}  // namespace attn
