// cross_entropy_forward_fast (float, D = 1) against the reference cross_entropy_forward<float> (STYLE P6) on
// awkward shapes: one class, one row, primes, rows shorter and longer than the 16 lanes, a vocabulary-sized
// row; with and without label smoothing, ignored targets, large logits (the max subtraction) and −inf.
#include "attn/kernels/cpu/loss.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "attn/core/rng.h"

namespace attn::kernels {
namespace {

struct Case {
  int64_t N, C;
  double smoothing, scale;
};

TEST(CrossEntropyFast, MatchesReference) {
  const std::vector<Case> cases = {{1, 1, 0.0, 1},    {3, 1, 0.1, 1},    {1, 7, 0.1, 3},   {5, 13, 0.0, 1},
                                   {7, 16, 0.1, 5},   {4, 17, 0.0, 30},  {2, 33, 0.1, 80}, {64, 128, 0.1, 2},
                                   {3, 1000, 0.1, 4}, {9, 8000, 0.1, 1}, {1, 31, 0.0, 200}};
  Generator g(7);
  for (const Case& k : cases) {
    std::vector<float> x(static_cast<size_t>(k.N * k.C));
    for (auto& v : x) v = static_cast<float>(k.scale * g.normal());
    if (k.C > 4) x[2] = -std::numeric_limits<float>::infinity();  // a masked logit
    std::vector<int64_t> target(static_cast<size_t>(k.N));
    for (int64_t n = 0; n < k.N; ++n) target[n] = (n * 7 + 3) % k.C;
    if (k.N > 2) target[1] = -100;  // ignored
    std::vector<float> loss_r(k.N), lse_r(k.N), loss_f(k.N, 123.f), lse_f(k.N, 123.f);
    if (k.C > 4 && target[0] == 2) target[0] = 3;  // keep the target's own logit finite
    const int64_t cr = cross_entropy_forward(loss_r.data(), lse_r.data(), x.data(), target.data(), k.N, k.C,
                                             int64_t{1}, int64_t{-100}, k.smoothing);
    const int64_t cf = cross_entropy_forward_fast(loss_f.data(), lse_f.data(), x.data(), target.data(), k.N,
                                                  k.C, -100, k.smoothing);
    EXPECT_EQ(cf, cr);
    for (int64_t n = 0; n < k.N; ++n) {
      const std::string where =
          "N " + std::to_string(k.N) + " C " + std::to_string(k.C) + " row " + std::to_string(n);
      const float tol = 2e-6f * std::max(1.f, std::fabs(lse_r[n]));  // loss = lse − …: lse sets the scale
      EXPECT_NEAR(lse_f[n], lse_r[n], tol) << where;
      if (n == 0 && k.C > 4)  // Σ x over the row with −inf is −inf: +inf, or NaN (0·∞) when ε = 0, in both
        EXPECT_TRUE(std::isnan(loss_r[n]) ? std::isnan(loss_f[n]) : loss_f[n] == loss_r[n])
            << where << ": " << loss_f[n] << " vs " << loss_r[n];
      else
        EXPECT_NEAR(loss_f[n], loss_r[n], tol) << where;
    }
  }
}

}  // namespace
}  // namespace attn::kernels
