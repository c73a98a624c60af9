// dropout: statistics of the mask (fraction kept ≈ 1 − p, mean preserved) within 5σ, inverted scaling,
// identity in eval and at p = 0, zeros at p = 1, seeded repeatability, and the gradient (mask saved).
#include <gtest/gtest.h>

#include <cmath>

#include "attn/ops.h"
#include "support/expect.h"
#include "support/gradcheck.h"

namespace attn::test {
namespace {

std::vector<OpCase> dropout_cases() {
  // A fresh generator with one seed per call: every evaluation of the finite differences sees the same mask.
  OpCase c{"dropout_p03", {{4, 7}}, [](std::span<const Tensor> x) {
             Generator g(42);
             return dropout(x[0], 0.3, true, g);
           }};
  return {c};
}
INSTANTIATE_TEST_SUITE_P(Dropout, GradCheck, ::testing::ValuesIn(dropout_cases()), case_name);

TEST(Dropout, KeepsOneMinusPAndPreservesTheMean) {
  const int64_t n = 200000;
  for (double p : {0.1, 0.5, 0.9}) {
    Generator g(7);
    const auto y = to_vector<double>(dropout(ones({n}, DType::F64), p, true, g));
    int64_t kept = 0;
    double sum = 0;
    for (double v : y) {
      if (v != 0) {
        ++kept;
        EXPECT_DOUBLE_EQ(v, 1.0 / (1.0 - p));  // inverted scaling
      }
      sum += v;
    }
    // kept/n ~ Binomial(n, 1-p)/n: σ = sqrt(p(1-p)/n); the mean of y has σ = sqrt(p/((1-p)n)).
    EXPECT_NEAR(double(kept) / n, 1 - p, 5 * std::sqrt(p * (1 - p) / n)) << "p " << p;
    EXPECT_NEAR(sum / n, 1.0, 5 * std::sqrt(p / ((1 - p) * n))) << "p " << p;
  }
}

TEST(Dropout, SeededAndIndependentOfThreads) {
  Generator g1(3), g2(3), g3(4);
  Tensor x = randn({1000});
  const auto a = to_vector<float>(dropout(x, 0.5, true, g1));
  EXPECT_EQ(a, to_vector<float>(dropout(x, 0.5, true, g2)));
  EXPECT_NE(a, to_vector<float>(dropout(x, 0.5, true, g3)));
}

TEST(Dropout, EvalAndZeroAreIdentityOneIsZeros) {
  Generator g(1);
  Tensor x = randn({3, 4}, g);
  EXPECT_TRUE(dropout(x, 0.5, false, g).is_same(x));
  EXPECT_TRUE(dropout(x, 0.0, true, g).is_same(x));
  Tensor xr = x.detach().requires_grad_();
  Tensor y = dropout(xr, 1.0, true, g);
  EXPECT_EQ(to_vector<float>(y), std::vector<float>(12, 0.f));
  y.backward(ones({3, 4}));
  EXPECT_EQ(to_vector<float>(xr.grad()), std::vector<float>(12, 0.f));
}

TEST(Dropout, GradientIsTheScaledMask) {
  Generator g(5);
  Tensor x = ones({100}).requires_grad_();
  Tensor y = dropout(x, 0.25, true, g);
  y.backward(ones({100}));
  EXPECT_EQ(to_vector<float>(x.grad()), to_vector<float>(y));  // dy = 1, x = 1: dx = y = mask / (1 - p)
}

TEST(Dropout, NonContiguousInput) {
  Generator g1(9), g2(9);
  Tensor x = randn({5, 6});
  EXPECT_TENSOR_NEAR(dropout(t(x), 0.4, true, g1), dropout(contiguous(t(x)), 0.4, true, g2), 0, 0);
}

TEST(Dropout, Errors) {
  Generator g;
  EXPECT_THROW(dropout(ones({2}), 1.5, true, g), Error);
  EXPECT_THROW(dropout(ones({2}), -0.1, true, g), Error);
  EXPECT_THROW(dropout(ones({2}, DType::I64), 0.5, true, g), Error);
}

}  // namespace
}  // namespace attn::test
