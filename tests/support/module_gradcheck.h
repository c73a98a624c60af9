// tests/support/module_gradcheck.h — a whole model's gradients against central finite differences, in
// float64.
//
// The per-op checks (gradcheck.h) prove each backward; this proves their composition inside a model — the
// graph a model builds, tied weights, masks, reshapes — with no reference library involved. The model is
// converted with Module::to(DType::F64) first; `loss` builds a scalar from it (dropout off). For every
// parameter tensor, `per_param` entries chosen at random (always including the largest-gradient one) are
// perturbed by ±eps in place and the loss recomputed; the analytic gradient from one backward must match.
// Error per entry: |a − n| / max(|n|, grad_scale), where grad_scale is the largest |gradient| of the whole
// model times 1e-3 — so entries whose true gradient is ~0 are judged against the model's scale, not 1.
#pragma once

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "attn/autograd/grad_mode.h"
#include "attn/core/rng.h"
#include "attn/nn/module.h"
#include "attn/tensor/copy.h"

namespace attn::test {

struct ModuleGradCheckResult {
  bool ok = true;
  int64_t checked = 0;   // entries compared
  double worst_rel = 0;  // the largest relative error seen
  std::string worst;     // which entry it was
  std::string failures;  // every entry over the limit
};

inline ModuleGradCheckResult check_module_gradients(nn::Module& model, const std::function<Tensor()>& loss,
                                                    int per_param = 3, double eps = 1e-5,
                                                    double max_rel_err = 1e-6, uint64_t seed = 7) {
  ModuleGradCheckResult r;
  model.zero_grad();
  Tensor l = loss();
  ATTN_CHECK(l.dtype() == DType::F64 && l.numel() == 1,
             "check_module_gradients: the loss must be a float64 "
             "scalar (convert the model with to(DType::F64)), got {} with {} elements",
             dtype_name(l.dtype()), l.numel());
  l.backward();
  const auto params = model.named_parameters();
  double scale = 0;
  std::vector<std::vector<double>> analytic;
  for (const auto& [name, p] : params) {
    ATTN_CHECK(p.grad().defined(), "check_module_gradients: parameter {} got no gradient", name);
    analytic.push_back(to_vector<double>(p.grad()));
    for (double g : analytic.back()) scale = std::max(scale, std::fabs(g));
  }
  const double floor = std::max(scale * 1e-3, 1e-12);
  Generator gen(seed);
  NoGradGuard no_grad;
  for (size_t i = 0; i < params.size(); ++i) {
    const auto& [name, p] = params[i];
    ATTN_CHECK(p.is_contiguous(), "check_module_gradients: parameter {} is not contiguous", name);
    double* data = p.data<double>();
    const int64_t n = p.numel();
    std::vector<int64_t> idx{static_cast<int64_t>(
        std::max_element(analytic[i].begin(), analytic[i].end(),
                         [](double a, double b) { return std::fabs(a) < std::fabs(b); }) -
        analytic[i].begin())};
    for (int k = 1; k < per_param && k < n; ++k)
      idx.push_back(std::min<int64_t>(n - 1, static_cast<int64_t>(gen.uniform() * static_cast<double>(n))));
    for (int64_t k : idx) {
      const double orig = data[k];
      auto at = [&](double h) {
        data[k] = orig + h;
        const double v = loss().item<double>();
        data[k] = orig;
        return v;
      };
      const double numeric = (at(eps) - at(-eps)) / (2 * eps);
      const double rel = std::fabs(analytic[i][k] - numeric) / std::max(std::fabs(numeric), floor);
      ++r.checked;
      const std::string where = fmt::format("{}[{}]: analytic {:.10g}, numeric {:.10g}, rel err {:.3g}", name,
                                            k, analytic[i][k], numeric, rel);
      if (rel > r.worst_rel) {
        r.worst_rel = rel;
        r.worst = where;
      }
      if (rel > max_rel_err) {
        r.ok = false;
        r.failures += where + "\n";
      }
    }
  }
  return r;
}

}  // namespace attn::test
