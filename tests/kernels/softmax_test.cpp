// softmax / log_softmax: the fast float kernels against the references (STYLE P6) on awkward shapes:
// single elements, primes, rows longer than the vector width, inner strides, blocks wider than kBlock,
// masked (−inf) entries, and accumulation into a non-zero dx.
#include "attn/kernels/cpu/softmax.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "attn/core/rng.h"

namespace attn::kernels {
namespace {

struct Shape3 {
  int64_t outer, C, inner;
};

const std::vector<Shape3> kShapes = {{1, 1, 1},   {3, 1, 1},    {1, 7, 1},   {5, 13, 1},   {7, 16, 1},
                                     {4, 17, 1},  {64, 128, 1}, {2, 384, 1}, {3, 1000, 1}, {2, 5, 3},
                                     {3, 7, 300}, {1, 4, 1},    {2, 3, 257}, {1, 1, 5}};

std::vector<float> random_vector(int64_t n, Generator& g, double scale, bool mask) {
  std::vector<float> v(static_cast<size_t>(n));
  for (auto& x : v) x = static_cast<float>(scale * g.normal());
  if (mask)
    for (size_t i = 0; i < v.size(); i += 3) v[i] = -std::numeric_limits<float>::infinity();
  return v;
}

// Both NaN, or within atol + rtol·|e|.
void expect_close(const std::vector<float>& a, const std::vector<float>& e, double atol, double rtol) {
  ASSERT_EQ(a.size(), e.size());
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(e[i]) || std::isinf(e[i])) {
      ASSERT_TRUE(std::isnan(e[i]) ? std::isnan(a[i]) : a[i] == e[i])
          << "at " << i << ": " << a[i] << " vs " << e[i];
      continue;
    }
    ASSERT_NEAR(a[i], e[i], atol + rtol * std::fabs(e[i])) << "at " << i;
  }
}

class SoftmaxKernel : public ::testing::TestWithParam<bool> {};  // param: log_softmax

TEST_P(SoftmaxKernel, FastMatchesReference) {
  const bool log = GetParam();
  Generator g(7);
  for (const Shape3& s : kShapes) {
    for (bool mask : {false, true}) {
      SCOPED_TRACE(::testing::Message()
                   << s.outer << "x" << s.C << "x" << s.inner << (mask ? " masked" : ""));
      const int64_t n = s.outer * s.C * s.inner;
      const auto x = random_vector(n, g, 4.0, mask), dy = random_vector(n, g, 1.0, false);
      std::vector<float> y_ref(n), y_fast(n), dx_ref = random_vector(n, g, 1.0, false), dx_fast = dx_ref;
      if (log) {
        log_softmax_forward_reference(y_ref.data(), x.data(), s.outer, s.C, s.inner);
        log_softmax_forward_fast(y_fast.data(), x.data(), s.outer, s.C, s.inner);
        log_softmax_backward_reference(dx_ref.data(), dy.data(), y_ref.data(), s.outer, s.C, s.inner);
        log_softmax_backward_fast(dx_fast.data(), dy.data(), y_ref.data(), s.outer, s.C, s.inner);
      } else {
        softmax_forward_reference(y_ref.data(), x.data(), s.outer, s.C, s.inner);
        softmax_forward_fast(y_fast.data(), x.data(), s.outer, s.C, s.inner);
        softmax_backward_reference(dx_ref.data(), dy.data(), y_ref.data(), s.outer, s.C, s.inner);
        softmax_backward_fast(dx_fast.data(), dy.data(), y_ref.data(), s.outer, s.C, s.inner);
      }
      // log y = (x − m) − log Σ: float rounding of the sum is an absolute error of ~1e-7 in every log y.
      expect_close(y_fast, y_ref, log ? 1e-6 : 1e-7, 1e-6);
      expect_close(dx_fast, dx_ref, 1e-6, 1e-5);
    }
  }
}
INSTANTIATE_TEST_SUITE_P(Kernels, SoftmaxKernel, ::testing::Values(false, true),
                         [](const auto& p) { return p.param ? "log_softmax" : "softmax"; });

TEST(SoftmaxKernel, FullyMaskedRowIsNaN) {
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> x = {-inf, -inf, -inf, 0.f, -inf, 1.f};
  std::vector<float> y(6), ly(6);
  softmax_forward_fast(y.data(), x.data(), 2, 3, 1);
  log_softmax_forward_fast(ly.data(), x.data(), 2, 3, 1);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(std::isnan(y[i]) && std::isnan(ly[i]));
  EXPECT_EQ(y[4], 0.f);
  EXPECT_EQ(ly[4], -inf);
  EXPECT_NEAR(y[3] + y[5], 1.f, 1e-7);
}

}  // namespace
}  // namespace attn::kernels
