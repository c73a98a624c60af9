// add/sub/mul/div: broadcasting forward values and gradients (finite differences; PyTorch literals).
#include <gtest/gtest.h>

#include "attn/ops.h"
#include "support/expect.h"
#include "support/gradcheck.h"

namespace attn::test {
namespace {

std::vector<OpCase> binary_cases() {
  auto op = [](Tensor (*f)(const Tensor&, const Tensor&)) {
    return [f](std::span<const Tensor> x) { return f(x[0], x[1]); };
  };
  std::vector<OpCase> cases = {
      {"add_same", {{3, 4}, {3, 4}}, op(add)},
      {"add_broadcast_row", {{2, 3, 4}, {4}}, op(add)},
      {"add_broadcast_both", {{3, 1}, {1, 4}}, op(add)},
      {"sub_broadcast", {{2, 1, 4}, {3, 1}}, op(sub)},
      {"mul_broadcast", {{2, 3, 4}, {3, 1}}, op(mul)},
      {"mul_scalar_tensor", {{}, {2, 3}}, op(mul)},
      {"div_broadcast", {{2, 3}, {3}}, op(div)},
      {"neg", {{5}}, [](std::span<const Tensor> x) { return neg(x[0]); }},
      {"exp", {{2, 3}}, [](std::span<const Tensor> x) { return exp(x[0]); }},
      {"mul_same_input_twice", {{4}}, [](std::span<const Tensor> x) { return mul(x[0], x[0]); }},
  };
  cases[6].init = away_from_zero(0.5, 2.0, false);
  return cases;
}
INSTANTIATE_TEST_SUITE_P(Binary, GradCheck, ::testing::ValuesIn(binary_cases()), case_name);

TEST(Binary, BroadcastValuesMatchPyTorch) {
  // a = torch.tensor([[1., 2., 3.], [4., 5., 6.]]); b = torch.tensor([10., 20., 30.])
  Tensor a = from_vector<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor b = from_vector<float>({10, 20, 30});
  // a + b → [[11, 22, 33], [14, 25, 36]]; a - b; a * b; a / b → [[0.1, 0.1, 0.1], [0.4, 0.25, 0.2]]
  EXPECT_EQ(to_vector<float>(a + b), (std::vector<float>{11, 22, 33, 14, 25, 36}));
  EXPECT_EQ(to_vector<float>(a - b), (std::vector<float>{-9, -18, -27, -6, -15, -24}));
  EXPECT_EQ(to_vector<float>(a * b), (std::vector<float>{10, 40, 90, 40, 100, 180}));
  EXPECT_TENSOR_NEAR(a / b, from_vector<float>({0.1f, 0.1f, 0.1f, 0.4f, 0.25f, 0.2f}, {2, 3}), 0, 1e-7);
  // (a.unsqueeze(2) * torch.tensor([1., -1.])).shape → (2, 3, 2)
  EXPECT_EQ((unsqueeze(a, 2) * from_vector<float>({1, -1})).shape(), (Shape{2, 3, 2}));
  EXPECT_EQ(to_vector<float>(2.0 - a), (std::vector<float>{1, 0, -1, -2, -3, -4}));
  // Non-contiguous inputs: a.t() + a.t()
  EXPECT_EQ(to_vector<float>(t(a) + t(a)), (std::vector<float>{2, 8, 4, 10, 6, 12}));
  // int64 arithmetic stays int64: torch.tensor([1, 2]) * 3 → tensor([3, 6])
  EXPECT_EQ(to_vector<int64_t>(from_vector<int64_t>({1, 2}) * 3.0), (std::vector<int64_t>{3, 6}));
}

TEST(Binary, ErrorsNameTheOpAndShapes) {
  try {
    add(zeros({2, 3}), zeros({4}));
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "add: shapes [2, 3] and [4] cannot be broadcast (dimension 1: 3 vs 4)");
  }
  EXPECT_THROW(mul(zeros({2}), zeros({2}, DType::F64)), Error);
  EXPECT_THROW(div(zeros({2}, DType::Bool), zeros({2}, DType::Bool)), Error);
}

TEST(Binary, BroadcastGradientsMatchPyTorch) {
  // a = torch.arange(6.).reshape(2,3).requires_grad_(); b = torch.tensor([1., 2., 3.], requires_grad=True)
  // (a * b).sum().backward() → a.grad = [[1,2,3],[1,2,3]], b.grad = [3, 5, 7]
  Tensor a = reshape(arange(0, 6, 1, DType::F32), {2, 3}).detach();
  a.requires_grad_();
  Tensor b = from_vector<float>({1, 2, 3});
  b.requires_grad_();
  (a * b).backward(ones({2, 3}));
  EXPECT_EQ(to_vector<float>(a.grad()), (std::vector<float>{1, 2, 3, 1, 2, 3}));
  EXPECT_EQ(to_vector<float>(b.grad()), (std::vector<float>{3, 5, 7}));
}

}  // namespace
}  // namespace attn::test
