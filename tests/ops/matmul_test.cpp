// matmul: every torch.matmul shape rule vs PyTorch (f32 through BLAS, f64 through the reference), gradients
// by finite differences, transposed / non-contiguous operands, and errors.
#include <gtest/gtest.h>

#include "attn/ops.h"
#include "support/expect.h"
#include "support/fixtures.h"
#include "support/gradcheck.h"

namespace attn::test {
namespace {

// The same values with the last two dimensions stored transposed: strides (…, 1, rows), as x.t() has.
Tensor stored_transposed(const Tensor& x) {
  if (x.dim() < 2) return x;
  return transpose(contiguous(transpose(x, -1, -2)), -1, -2);
}

std::vector<OpCase> matmul_cases() {
  auto mm = [](std::span<const Tensor> x) { return matmul(x[0], x[1]); };
  auto mm_t = [](std::span<const Tensor> x) {
    return matmul(stored_transposed(x[0]), stored_transposed(x[1]));
  };
  return {
      {"matmul_dot", {{5}, {5}}, mm},
      {"matmul_mv", {{3, 4}, {4}}, mm},
      {"matmul_vm_batched", {{4}, {2, 4, 3}}, mm},
      {"matmul_mm", {{3, 4}, {4, 5}}, mm},
      {"matmul_mm_transposed_operands", {{3, 4}, {4, 5}}, mm_t},
      {"matmul_bmm", {{2, 3, 4}, {2, 4, 5}}, mm},
      {"matmul_broadcast_batch", {{2, 1, 3, 4}, {3, 4, 5}}, mm},
      {"matmul_batched_by_matrix", {{2, 3, 4}, {4, 5}}, mm},
      {"matmul_matrix_by_batched", {{3, 4}, {2, 4, 5}}, mm},
      {"matmul_batched_transposed", {{2, 3, 4}, {1, 4, 5}}, mm_t},
      {"matmul_ones", {{1, 1}, {1, 1}}, mm},
  };
}
INSTANTIATE_TEST_SUITE_P(Matmul, GradCheck, ::testing::ValuesIn(matmul_cases()), case_name);

// Forward and gradients vs tools/fixtures/ops_matmul.py, with contiguous and with transposed operands.
class MatmulTorch : public ::testing::TestWithParam<std::string> {};

TEST_P(MatmulTorch, MatchesPyTorch) {
  const Fixture f("ops/matmul.safetensors");
  const std::string tag = GetParam().substr(0, 3);
  const double rtol = tag == "f32" ? 1e-5 : 1e-12, atol = tag == "f32" ? 1e-6 : 1e-13;
  for (const char* name : {"dot", "mv", "vm_batched", "mm", "mm_one", "bmm", "broadcast_batch",
                           "batched_by_matrix", "matrix_by_batched", "batched_by_vector"}) {
    for (bool transposed : {false, true}) {
      SCOPED_TRACE(fmt::format("{}.{} transposed={}", GetParam(), name, transposed));
      const std::string p = "matmul." + tag + "." + name + ".";
      Tensor a = f[p + "a"].detach(), b = f[p + "b"].detach();
      if (transposed) a = stored_transposed(a), b = stored_transposed(b);
      a.requires_grad_();
      b.requires_grad_();
      Tensor y = matmul(a, b);
      EXPECT_TENSOR_NEAR(y, f[p + "y"], atol, rtol);
      y.backward(f[p + "gy"]);
      EXPECT_TENSOR_NEAR(a.grad(), f[p + "grad_a"], atol, rtol);
      EXPECT_TENSOR_NEAR(b.grad(), f[p + "grad_b"], atol, rtol);
    }
  }
}
INSTANTIATE_TEST_SUITE_P(Ops, MatmulTorch, ::testing::Values("f32", "f64"));

TEST(Matmul, ShapesFollowTorch) {
  EXPECT_EQ(matmul(ones({5}), ones({5})).shape(), Shape{});
  EXPECT_EQ(matmul(ones({3, 4}), ones({4})).shape(), (Shape{3}));
  EXPECT_EQ(matmul(ones({4}), ones({2, 4, 3})).shape(), (Shape{2, 3}));
  EXPECT_EQ(matmul(ones({2, 1, 3, 4}), ones({5, 4, 6})).shape(), (Shape{2, 5, 3, 6}));
  EXPECT_EQ(matmul(ones({0, 3, 4}), ones({4, 2})).shape(), (Shape{0, 3, 2}));
  // torch.matmul(torch.ones(2, 0), torch.ones(0, 3)) → zeros(2, 3)
  EXPECT_EQ(to_vector<float>(matmul(ones({2, 0}), ones({0, 3}))), std::vector<float>(6, 0.f));
}

TEST(Matmul, NonContiguousOperandsAreHandled) {
  // A column slice (neither stride 1 on both axes nor transposed) must be copied, not misread.
  Tensor big = reshape(arange(0, 24, 1, DType::F32), {4, 6});
  Tensor a = slice(big, 1, 0, 6, 2);  // (4, 3), strides (6, 2)
  Tensor b = reshape(arange(0, 6, 1, DType::F32), {3, 2});
  EXPECT_TENSOR_NEAR(matmul(a, b), matmul(contiguous(a), b), 0, 0);
  // A narrowed row block keeps stride 1 with a padded leading dimension: read in place by BLAS.
  Tensor n = narrow(big, 1, 1, 3);  // (4, 3), strides (6, 1)
  EXPECT_TENSOR_NEAR(matmul(n, b), matmul(contiguous(n), b), 0, 0);
  // An expanded operand (stride 0).
  Tensor e = expand(from_vector<float>({1, 2, 3}, {1, 3}), {4, 3});
  EXPECT_TENSOR_NEAR(matmul(e, b), matmul(contiguous(e), b), 0, 0);
}

TEST(Matmul, NoGraphUnderNoGrad) {
  Tensor a = ones({2, 2}).requires_grad_();
  NoGradGuard g;
  EXPECT_FALSE(matmul(a, a).requires_grad());
}

TEST(Matmul, ErrorsNameShapes) {
  try {
    matmul(zeros({2, 3}), zeros({4, 5}));
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "matmul: inner dimensions differ: [2, 3] @ [4, 5]");
  }
  EXPECT_THROW(matmul(zeros({2, 3, 4}), zeros({3, 4, 5})), Error);  // batch 2 vs 3
  EXPECT_THROW(matmul(zeros({}), zeros({2})), Error);
  EXPECT_THROW(matmul(zeros({2, 2}), zeros({2, 2}, DType::F64)), Error);
  EXPECT_THROW(matmul(zeros({2, 2}, DType::I64), zeros({2, 2}, DType::I64)), Error);
}

}  // namespace
}  // namespace attn::test
