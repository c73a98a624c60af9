// tanh, sigmoid, gelu (none, tanh): fast float kernels against the double reference over a dense sweep of
// (−12, 12), forward and backward (accumulating into a non-zero dx), plus relu's NaN and kink conventions.
#include "attn/kernels/cpu/activation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace attn::kernels {
namespace {

constexpr int64_t kN = 200003;  // a prime: exercises the vector tail and the two-thread split

std::vector<float> sweep() {
  std::vector<float> x(kN);
  for (int64_t i = 0; i < kN; ++i) x[i] = -12.f + 24.f * static_cast<float>(i) / (kN - 1);
  return x;
}

// Worst |fast − reference| / (|reference| + floor) with the reference in double.
template <typename FastFn, typename RefFn>
double worst_error(FastFn fast, RefFn ref, double floor) {
  const auto x = sweep();
  std::vector<float> y(kN);
  std::vector<double> xd(x.begin(), x.end()), yd(kN);
  fast(y.data(), x.data());
  ref(yd.data(), xd.data());
  double worst = 0;
  for (int64_t i = 0; i < kN; ++i)
    worst = std::max(worst, std::fabs(y[i] - yd[i]) / (std::fabs(yd[i]) + floor));
  return worst;
}

TEST(ActivationKernel, ForwardMatchesReference) {
  EXPECT_LT(worst_error([](float* y, const float* x) { tanh_forward_fast(y, x, kN); },
                        [](double* y, const double* x) { tanh_forward_reference(y, x, kN); }, 0),
            3e-7);
  EXPECT_LT(worst_error([](float* y, const float* x) { sigmoid_forward_fast(y, x, kN); },
                        [](double* y, const double* x) { sigmoid_forward_reference(y, x, kN); }, 0),
            5e-7);
  // gelu tanh: 1 + tanh(u) cancels in float for x ≪ 0 (as in torch), so the bound is relative plus 1e-7
  // absolute.
  EXPECT_LT(worst_error([](float* y, const float* x) { gelu_forward_fast(y, x, kN, true); },
                        [](double* y, const double* x) { gelu_forward_reference(y, x, kN, true); }, 0.1),
            1e-6);
}

// gelu "none" against the exact x·Φ(x) = ½·x·erfc(−x/√2) in double: relative error ≤ 1e-6 down to x = −12
// (y ≈ −2e-32). The reference kernel's torch formula 1 + erf(x/√2) cancels there even in double.
TEST(ActivationKernel, GeluIsRelativelyAccurateInTheTail) {
  const auto x = sweep();
  std::vector<float> y(kN);
  gelu_forward_fast(y.data(), x.data(), kN, false);
  double worst = 0;
  for (int64_t i = 0; i < kN; ++i) {
    const double truth = 0.5 * x[i] * std::erfc(-static_cast<double>(x[i]) / std::sqrt(2.0));
    if (truth != 0) worst = std::max(worst, std::fabs(y[i] - truth) / std::fabs(truth));
  }
  EXPECT_LT(worst, 1e-6);
}

TEST(ActivationKernel, GeluBackwardMatchesReference) {
  const auto x = sweep();
  std::vector<double> xd(x.begin(), x.end());
  for (bool tanh_approx : {false, true}) {
    std::vector<float> dx(kN, 0.5f), dy(kN, 1.f);
    std::vector<double> dxd(kN, 0.5), dyd(kN, 1.0);
    gelu_backward_fast(dx.data(), dy.data(), x.data(), kN, tanh_approx);
    gelu_backward_reference(dxd.data(), dyd.data(), xd.data(), kN, tanh_approx);
    double worst = 0;  // gelu' is in (−0.17, 1.13): an absolute measure
    for (int64_t i = 0; i < kN; ++i) worst = std::max(worst, std::fabs(dx[i] - dxd[i]));
    EXPECT_LT(worst, 1e-6) << (tanh_approx ? "tanh" : "none");
  }
}

TEST(ActivationKernel, ReluConventions) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<float> x = {-1, 0, 2, nan};
  std::vector<float> y(4), dx(4, 0.f), dy(4, 1.f);
  relu_forward(y.data(), x.data(), 4);
  relu_backward(dx.data(), dy.data(), y.data(), 4);
  EXPECT_EQ(y[0], 0.f);
  EXPECT_EQ(y[1], 0.f);
  EXPECT_EQ(y[2], 2.f);
  EXPECT_TRUE(std::isnan(y[3]));
  EXPECT_EQ(dx, (std::vector<float>{0, 0, 1, 1}));  // torch: relu'(0) = 0, NaN passes the gradient
}

}  // namespace
}  // namespace attn::kernels
