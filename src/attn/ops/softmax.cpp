// softmax / log_softmax: validate → allocate → dispatch → record (STYLE P4). The kernels see the input as
// (outer, C, inner) with C the normalised dimension; both backward nodes save the output y only.
#include "attn/ops/softmax.h"

#include <algorithm>

#include "attn/autograd/node.h"
#include "attn/core/dispatch.h"
#include "attn/kernels/cpu/softmax.h"
#include "attn/tensor/copy.h"
#include "attn/tensor/creation.h"

namespace attn {

namespace {
// x of `shape` seen as (outer, C, inner) around dimension d.
struct Lines {
  int64_t outer = 1, C = 1, inner = 1;
};

Lines lines_around(const Shape& shape, int64_t d) {
  Lines l;
  for (int64_t i = 0; i < static_cast<int64_t>(shape.size()); ++i) {
    if (i < d) l.outer *= shape[i];
    if (i == d) l.C = shape[i];
    if (i > d) l.inner *= shape[i];
  }
  return l;
}

Tensor contiguous_of(const Tensor& t) { return t.is_contiguous() ? t : contiguous_copy(t); }

// A 0-d tensor accepts dim 0 or −1, as in PyTorch.
int64_t softmax_dim(const Tensor& x, int64_t dim, const char* op) {
  return normalize_dim(dim, std::max<int64_t>(x.dim(), 1), op);
}

// Shared forward: y = kernel(x) over the lines around `dim`.
template <bool kLog>
Tensor softmax_forward(const Tensor& x, int64_t dim, const char* op) {
  const Lines l = lines_around(x.shape(), softmax_dim(x, dim, op));
  const Tensor xc = contiguous_of(x);
  Tensor y = empty(x.shape(), x.dtype());
  dispatch_floating(x.dtype(), op, [&]<typename T>() {
    if constexpr (kLog) {
      kernels::log_softmax_forward<T>(y.data<T>(), xc.data<T>(), l.outer, l.C, l.inner);
    } else {
      kernels::softmax_forward<T>(y.data<T>(), xc.data<T>(), l.outer, l.C, l.inner);
    }
  });
  return y;
}

// Backward of both: dx = 0, then the kernel accumulates. Saves y (contiguous) and the line split.
template <bool kLog>
struct SoftmaxFamilyBackward : autograd::Node {
  Tensor y;
  Lines l;
  SoftmaxFamilyBackward(Tensor y_, Lines l_) : y(std::move(y_)), l(l_) {}
  std::string name() const override { return kLog ? "LogSoftmaxBackward" : "SoftmaxBackward"; }
  std::vector<Tensor> backward(const Tensor& g) override {
    const Tensor gc = contiguous_of(g);
    Tensor dx = zeros(y.shape(), y.dtype());
    dispatch_floating(y.dtype(), name().c_str(), [&]<typename T>() {
      if constexpr (kLog) {
        kernels::log_softmax_backward<T>(dx.data<T>(), gc.data<T>(), y.data<T>(), l.outer, l.C, l.inner);
      } else {
        kernels::softmax_backward<T>(dx.data<T>(), gc.data<T>(), y.data<T>(), l.outer, l.C, l.inner);
      }
    });
    return {dx};
  }
  void release() override { y = Tensor(); }
};
}  // namespace

// dx = y ⊙ (dy − Σ_dim dy ⊙ y)
Tensor softmax(const Tensor& x, int64_t dim) {
  Tensor y = softmax_forward<false>(x, dim, "softmax");
  if (autograd::needs_graph({x})) {
    const Lines l = lines_around(x.shape(), softmax_dim(x, dim, "softmax"));
    autograd::attach(y, std::make_shared<SoftmaxFamilyBackward<false>>(y.detach(), l), {x});
  }
  return y;
}

// dx = dy − e^y ⊙ Σ_dim dy
Tensor log_softmax(const Tensor& x, int64_t dim) {
  Tensor y = softmax_forward<true>(x, dim, "log_softmax");
  if (autograd::needs_graph({x})) {
    const Lines l = lines_around(x.shape(), softmax_dim(x, dim, "log_softmax"));
    autograd::attach(y, std::make_shared<SoftmaxFamilyBackward<true>>(y.detach(), l), {x});
  }
  return y;
}

}  // namespace attn
