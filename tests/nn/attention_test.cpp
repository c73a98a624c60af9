// scaled_dot_product_attention vs PyTorch in float64 (tools/fixtures/bert.py → tests/data/bert/
// attention.safetensors): outputs, weights and gradients without a mask, with a boolean key-padding mask and
// with an additive float mask; plus the finite-difference gradient check and the error paths.
#include "attn/nn/attention.h"

#include <gtest/gtest.h>

#include <cmath>

#include "attn/ops/binary.h"
#include "attn/ops/shape.h"
#include "attn/tensor/creation.h"
#include "support/expect.h"
#include "support/fixtures.h"
#include "support/gradcheck.h"

namespace attn {
namespace {

const test::Fixture& fixture() {
  static const test::Fixture f("bert/attention.safetensors");
  return f;
}

class AttentionVsTorch : public ::testing::TestWithParam<std::string> {};

TEST_P(AttentionVsTorch, OutputWeightsAndGradients) {
  const auto& f = fixture();
  const std::string c = GetParam();
  Tensor q = clone(f["q"]).requires_grad_(true);  // (2, 3, 4, 5)
  Tensor k = clone(f["k"]).requires_grad_(true);  // (2, 3, 6, 5)
  Tensor v = clone(f["v"]).requires_grad_(true);  // (2, 3, 6, 7)
  Tensor mask = c == "bool" ? f["bool_mask"] : c == "additive" ? f["additive_mask"] : Tensor();
  auto [out, weights] = nn::scaled_dot_product_attention(q, k, v, mask);
  out.backward(f["grad_out"]);
  EXPECT_TENSOR_NEAR(out, f[c + ".output"], 1e-12, 1e-10);
  EXPECT_TENSOR_NEAR(weights, f[c + ".weights"], 1e-12, 1e-10);
  EXPECT_TENSOR_NEAR(q.grad(), f[c + ".grad_q"], 1e-12, 1e-10);
  EXPECT_TENSOR_NEAR(k.grad(), f[c + ".grad_k"], 1e-12, 1e-10);
  EXPECT_TENSOR_NEAR(v.grad(), f[c + ".grad_v"], 1e-12, 1e-10);
}

INSTANTIATE_TEST_SUITE_P(Masks, AttentionVsTorch, ::testing::Values("nomask", "bool", "additive"));

TEST(Attention, MaskedKeysGetZeroWeightInFloat32) {
  const auto& f = fixture();
  auto [out, w] = nn::scaled_dot_product_attention(to_dtype(f["q"], DType::F32), to_dtype(f["k"], DType::F32),
                                                   to_dtype(f["v"], DType::F32), f["bool_mask"]);
  for (int64_t h = 0; h < 3; ++h)
    for (int64_t i = 0; i < 4; ++i) {
      EXPECT_EQ(w.at<float>({1, h, i, 4}), 0.f);
      EXPECT_EQ(w.at<float>({1, h, i, 5}), 0.f);
    }
  EXPECT_TENSOR_NEAR(out, to_dtype(f["bool.output"], DType::F32), 1e-6, 1e-5);
}

TEST(Attention, GradCheckWithAdditiveMask) {
  test::OpCase c;
  c.name = "sdpa";
  c.inputs = {{2, 2, 3, 4}, {2, 2, 5, 4}, {2, 2, 5, 3}, {2, 1, 3, 5}};  // q, k, v, additive mask
  c.build = [](std::span<const Tensor> x) {
    return nn::scaled_dot_product_attention(x[0], x[1], x[2], x[3]).output;
  };
  c.differentiable = {true, true, true, false};
  const auto r = test::check_gradients(c);
  EXPECT_TRUE(r.ok) << r.report;
}

TEST(Attention, RejectsMismatchedShapesAndMaskDType) {
  const Tensor q = zeros({1, 2, 3, 4}), k = zeros({1, 2, 5, 4}), v = zeros({1, 2, 5, 6});
  EXPECT_THROW(nn::scaled_dot_product_attention(q, zeros({1, 2, 5, 3}), v), Error);  // D differs
  EXPECT_THROW(nn::scaled_dot_product_attention(q, k, zeros({1, 2, 4, 6})), Error);  // Tk differs
  EXPECT_THROW(nn::scaled_dot_product_attention(q, k, v, zeros({1, 1, 1, 5}, DType::F64)), Error);
  EXPECT_THROW(nn::scaled_dot_product_attention(zeros({4}), k, v), Error);
}

}  // namespace
}  // namespace attn
