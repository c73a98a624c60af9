// fast_exp, fast_tanh, fast_normal_cdf (kernels/cpu/unary.h) against double-precision libm: a dense sweep of
// each function's useful range with a bound in ulp-like relative error, and the IEEE edge cases (±inf, NaN,
// 0).
#include "attn/kernels/cpu/unary.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace attn::kernels {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

// Largest |f(x) − ref(x)| / |ref(x)| over n points of [lo, hi], skipping results below FLT_MIN.
template <typename F, typename R>
double max_rel_error(F f, R ref, double lo, double hi, int n) {
  double worst = 0;
  for (int i = 0; i <= n; ++i) {
    const float x = static_cast<float>(lo + (hi - lo) * i / n);
    const double r = ref(static_cast<double>(x));
    if (std::fabs(r) < 1.2e-38) continue;
    worst = std::max(worst, std::fabs(f(x) - r) / std::fabs(r));
  }
  return worst;
}

TEST(FastMath, ExpIsAccurate) {
  const double err = max_rel_error(
      fast_exp, [](double x) { return std::exp(x); }, -87.3, 88.7, 2000000);
  EXPECT_LT(err, 1.5e-7);  // ≈ 1.3 ulp
  EXPECT_EQ(fast_exp(0.f), 1.f);
  EXPECT_EQ(fast_exp(-kInf), 0.f);
  EXPECT_EQ(fast_exp(-200.f), 0.f);
  EXPECT_EQ(fast_exp(kInf), kInf);
  EXPECT_EQ(fast_exp(89.f), kInf);
  EXPECT_TRUE(std::isnan(fast_exp(std::nanf(""))));
  // Subnormal results, as std::exp.
  EXPECT_NEAR(fast_exp(-100.f), std::exp(-100.f), 1e-44);
}

TEST(FastMath, TanhIsAccurate) {
  const double err = max_rel_error(
      fast_tanh, [](double x) { return std::tanh(x); }, -12, 12, 1000000);
  EXPECT_LT(err, 3e-7);
  EXPECT_EQ(fast_tanh(0.f), 0.f);
  EXPECT_EQ(fast_tanh(kInf), 1.f);
  EXPECT_EQ(fast_tanh(-kInf), -1.f);
  EXPECT_EQ(fast_tanh(1e-30f), 1e-30f);
  EXPECT_TRUE(std::isnan(fast_tanh(std::nanf(""))));
}

TEST(FastMath, NormalCdfIsAccurate) {
  // Φ(x) = erfc(−x/√2)/2, relatively accurate down to x = −13 (Φ ≈ 6e-39) and exactly 0 / 1 beyond.
  const double err = max_rel_error(
      fast_normal_cdf, [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }, -12.9, 8, 2000000);
  EXPECT_LT(err, 1e-6);
  EXPECT_EQ(fast_normal_cdf(-kInf), 0.f);
  EXPECT_EQ(fast_normal_cdf(-14.f), 0.f);
  EXPECT_EQ(fast_normal_cdf(kInf), 1.f);
  EXPECT_NEAR(fast_normal_cdf(0.f), 0.5f, 1e-7);
  // NaN: Φ is finite (the cap turns NaN into 13), so x·Φ(x) in gelu is NaN.
  EXPECT_TRUE(std::isnan(std::nanf("") * fast_normal_cdf(std::nanf(""))));
}

}  // namespace
}  // namespace attn::kernels
