// where and masked_fill: broadcasting values and gradients vs PyTorch (tools/fixtures/ops_index.py), finite
// differences, other dtypes, errors.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "attn/ops.h"
#include "support/expect.h"
#include "support/fixtures.h"
#include "support/gradcheck.h"

namespace attn::test {
namespace {

// Input 0 is a random Bool mask, the others standard normal.
Tensor mask_first(size_t i, const Shape& s, Generator& g) {
  if (i != 0) return randn(s, g, DType::F64);
  std::vector<uint8_t> v(static_cast<size_t>(numel(s)));
  for (auto& b : v) b = g.uniform() < 0.5;
  return bool_tensor(v, s);
}

std::vector<OpCase> index_cases() {
  std::vector<OpCase> cases = {
      {"where_broadcast",
       {{2, 1, 4}, {3, 4}, {2, 3, 1}},
       [](std::span<const Tensor> x) { return where(x[0], x[1], x[2]); }},
      {"where_same_shape",
       {{3, 5}, {3, 5}, {3, 5}},
       [](std::span<const Tensor> x) { return where(x[0], x[1], x[2]); }},
      // A fill of 0.5, not −1e9: a huge constant in L = Σ w·y would drown the finite differences in rounding.
      {"masked_fill_broadcast_mask",
       {{3, 1}, {2, 3, 4}},
       [](std::span<const Tensor> x) { return masked_fill(x[1], x[0], 0.5); }},
  };
  for (auto& c : cases) {
    c.init = mask_first;
    c.differentiable = std::vector<bool>(c.inputs.size(), true);
    c.differentiable[0] = false;
  }
  return cases;
}
INSTANTIATE_TEST_SUITE_P(Index, GradCheck, ::testing::ValuesIn(index_cases()), case_name);

class IndexTorch : public ::testing::TestWithParam<std::string> {};

TEST_P(IndexTorch, WhereAndMaskedFillMatchPyTorch) {
  const Fixture f("ops/index.safetensors");
  const std::string p = "index." + GetParam() + ".";
  {
    Tensor a = f[p + "where.a"].detach().requires_grad_(), b = f[p + "where.b"].detach().requires_grad_();
    Tensor y = where(f[p + "where.cond"], a, b);
    EXPECT_TENSOR_NEAR(y, f[p + "where.y0"], 0, 0);
    y.backward(f[p + "where.gy0"]);
    EXPECT_TENSOR_NEAR(a.grad(), f[p + "where.grad_a"], 0, 1e-15);  // sums over broadcast dims
    EXPECT_TENSOR_NEAR(b.grad(), f[p + "where.grad_b"], 0, 1e-15);
  }
  {
    Tensor x = f[p + "masked_fill.x"].detach().requires_grad_();
    Tensor y = masked_fill(x, f[p + "masked_fill.mask"], -1e9);
    EXPECT_TENSOR_NEAR(y, f[p + "masked_fill.y0"], 0, 0);
    y.backward(f[p + "masked_fill.gy0"]);
    EXPECT_TENSOR_NEAR(x.grad(), f[p + "masked_fill.grad_x"], 0, 0);
  }
}
INSTANTIATE_TEST_SUITE_P(Ops, IndexTorch, ::testing::Values("f32", "f64"));

TEST(Index, MaskedFillWithInfinityAndIds) {
  // torch.tensor([[1., 2.], [3., 4.]]).masked_fill(torch.tensor([False, True]), float('-inf'))
  Tensor y = masked_fill(from_vector<float>({1, 2, 3, 4}, {2, 2}), bool_tensor({0, 1}, {2}),
                         -std::numeric_limits<double>::infinity());
  const auto v = to_vector<float>(y);
  EXPECT_EQ(v[0], 1.f);
  EXPECT_TRUE(std::isinf(v[1]) && v[1] < 0);
  EXPECT_EQ(v[2], 3.f);
  // int64 ids: torch.tensor([5, 6, 7]).masked_fill(torch.tensor([True, False, True]), 0) → [0, 6, 0]
  EXPECT_EQ(to_vector<int64_t>(masked_fill(from_vector<int64_t>({5, 6, 7}), bool_tensor({1, 0, 1}, {3}), 0)),
            (std::vector<int64_t>{0, 6, 0}));
  // where on a transposed view: torch.where(c, a.t(), b)
  Tensor a = reshape(arange(0, 6, 1, DType::F32), {2, 3});
  EXPECT_EQ(to_vector<float>(where(bool_tensor({1, 0}, {2}), t(a), zeros({3, 2}))),
            (std::vector<float>{0, 0, 1, 0, 2, 0}));
}

TEST(Index, Errors) {
  EXPECT_THROW(masked_fill(zeros({2, 3}), zeros({2, 3}), 1.0), Error);  // mask not bool
  try {
    masked_fill(zeros({3}), bool_tensor({1, 0, 1, 0, 1, 0}, {2, 3}), 1.0);
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "masked_fill: mask of shape [2, 3] does not broadcast to the input's shape [3]");
  }
  EXPECT_THROW(where(bool_tensor({1}, {1}), zeros({2}), zeros({2}, DType::F64)), Error);
  EXPECT_THROW(where(bool_tensor({1, 0}, {2}), zeros({3}), zeros({3})), Error);
}

}  // namespace
}  // namespace attn::test
