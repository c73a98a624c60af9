// scaled_dot_product_attention vs PyTorch in float64 (tools/fixtures/bert.py → tests/data/bert/
// attention.safetensors): outputs, weights and gradients without a mask, with a boolean key-padding mask and
// with an additive float mask; plus the finite-difference gradient check and the error paths.
#include "attn/nn/attention.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "attn/autograd/grad_mode.h"
#include "attn/ops/attention.h"
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

// ---- the fused inference op (ops/attention.h) against the composed one, its oracle ----

// q, k, v read in place from (B, T, H, D) projections, as BERT's heads are; Tq ≠ Tk (cross-attention) and
// Dv ≠ D; Tq = 5, 17, 40 reach each product kernel (BLAS below 12 rows, the thin kernel below 24, the
// 12 × 32 kernel from 24); masks: none, Bool key padding with a fully masked row's NaN, a Bool causal
// (B, 1, Tq, Tk) and HF's additive (B, 1, 1, Tk).
TEST(AttentionInference, EqualsTheComposedAttention) {
  Generator gen(7);
  const int64_t B = 3, H = 4, D = 8, Dv = 6;
  for (int64_t Tq : {5, 17, 40}) {
    const int64_t Tk = Tq + 3;
    auto heads = [&](int64_t T, int64_t d) { return permute(randn({B, T, H, d}, gen), {0, 2, 1, 3}); };
    const Tensor q = heads(Tq, D), k = heads(Tk, D), v = heads(Tk, Dv);
    std::vector<uint8_t> pad(B * Tk, 1), causal(B * Tq * Tk, 1);
    std::vector<float> additive(B * Tk, 0.f);
    for (int64_t j = Tk - 4; j < Tk; ++j)
      pad[Tk + j] = 0, additive[Tk + j] = std::numeric_limits<float>::lowest();
    for (int64_t j = 0; j < Tk; ++j) pad[2 * Tk + j] = 0;  // batch 2: every key masked → NaN rows
    for (int64_t b = 0; b < B; ++b)
      for (int64_t i = 0; i < Tq; ++i)
        for (int64_t j = i + 1; j < Tk; ++j) causal[(b * Tq + i) * Tk + j] = 0;
    const std::vector<std::pair<std::string, Tensor>> masks{
        {"none", Tensor()},
        {"bool padding", bool_tensor(pad, {B, 1, 1, Tk})},
        {"bool causal", bool_tensor(causal, {B, 1, Tq, Tk})},
        {"additive", from_vector(additive, {B, 1, 1, Tk})}};
    for (const auto& [name, mask] : masks) {
      SCOPED_TRACE(name + ", Tq " + std::to_string(Tq));
      NoGradGuard no_grad;
      const Tensor fused = attention_inference(q, k, v, mask);
      const Tensor composed = nn::scaled_dot_product_attention(q, k, v, mask).output;
      ASSERT_EQ(fused.shape(), (Shape{B, H, Tq, Dv}));
      const auto f = to_vector<float>(contiguous(fused)), c = to_vector<float>(contiguous(composed));
      double worst = 0;
      for (size_t i = 0; i < f.size(); ++i) {
        ASSERT_EQ(std::isnan(f[i]), std::isnan(c[i])) << "element " << i;
        if (!std::isnan(f[i])) worst = std::max(worst, std::abs(static_cast<double>(f[i]) - c[i]));
      }
      EXPECT_LE(worst, 1e-6);
      if (name == "bool padding") {
        EXPECT_TRUE(std::isnan(fused.at<float>({2, 0, 0, 0})));
      }
      // Heads side by side in memory: merging them back is a view.
      EXPECT_TRUE(permute(fused, {0, 2, 1, 3}).is_contiguous());
    }
  }
}

// The message of the Error f throws ("" if none).
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(AttentionInference, RejectsGradientsAndBadShapes) {
  const Tensor q = zeros({1, 2, 3, 4}), k = zeros({1, 2, 5, 4}), v = zeros({1, 2, 5, 6});
  Tensor qg = zeros({1, 2, 3, 4}).requires_grad_(true);
  EXPECT_NE(error_of([&] { attention_inference(qg, k, v); }).find("records no graph"), std::string::npos);
  EXPECT_NE(error_of([&] {
              attention_inference(q, zeros({1, 2, 5, 3}), v);
            }).find("expected q (B, H, Tq, D)"),
            std::string::npos);
  EXPECT_NE(error_of([&] { attention_inference(to_dtype(q, DType::F64), k, v); }).find("expected float32"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              attention_inference(q, k, v, zeros({1, 1, 1, 5}, DType::I64));
            }).find("Bool or float32"),
            std::string::npos);
  NoGradGuard no_grad;
  EXPECT_NO_THROW(attention_inference(qg, k, v));
}

}  // namespace
}  // namespace attn
