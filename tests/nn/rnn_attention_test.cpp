// Bahdanau and Luong attention (nn/rnn_attention.h): float64 gradients of the score functions and of the
// masked softmax + context against finite differences (tests/support/gradcheck.h), the modules' parameter
// names and shapes, masking, and shape errors. Their agreement with PyTorch inside the whole model is checked
// by tests/models/seq2seq_test.cpp.
#include "attn/nn/rnn_attention.h"

#include <gtest/gtest.h>

#include "attn/ops.h"
#include "support/gradcheck.h"

namespace attn {
namespace {

const Tensor& mask_2x4() {  // lengths 4 and 2
  static const Tensor m = nn::length_mask({4, 2}, 4);
  return m;
}

std::vector<test::OpCase> attention_cases() {
  std::vector<test::OpCase> cases;
  // B = 2, S = 4, Q = 3, K = 5, A = 6.   inputs: query, proj_keys, w_query, v
  cases.push_back({"additive_scores", {{2, 3}, {2, 4, 6}, {6, 3}, {1, 6}}, [](std::span<const Tensor> x) {
                     return nn::additive_scores(x[0], x[1], x[2], x[3]);
                   }});
  cases.push_back({"dot_scores", {{2, 3}, {2, 4, 3}}, [](std::span<const Tensor> x) {
                     return nn::dot_scores(x[0], x[1]);
                   }});
  // scores, values → [context; weights] through the masked softmax (padded scores get no gradient).
  cases.push_back({"attend_masked", {{2, 4}, {2, 4, 5}}, [](std::span<const Tensor> x) {
                     const auto o = nn::attend(x[0], x[1], mask_2x4());
                     return cat({flatten(o.context), flatten(o.weights)}, 0);
                   }});
  // The whole Bahdanau step: keys → U h + b, query → additive scores → masked attention → context.
  cases.push_back(
      {"bahdanau_full", {{2, 3}, {2, 4, 5}, {6, 5}, {6}, {6, 3}, {1, 6}}, [](std::span<const Tensor> x) {
         const Tensor pk = linear(x[1], x[2], x[3]);
         return nn::attend(nn::additive_scores(x[0], pk, x[4], x[5]), x[1], mask_2x4()).context;
       }});
  // Luong general: score = q · (W_a h), context over the same keys.
  cases.push_back({"luong_general_full", {{2, 3}, {2, 4, 5}, {3, 5}}, [](std::span<const Tensor> x) {
                     const Tensor pk = linear(x[1], x[2]);
                     return nn::attend(nn::dot_scores(x[0], pk), x[1], mask_2x4()).context;
                   }});
  return cases;
}

TEST(RNNAttentionGradCheck, ScoresAndContextInFloat64) {
  for (const test::OpCase& c : attention_cases()) {
    const auto r = test::check_gradients(c);
    EXPECT_TRUE(r.ok) << c.name << ": " << r.report;
  }
}

// The harness must reject a wrong gradient: additive scores with the tanh replaced by its argument in
// backward only is not expressible here, so instead a detached energy (no gradient to proj_keys) is used.
TEST(RNNAttentionGradCheck, NegativeControlIsRejected) {
  test::OpCase wrong{"detached_keys", {{2, 3}, {2, 4, 6}, {6, 3}, {1, 6}}, [](std::span<const Tensor> x) {
                       const Tensor q = unsqueeze(linear(x[0], x[2]), 1);
                       // forward as additive_scores, but proj_keys' path is cut half-way through.
                       const Tensor e = tanh(add(x[1].detach(), q));
                       return add(squeeze(linear(e, x[3]), 2), mul(sum(x[1], {2}), 0.0));
                     }};
  const auto r = test::check_gradients(wrong);
  EXPECT_FALSE(r.ok) << "a gradient that ignores proj_keys passed the check";
}

TEST(RNNAttention, ParameterNamesAndShapes) {
  nn::BahdanauAttention b(3, 5, 6);
  std::vector<std::pair<std::string, Shape>> got;
  for (const auto& [n, p] : b.named_parameters()) got.push_back({n, p.shape()});
  const std::vector<std::pair<std::string, Shape>> want{{"key_proj.weight", {6, 5}},
                                                        {"key_proj.bias", {6}},
                                                        {"query_proj.weight", {6, 3}},
                                                        {"energy.weight", {1, 6}}};
  EXPECT_EQ(got, want);
  nn::LuongAttention g(nn::LuongScore::General, 3, 5);
  ASSERT_EQ(g.named_parameters().size(), 1u);
  EXPECT_EQ(g.named_parameters()[0].first, "linear_in.weight");
  EXPECT_EQ(g.named_parameters()[0].second.shape(), (Shape{3, 5}));
  nn::LuongAttention d(nn::LuongScore::Dot, 5, 5);
  EXPECT_TRUE(d.named_parameters().empty());
  EXPECT_THROW(nn::LuongAttention(nn::LuongScore::Dot, 3, 5), Error);
}

TEST(RNNAttention, MaskedPositionsGetZeroWeight) {
  Generator gen(0);
  const Tensor scores = randn({2, 4}, gen), values = randn({2, 4, 5}, gen);
  const auto o = nn::attend(scores, values, mask_2x4());
  const auto w = to_vector<float>(o.weights);
  EXPECT_EQ(w[6], 0.0f);
  EXPECT_EQ(w[7], 0.0f);
  EXPECT_NEAR(w[4] + w[5], 1.0, 1e-6);
  EXPECT_NEAR(w[0] + w[1] + w[2] + w[3], 1.0, 1e-6);
}

TEST(RNNAttention, ShapeErrorsNameTheShapes) {
  Generator gen(0);
  try {
    nn::dot_scores(randn({2, 3}, gen), randn({2, 4, 5}, gen));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("dot_scores: expected query (B, Q) and keys (B, S, Q), got [2, 3]"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(nn::attend(randn({2, 4}, gen), randn({2, 3, 5}, gen), Tensor()), Error);
  EXPECT_THROW(
      nn::additive_scores(randn({2, 3}, gen), randn({2, 4, 6}, gen), randn({6, 4}, gen), randn({1, 6}, gen)),
      Error);
}

}  // namespace
}  // namespace attn
