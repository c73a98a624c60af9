// Differentiable views: values equal the PyTorch expressions in the comments; gradients by finite
// differences.
#include <gtest/gtest.h>

#include "attn/ops.h"
#include "support/expect.h"
#include "support/gradcheck.h"

namespace attn::test {
namespace {

std::vector<OpCase> shape_cases() {
  return {
      {"reshape",
       {{2, 6}},
       [](std::span<const Tensor> x) {
         return reshape(x[0], {3, -1});
       }},
      {"reshape_after_transpose",
       {{3, 4}},
       [](std::span<const Tensor> x) { return reshape(transpose(x[0], 0, 1), {12}); }},
      {"transpose", {{2, 3, 4}}, [](std::span<const Tensor> x) { return transpose(x[0], 0, 2); }},
      {"permute",
       {{2, 3, 4}},
       [](std::span<const Tensor> x) {
         return permute(x[0], {1, 2, 0});
       }},
      {"narrow", {{4, 5}}, [](std::span<const Tensor> x) { return narrow(x[0], 1, 1, 3); }},
      {"slice_step", {{7, 2}}, [](std::span<const Tensor> x) { return slice(x[0], 0, 1, 7, 3); }},
      {"select", {{3, 4}}, [](std::span<const Tensor> x) { return select(x[0], 0, -1); }},
      {"unsqueeze_squeeze",
       {{3, 1, 2}},
       [](std::span<const Tensor> x) { return unsqueeze(squeeze(x[0]), 0); }},
      {"expand",
       {{3, 1}},
       [](std::span<const Tensor> x) {
         return expand(x[0], {2, 3, 4});
       }},
      {"contiguous_of_view", {{3, 4}}, [](std::span<const Tensor> x) { return contiguous(t(x[0])); }},
      {"flatten", {{2, 3, 4}}, [](std::span<const Tensor> x) { return flatten(x[0], 1); }},
      {"chain_of_views_into_mul",
       {{2, 3}},
       [](std::span<const Tensor> x) {
         Tensor v = permute(unsqueeze(x[0], 2), {2, 1, 0});  // (1, 3, 2)
         return mul(v, unsqueeze(select(v, 2, 0), 2));
       }},
  };
}

INSTANTIATE_TEST_SUITE_P(Shape, GradCheck, ::testing::ValuesIn(shape_cases()), case_name);

TEST(Shape, ViewsShareStorageAndValuesMatchPyTorch) {
  Tensor x = reshape(arange(0, 12, 1, DType::F32), {3, 4});
  // x.t().contiguous().view(-1)[:5] → [0, 4, 8, 1, 5]
  EXPECT_EQ(to_vector<float>(narrow(view(contiguous(t(x)), {-1}), 0, 0, 5)),
            (std::vector<float>{0, 4, 8, 1, 5}));
  EXPECT_EQ(transpose(x, 0, 1).storage(), x.storage());
  EXPECT_EQ(reshape(x, {2, 6}).storage(), x.storage());   // a view: no copy
  EXPECT_NE(reshape(t(x), {12}).storage(), x.storage());  // needs a copy, like torch
  EXPECT_THROW(view(t(x), {12}), Error);                  // torch: "view size is not compatible"
  // x[:, 1::2] → [[1, 3], [5, 7], [9, 11]]
  EXPECT_EQ(to_vector<float>(slice(x, 1, 1, 4, 2)), (std::vector<float>{1, 3, 5, 7, 9, 11}));
  // x.select(1, 2) → [2, 6, 10]; x.expand(2, 3, 4).shape
  EXPECT_EQ(to_vector<float>(select(x, 1, 2)), (std::vector<float>{2, 6, 10}));
  EXPECT_EQ(expand(x, {2, 3, 4}).shape(), (Shape{2, 3, 4}));
  EXPECT_EQ(expand(x, {2, 3, 4}).strides(), (Strides{0, 4, 1}));
  EXPECT_EQ(flatten(zeros({2, 3, 4}), 0, 1).shape(), (Shape{6, 4}));
}

TEST(Shape, ToDtypeIsDifferentiable) {
  Tensor x = from_vector<float>({1.5f, -2.f});
  x.requires_grad_();
  Tensor y = to_dtype(x, DType::F64);
  EXPECT_EQ(y.dtype(), DType::F64);
  (y * 3.0).backward(ones({2}, DType::F64));
  EXPECT_EQ(x.grad().dtype(), DType::F32);
  EXPECT_EQ(to_vector<float>(x.grad()), (std::vector<float>{3, 3}));
}

}  // namespace
}  // namespace attn::test
