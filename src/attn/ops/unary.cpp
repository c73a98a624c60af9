// Unary elementwise ops. Each op is a forward map plus a Backward node that saves what f'(x) needs; most
// backward passes are g ⊙ f'(s) with f' computed elementwise from the saved input or output s.
#include "attn/ops/unary.h"

#include <cmath>
#include <functional>
#include <type_traits>

#include "attn/autograd/node.h"
#include "attn/core/dispatch.h"
#include "attn/kernels/cpu/elementwise.h"
#include "attn/kernels/cpu/unary.h"
#include "attn/ops/binary.h"
#include "attn/tensor/copy.h"
#include "attn/tensor/creation.h"

namespace attn {

namespace {
Tensor contiguous_of(const Tensor& t) { return t.is_contiguous() ? t : contiguous_copy(t); }

// y = f(x) elementwise for floating x (any layout); returns a contiguous tensor.
template <typename F>
Tensor map_floating(const Tensor& x, const char* op, F f) {
  const Tensor xc = contiguous_of(x);
  Tensor out = empty(x.shape(), x.dtype());
  dispatch_floating(x.dtype(), op, [&]<typename T>() {
    kernels::unary_map(out.data<T>(), xc.data<T>(), x.numel(), [&](T v) { return static_cast<T>(f(v)); });
  });
  return out;
}

// The same for float, double and int64 (abs, clamp and neg are defined on ids too, as in torch).
template <typename F>
Tensor map_numeric(const Tensor& x, const char* op, F f) {
  const Tensor xc = contiguous_of(x);
  Tensor out = empty(x.shape(), x.dtype());
  dispatch_numeric(x.dtype(), op, [&]<typename T>() {
    kernels::unary_map(out.data<T>(), xc.data<T>(), x.numel(), [&](T v) { return static_cast<T>(f(v)); });
  });
  return out;
}

// dx = g ⊙ f'(s), where s is the saved input or output and `derivative` maps s to f'(x) elementwise.
struct PointwiseBackward : autograd::Node {
  std::string op;
  Tensor saved;
  std::function<Tensor(const Tensor&)> derivative;
  PointwiseBackward(std::string o, Tensor s, std::function<Tensor(const Tensor&)> d)
      : op(std::move(o)), saved(std::move(s)), derivative(std::move(d)) {}
  std::string name() const override { return op + "Backward"; }
  std::vector<Tensor> backward(const Tensor& g) override { return {mul(g, derivative(saved))}; }
  void release() override { saved = Tensor(); }
};

// Records PointwiseBackward for out = f(x) when x needs a gradient; returns out.
Tensor record(const Tensor& x, Tensor out, const char* op, const Tensor& saved,
              std::function<Tensor(const Tensor&)> derivative) {
  if (autograd::needs_graph({x})) {
    autograd::attach(out, std::make_shared<PointwiseBackward>(op, saved.detach(), std::move(derivative)),
                     {x});
  }
  return out;
}

// xᵖ with torch's special cases for common exponents (exact squares and cubes, sqrt/rsqrt/reciprocal).
template <typename T>
T pow_value(T v, double p) {
  if (p == 2) return v * v;
  if (p == 3) return v * v * v;
  if (p == 0.5) return std::sqrt(v);
  if (p == -0.5) return T(1) / std::sqrt(v);
  if (p == -1) return T(1) / v;
  if (p == -2) return T(1) / (v * v);
  return std::pow(v, static_cast<T>(p));
}
}  // namespace

// d(-x)/dx = -1.
struct NegBackward : autograd::Node {
  std::string name() const override { return "NegBackward"; }
  std::vector<Tensor> backward(const Tensor& g) override { return {neg(g)}; }
};

Tensor neg(const Tensor& x) {
  Tensor out = map_numeric(x, "neg", [](auto v) { return -v; });
  if (autograd::needs_graph({x})) autograd::attach(out, std::make_shared<NegBackward>(), {x});
  return out;
}

// d(eˣ)/dx = eˣ = y, so the output is saved. float uses the vectorisable fast_exp (≤ 1.5 ulp).
Tensor exp(const Tensor& x) {
  Tensor out = map_floating(x, "exp", [](auto v) {
    if constexpr (std::is_same_v<decltype(v), float>) {
      return kernels::fast_exp(v);
    } else {
      return std::exp(v);
    }
  });
  return record(x, out, "Exp", out, [](const Tensor& y) { return y; });
}

// d(ln x)/dx = 1/x
Tensor log(const Tensor& x) {
  Tensor out = map_floating(x, "log", [](auto v) { return std::log(v); });
  return record(x, out, "Log", x,
                [](const Tensor& s) { return map_floating(s, "log", [](auto v) { return 1 / v; }); });
}

// d√x/dx = 1/(2y) (inf at 0, as torch)
Tensor sqrt(const Tensor& x) {
  Tensor out = map_floating(x, "sqrt", [](auto v) { return std::sqrt(v); });
  return record(x, out, "Sqrt", out,
                [](const Tensor& y) { return map_floating(y, "sqrt", [](auto v) { return 1 / (2 * v); }); });
}

// d(1/√x)/dx = −½·y³
Tensor rsqrt(const Tensor& x) {
  Tensor out = map_floating(x, "rsqrt", [](auto v) { return 1 / std::sqrt(v); });
  return record(x, out, "Rsqrt", out, [](const Tensor& y) {
    return map_floating(y, "rsqrt", [](auto v) { return -0.5 * v * v * v; });
  });
}

// d(xᵖ)/dx = p·x^(p−1); exactly 0 for p = 0 (torch's pow_backward), even at x = 0.
Tensor pow(const Tensor& x, double exponent) {
  Tensor out = map_floating(x, "pow", [exponent](auto v) { return pow_value(v, exponent); });
  return record(x, out, "Pow", x, [exponent](const Tensor& s) {
    return map_floating(s, "pow", [exponent](auto v) {
      return exponent == 0 ? decltype(v)(0) : static_cast<decltype(v)>(exponent) * pow_value(v, exponent - 1);
    });
  });
}

// d|x|/dx = sign(x): 0 at 0 and at NaN (torch's sgn)
Tensor abs(const Tensor& x) {
  Tensor out = map_numeric(x, "abs", [](auto v) { return v < 0 ? -v : v; });
  return record(x, out, "Abs", x, [](const Tensor& s) {
    return map_floating(s, "abs", [](auto v) { return static_cast<decltype(v)>((v > 0) - (v < 0)); });
  });
}

// d clamp/dx = 1 where min ≤ x ≤ max (bounds included, as torch), 0 outside and at NaN.
Tensor clamp(const Tensor& x, std::optional<double> min, std::optional<double> max) {
  ATTN_CHECK(min.has_value() || max.has_value(), "clamp: at least one of 'min' or 'max' must be given");
  Tensor out = map_numeric(x, "clamp", [min, max](auto v) {
    using T = decltype(v);
    if (min && v < static_cast<T>(*min)) v = static_cast<T>(*min);  // NaN compares false and stays NaN
    if (max && v > static_cast<T>(*max)) v = static_cast<T>(*max);
    return v;
  });
  return record(x, out, "Clamp", x, [min, max](const Tensor& s) {
    return map_floating(s, "clamp", [min, max](auto v) {
      using T = decltype(v);
      const bool inside = (!min || v >= static_cast<T>(*min)) && (!max || v <= static_cast<T>(*max));
      return inside ? T(1) : T(0);
    });
  });
}

}  // namespace attn
