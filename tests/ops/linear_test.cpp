// linear: y = x·Wᵀ + b vs torch.nn.functional.linear (forward and all three gradients), finite differences.
#include <gtest/gtest.h>

#include "attn/ops.h"
#include "support/expect.h"
#include "support/fixtures.h"
#include "support/gradcheck.h"

namespace attn::test {
namespace {

std::vector<OpCase> linear_cases() {
  auto lin = [](std::span<const Tensor> x) { return linear(x[0], x[1], x[2]); };
  auto lin_nb = [](std::span<const Tensor> x) { return linear(x[0], x[1]); };
  // x stored transposed: as_matrix must copy it (its rows are not a view), and dx must still reach x.
  auto lin_xt = [](std::span<const Tensor> x) { return linear(t(x[0]), x[1], x[2]); };
  return {
      {"linear_batched", {{2, 3, 4}, {5, 4}, {5}}, lin},
      {"linear_no_bias", {{7, 3}, {2, 3}}, lin_nb},
      {"linear_vector", {{4}, {3, 4}, {3}}, lin},
      {"linear_transposed_x", {{4, 6}, {5, 4}, {5}}, lin_xt},
  };
}
INSTANTIATE_TEST_SUITE_P(Linear, GradCheck, ::testing::ValuesIn(linear_cases()), case_name);

class LinearTorch : public ::testing::TestWithParam<std::string> {};

TEST_P(LinearTorch, MatchesPyTorch) {
  const Fixture f("ops/linear.safetensors");
  const std::string tag = GetParam();
  const double rtol = tag == "f32" ? 1e-5 : 1e-12, atol = tag == "f32" ? 1e-6 : 1e-13;
  for (const char* name : {"batched", "matrix_no_bias", "vector", "one_feature"}) {
    SCOPED_TRACE(fmt::format("{}.{}", tag, name));
    const std::string p = "linear." + tag + "." + name + ".";
    Tensor x = f[p + "x"].detach().requires_grad_(), w = f[p + "weight"].detach().requires_grad_();
    Tensor b = f.has(p + "bias") ? f[p + "bias"].detach().requires_grad_() : Tensor();
    Tensor y = linear(x, w, b);
    EXPECT_TENSOR_NEAR(y, f[p + "y"], atol, rtol);
    y.backward(f[p + "gy"]);
    EXPECT_TENSOR_NEAR(x.grad(), f[p + "grad_x"], atol, rtol);
    EXPECT_TENSOR_NEAR(w.grad(), f[p + "grad_weight"], atol, rtol);
    if (b.defined()) {
      EXPECT_TENSOR_NEAR(b.grad(), f[p + "grad_bias"], atol, rtol);
    }
  }
}
INSTANTIATE_TEST_SUITE_P(Ops, LinearTorch, ::testing::Values("f32", "f64"));

TEST(Linear, EqualsMatmulWithTransposedWeight) {
  Generator g(3);
  Tensor x = randn({2, 5, 8}, g), w = randn({3, 8}, g), b = randn({3}, g);
  EXPECT_TENSOR_NEAR(linear(x, w, b), matmul(x, t(w)) + b, 1e-6, 1e-5);
}

TEST(Linear, ErrorsNameShapes) {
  try {
    linear(zeros({2, 3}), zeros({4, 5}));
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(
        e.what(),
        "linear: expected x (…, in) and weight (out, in) with equal in, got x [2, 3] and weight [4, 5]");
  }
  EXPECT_THROW(linear(zeros({2, 3}), zeros({4, 3}), zeros({5})), Error);
  EXPECT_THROW(linear(zeros({2, 3}), zeros({4, 3}, DType::F64)), Error);
}

}  // namespace
}  // namespace attn::test
