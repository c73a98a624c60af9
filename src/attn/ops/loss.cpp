// Losses: validate → per-position kernel → reduction → record the backward node (STYLE P4). cross_entropy
// runs the fused log_softmax + NLL kernels; its composed form (log_softmax, then the smoothed NLL op) is kept
// as detail::cross_entropy_composed, the oracle of the fused one in tests.
#include "attn/ops/loss.h"

#include <limits>
#include <type_traits>

#include "attn/autograd/node.h"
#include "attn/core/dispatch.h"
#include "attn/kernels/cpu/loss.h"
#include "attn/ops/shape.h"
#include "attn/ops/softmax.h"
#include "attn/tensor/copy.h"
#include "attn/tensor/creation.h"

namespace attn {

namespace {
Tensor contiguous_of(const Tensor& t) { return t.is_contiguous() ? t : contiguous_copy(t); }

// Σ of the per-position losses, then the reduction (mean divides by `count`, NaN when it is 0, as torch).
Tensor reduce_loss(const Tensor& per, Reduction r, int64_t count) {
  if (r == Reduction::None) return per;
  double sum = 0;
  for (double v : to_vector<double>(per)) sum += v;
  if (r == Reduction::Sum) return scalar_tensor(sum, per.dtype());
  return scalar_tensor(count == 0 ? std::numeric_limits<double>::quiet_NaN() : sum / double(count),
                       per.dtype());
}

// logp seen as (N, C, D) around the class dimension 1.
struct NllGeometry {
  int64_t N, C, D;
};

// dlogp from dloss: none → per position, sum → the same value everywhere, mean → that value / count.
struct NllLossBackward : autograd::Node {
  Tensor target;  // (N, d…), contiguous
  Shape logp_shape;
  NllGeometry geo;
  int64_t ignore_index, count;
  double smoothing;
  Reduction reduction;
  NllLossBackward(Tensor t, Shape s, NllGeometry g, int64_t ig, int64_t n, double eps, Reduction r)
      : target(std::move(t)),
        logp_shape(std::move(s)),
        geo(g),
        ignore_index(ig),
        count(n),
        smoothing(eps),
        reduction(r) {}
  std::string name() const override { return "NllLossBackward"; }
  std::vector<Tensor> backward(const Tensor& grad) override {
    Tensor dlogp = zeros(logp_shape, grad.dtype());
    const Tensor g = contiguous_of(grad);
    dispatch_floating(grad.dtype(), "nll_loss", [&]<typename T>() {
      T scalar = reduction == Reduction::None ? T(0) : g.data<T>()[0];
      if (reduction == Reduction::Mean) scalar /= static_cast<T>(count);
      const T* dloss = reduction == Reduction::None ? g.data<T>() : &scalar;
      kernels::nll_loss_backward(dlogp.data<T>(), dloss, reduction == Reduction::None ? 1 : 0,
                                 target.data<int64_t>(), geo.N, geo.C, geo.D, ignore_index, smoothing);
    });
    return {dlogp, Tensor()};
  }
  void release() override { target = Tensor(); }
};

void check_targets(const Tensor& logp, const Tensor& target, int64_t ignore_index, const char* op) {
  ATTN_CHECK_KIND(DTypeMismatch, target.dtype() == DType::I64, "{}: expected int64 class targets, got {}", op,
                  dtype_name(target.dtype()));
  Shape want = logp.shape();
  want.erase(want.begin() + 1);
  ATTN_CHECK_KIND(ShapeMismatch, target.shape() == want,
                  "{}: expected target of shape {} for input of shape {} (N, C, d…), got {}", op,
                  shape_str(want), shape_str(logp.shape()), shape_str(target.shape()));
  const auto t = to_vector<int64_t>(target);
  const int64_t C = logp.size(1);
  for (size_t i = 0; i < t.size(); ++i) {
    ATTN_CHECK_KIND(IndexOutOfRange, t[i] == ignore_index || (t[i] >= 0 && t[i] < C),
                    "{}: target {} at position {} is out of range for {} classes (ignore_index is {})", op,
                    t[i], i, C, ignore_index);
  }
}

void check_class_scores(const Tensor& x, const char* op) {
  ATTN_CHECK_KIND(DTypeMismatch, is_floating(x.dtype()), "{}: expected float32 or float64 input, got {}", op,
                  dtype_name(x.dtype()));
  ATTN_CHECK_KIND(ShapeMismatch, x.dim() >= 1, "{}: expected an input of shape (N, C, d…) or (C), got []",
                  op);
}

// Checks smoothing and targets of an (N, C, d…) input and returns its (N, C, D) view.
NllGeometry check_class_input(const Tensor& x, const Tensor& target, int64_t ignore_index, double smoothing,
                              const char* op) {
  ATTN_CHECK(smoothing >= 0 && smoothing <= 1, "{}: label_smoothing must be between 0.0 and 1.0, got {}", op,
             smoothing);
  check_targets(x, target, ignore_index, op);
  return {x.size(0), x.size(1), x.numel() / std::max<int64_t>(1, x.size(0) * x.size(1))};
}

// The NLL of log-probabilities (N, C, d…) with PyTorch's smoothing term (ε = 0: plain nll_loss).
Tensor smoothed_nll(const Tensor& logp, const Tensor& target, int64_t ignore_index, double smoothing,
                    Reduction reduction, const char* op) {
  check_class_scores(logp, op);
  if (logp.dim() == 1) {  // (C) with a () target: one sample
    Tensor out =
        smoothed_nll(unsqueeze(logp, 0), unsqueeze(target, 0), ignore_index, smoothing, reduction, op);
    return reduction == Reduction::None ? squeeze(out, 0) : out;
  }
  const NllGeometry geo = check_class_input(logp, target, ignore_index, smoothing, op);
  const Tensor lp = contiguous_of(logp), t = contiguous_of(target);
  Tensor per = empty(t.shape(), logp.dtype());
  int64_t count = 0;
  dispatch_floating(logp.dtype(), op, [&]<typename T>() {
    count = kernels::nll_loss_forward(per.data<T>(), lp.data<T>(), t.data<int64_t>(), geo.N, geo.C, geo.D,
                                      ignore_index, smoothing);
  });
  Tensor out = reduce_loss(per, reduction, count);
  if (autograd::needs_graph({logp})) {
    autograd::attach(out,
                     std::make_shared<NllLossBackward>(t.detach(), logp.shape(), geo, ignore_index, count,
                                                       smoothing, reduction),
                     {logp, target});
  }
  return out;
}

// dx = dloss·(softmax(x) − q), q = (1 − ε)·onehot(t) + ε/C, from the saved logits and log-sum-exps.
struct CrossEntropyBackward : autograd::Node {
  Tensor x, lse, target;  // (N, C, d…) contiguous, (N, d…), (N, d…)
  NllGeometry geo;
  int64_t ignore_index, count;
  double smoothing;
  Reduction reduction;
  CrossEntropyBackward(Tensor x_, Tensor l, Tensor t, NllGeometry g, int64_t ig, int64_t n, double eps,
                       Reduction r)
      : x(std::move(x_)),
        lse(std::move(l)),
        target(std::move(t)),
        geo(g),
        ignore_index(ig),
        count(n),
        smoothing(eps),
        reduction(r) {}
  std::string name() const override { return "CrossEntropyBackward"; }
  std::vector<Tensor> backward(const Tensor& grad) override {
    Tensor dx = zeros(x.shape(), x.dtype());
    const Tensor g = contiguous_of(grad);
    dispatch_floating(x.dtype(), "cross_entropy", [&]<typename T>() {
      T scalar = reduction == Reduction::None ? T(0) : g.data<T>()[0];
      if (reduction == Reduction::Mean) scalar /= static_cast<T>(count);
      const T* dloss = reduction == Reduction::None ? g.data<T>() : &scalar;
      kernels::cross_entropy_backward(dx.data<T>(), dloss, reduction == Reduction::None ? 1 : 0, x.data<T>(),
                                      lse.data<T>(), target.data<int64_t>(), geo.N, geo.C, geo.D,
                                      ignore_index, smoothing);
    });
    return {dx, Tensor()};
  }
  void release() override { x = lse = target = Tensor(); }
};

Tensor fused_cross_entropy(const Tensor& logits, const Tensor& target, const CrossEntropyOptions& o) {
  const NllGeometry geo =
      check_class_input(logits, target, o.ignore_index, o.label_smoothing, "cross_entropy");
  const Tensor x = contiguous_of(logits), t = contiguous_of(target);
  Tensor per = empty(t.shape(), x.dtype()), lse = empty(t.shape(), x.dtype());
  int64_t count = 0;
  dispatch_floating(x.dtype(), "cross_entropy", [&]<typename T>() {
    if constexpr (std::is_same_v<T, float>) {
      if (geo.D == 1) {  // (N, C) logits: the vectorised kernel
        count = kernels::cross_entropy_forward_fast(per.data<float>(), lse.data<float>(), x.data<float>(),
                                                    t.data<int64_t>(), geo.N, geo.C, o.ignore_index,
                                                    o.label_smoothing);
        return;
      }
    }
    count = kernels::cross_entropy_forward(per.data<T>(), lse.data<T>(), x.data<T>(), t.data<int64_t>(),
                                           geo.N, geo.C, geo.D, o.ignore_index, o.label_smoothing);
  });
  Tensor out = reduce_loss(per, o.reduction, count);
  if (autograd::needs_graph({logits})) {
    autograd::attach(out,
                     std::make_shared<CrossEntropyBackward>(x.detach(), lse, t.detach(), geo, o.ignore_index,
                                                            count, o.label_smoothing, o.reduction),
                     {logits, target});
  }
  return out;
}

// dx = 2(x − y)·dout·scale, dy = −dx (scale = 1/n for the mean).
struct MseLossBackward : autograd::Node {
  Tensor x, y;
  Reduction reduction;
  MseLossBackward(Tensor a, Tensor b, Reduction r) : x(std::move(a)), y(std::move(b)), reduction(r) {}
  std::string name() const override { return "MseLossBackward"; }
  std::vector<Tensor> backward(const Tensor& grad) override {
    const Tensor g = contiguous_of(grad);
    Tensor dx = needs_grad(0) ? zeros(x.shape(), x.dtype()) : Tensor();
    Tensor dy = needs_grad(1) ? zeros(y.shape(), y.dtype()) : Tensor();
    const double scale = reduction == Reduction::Mean ? 1.0 / double(x.numel()) : 1.0;
    dispatch_floating(x.dtype(), "mse_loss", [&]<typename T>() {
      kernels::mse_loss_backward(dx.defined() ? dx.data<T>() : nullptr, dy.defined() ? dy.data<T>() : nullptr,
                                 x.data<T>(), y.data<T>(), g.data<T>(), reduction == Reduction::None ? 1 : 0,
                                 x.numel(), scale);
    });
    return {dx, dy};
  }
  void release() override { x = y = Tensor(); }
};
}  // namespace

Tensor cross_entropy(const Tensor& logits, const Tensor& targets, const CrossEntropyOptions& o) {
  check_class_scores(logits, "cross_entropy");
  if (logits.dim() == 1) {  // (C) with a () target: one sample
    Tensor out = cross_entropy(unsqueeze(logits, 0), unsqueeze(targets, 0), o);
    return o.reduction == Reduction::None ? squeeze(out, 0) : out;
  }
  return fused_cross_entropy(logits, targets, o);
}

namespace detail {
Tensor cross_entropy_composed(const Tensor& logits, const Tensor& targets, const CrossEntropyOptions& o) {
  check_class_scores(logits, "cross_entropy");
  const Tensor logp = log_softmax(logits, logits.dim() == 1 ? 0 : 1);
  return smoothed_nll(logp, targets, o.ignore_index, o.label_smoothing, o.reduction, "cross_entropy");
}
}  // namespace detail

Tensor nll_loss(const Tensor& log_probs, const Tensor& targets, const NllLossOptions& o) {
  return smoothed_nll(log_probs, targets, o.ignore_index, 0.0, o.reduction, "nll_loss");
}

Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction) {
  ATTN_CHECK_KIND(ShapeMismatch, input.shape() == target.shape(),
                  "mse_loss: input {} and target {} must have the same shape", shape_str(input.shape()),
                  shape_str(target.shape()));
  ATTN_CHECK_KIND(DTypeMismatch, input.dtype() == target.dtype() && is_floating(input.dtype()),
                  "mse_loss: expected float32 or float64 input and target of one dtype, got {} and {}",
                  dtype_name(input.dtype()), dtype_name(target.dtype()));
  const Tensor x = contiguous_of(input), y = contiguous_of(target);
  Tensor per = empty(x.shape(), x.dtype());
  dispatch_floating(x.dtype(), "mse_loss", [&]<typename T>() {
    kernels::mse_loss_forward(per.data<T>(), x.data<T>(), y.data<T>(), x.numel());
  });
  Tensor out = reduce_loss(per, reduction, x.numel());
  if (autograd::needs_graph({input, target}))
    autograd::attach(out, std::make_shared<MseLossBackward>(x.detach(), y.detach(), reduction),
                     {input, target});
  return out;
}

}  // namespace attn
