// tests/support/gradcheck.h — the declarative gradient check of STYLE P7 (ggml's test-backend-ops idea).
//
// An OpCase names an op, the shapes of its inputs and how to build the output from them. check_gradients
// runs it in float64: random inputs (drawn by `init`), a random fixed output weight w, L = Σ w ⊙ op(x);
// the analytic dL/dx from backward is compared with central finite differences (4-point when precise).
// The error measure is ‖a − n‖ / ‖n‖ plus the worst single element, so one wrong element cannot hide.
// Elements whose perturbation crosses a kink (relu at 0, abs at 0, clamp bounds) are avoided by `init`.
#pragma once

#include <cmath>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "attn/core/rng.h"
#include "attn/tensor/copy.h"
#include "attn/tensor/creation.h"
#include "attn/tensor/tensor.h"

namespace attn::test {

struct OpCase {
  std::string name;
  std::vector<Shape> inputs;
  std::function<Tensor(std::span<const Tensor>)> build;
  double eps = 1e-6;
  double max_rel_err = 1e-6;  // on ‖a − n‖ / ‖n‖ and on each element (relative to max(|n|, 1))
  bool precise = false;       // 4-point differences
  // Input i's values (f64, shape given); default: standard normal. Return a tensor of that shape.
  std::function<Tensor(size_t i, const Shape&, Generator&)> init;
  std::vector<bool> differentiable;  // per input; default: all
};

struct GradCheckResult {
  bool ok = true;
  std::string report;  // worst element: input, index, analytic, numeric, relative error
  double worst_norm_err = 0;
};

inline GradCheckResult check_gradients(const OpCase& c, uint64_t seed = 1234) {
  Generator gen(seed);
  std::vector<Tensor> xs;
  for (size_t i = 0; i < c.inputs.size(); ++i) {
    Tensor x = c.init ? c.init(i, c.inputs[i], gen) : randn(c.inputs[i], gen, DType::F64);
    const bool diff = c.differentiable.empty() || c.differentiable[i];
    if (diff) x.requires_grad_(true);
    xs.push_back(x);
  }
  Tensor out0 = c.build(xs);
  const Tensor w = randn(out0.shape(), gen, DType::F64);
  const auto wv = to_vector<double>(w);
  auto loss = [&](std::vector<Tensor>& in) {
    Tensor o = c.build(in);
    const auto ov = to_vector<double>(o);
    double s = 0;
    for (size_t k = 0; k < ov.size(); ++k) s += wv[k] * ov[k];
    return s;
  };
  out0.backward(w);
  GradCheckResult r;
  for (size_t i = 0; i < xs.size(); ++i) {
    if (!(c.differentiable.empty() || c.differentiable[i])) continue;
    Tensor g = xs[i].grad();
    if (!g.defined()) {
      r.ok = false;
      r.report += fmt::format("{}: input {} got no gradient\n", c.name, i);
      continue;
    }
    const auto analytic = to_vector<double>(g);
    std::vector<Tensor> probe;
    for (const Tensor& x : xs) probe.push_back(contiguous_copy(x));
    double* p = probe[i].data<double>();
    double num2 = 0, diff2 = 0, worst = 0;
    std::string worst_msg;
    for (int64_t k = 0; k < probe[i].numel(); ++k) {
      const double orig = p[k];
      auto at = [&](double h) {
        p[k] = orig + h;
        double v = loss(probe);
        p[k] = orig;
        return v;
      };
      const double e = c.eps;
      const double numeric = c.precise ? (-at(2 * e) + 8 * at(e) - 8 * at(-e) + at(-2 * e)) / (12 * e)
                                       : (at(e) - at(-e)) / (2 * e);
      const double d = std::fabs(analytic[k] - numeric);
      num2 += numeric * numeric;
      diff2 += d * d;
      const double rel = d / std::max(std::fabs(numeric), 1.0);
      if (rel > worst) {
        worst = rel;
        worst_msg = fmt::format("{}: input {} element {}: analytic {:.10g}, numeric {:.10g}, rel err {:.3g}",
                                c.name, i, k, analytic[k], numeric, rel);
      }
    }
    const double norm_err = std::sqrt(diff2) / std::max(std::sqrt(num2), 1e-12);
    r.worst_norm_err = std::max(r.worst_norm_err, norm_err);
    if (norm_err > c.max_rel_err || worst > c.max_rel_err) {
      r.ok = false;
      r.report += fmt::format("{} (‖a−n‖/‖n‖ = {:.3g}, limit {:.3g})\n", worst_msg, norm_err, c.max_rel_err);
    }
  }
  return r;
}

}  // namespace attn::test

#include <gtest/gtest.h>

namespace attn::test {

// One TEST_P (tests/ops/gradcheck_test.cpp) runs every registered case. An op family registers its cases with
//   INSTANTIATE_TEST_SUITE_P(Binary, GradCheck, ::testing::ValuesIn(binary_cases()), case_name);
class GradCheck : public ::testing::TestWithParam<OpCase> {};

inline std::string case_name(const ::testing::TestParamInfo<OpCase>& info) { return info.param.name; }

// Inputs bounded away from 0 (for log, sqrt, div …): |x| in [lo, hi] with random sign unless positive.
inline std::function<Tensor(size_t, const Shape&, Generator&)> away_from_zero(double lo, double hi,
                                                                              bool positive) {
  return [=](size_t, const Shape& s, Generator& g) {
    Tensor t = empty(s, DType::F64);
    double* p = t.data<double>();
    for (int64_t k = 0; k < t.numel(); ++k) {
      const double m = g.uniform(lo, hi);
      p[k] = positive || g.uniform() < 0.5 ? m : -m;
    }
    return t;
  };
}

}  // namespace attn::test
