// The Transformer's pieces vs PyTorch 1.13 (tools/fixtures/transformer.py → tests/data/transformer/):
// nn::MultiHeadAttention vs a lone torch.nn.MultiheadAttention, and nn::TransformerEncoder/Decoder vs
// torch.nn.Transformer in post-LN/ReLU and pre-LN/GELU, on padded batches — outputs, attention weights and
// every gradient (parameters and inputs) within 1e-5 relative in float32. Plus positional encodings, masks,
// the key/value cache, and finite-difference gradient checks of masked multi-head attention.
#include "attn/nn/transformer_layers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "attn/nn/attention.h"
#include "attn/nn/multi_head_attention.h"
#include "attn/nn/positional_encoding.h"
#include "attn/ops.h"
#include "support/expect.h"
#include "support/fixtures.h"
#include "support/gradcheck.h"

namespace attn {
namespace {

const test::Fixture& fixture() {
  static const test::Fixture f("transformer/transformer.safetensors");
  return f;
}

// max |a − e| / max |e|: the error relative to the tensor's scale (the "1e-5 relative").
// `scale` is a floor for the denominator (see k_proj.bias below).
double rel_err(const Tensor& a, const Tensor& e, double scale = 0) {
  const auto av = to_vector<double>(a), ev = to_vector<double>(e);
  double num = 0, den = scale;
  for (size_t i = 0; i < av.size(); ++i) {
    num = std::max(num, std::fabs(av[i] - ev[i]));
    den = std::max(den, std::fabs(ev[i]));
  }
  return den > 0 ? num / den : num;
}

#define EXPECT_REL(a, e, tol)                                        \
  do {                                                               \
    ASSERT_TRUE((a).defined()) << #a " is undefined";                \
    ASSERT_EQ(shape_str((a).shape()), shape_str((e).shape())) << #a; \
    EXPECT_LE(rel_err((a), (e)), (tol)) << #a " vs " #e;             \
  } while (0)

// "<prefix>.param.<torch key>" → {torch key: tensor}, mapped to attn's names.
nn::StateDict torch_params(const std::string& prefix, const std::string& sub = "") {
  std::map<std::string, Tensor> sd;
  const std::string p = prefix + ".param." + sub;
  for (const auto& [name, t] : fixture().all())
    if (name.starts_with(p)) sd[name.substr(p.size())] = t;
  return nn::from_torch_transformer_state_dict(sd);
}

// Every parameter's gradient vs torch's "<prefix>.grad.<torch key>" (torch key mapped like the weights).
void expect_param_grads(const nn::Module& m, const std::string& prefix, const std::string& sub, double tol) {
  std::map<std::string, Tensor> g;
  const std::string p = prefix + ".grad." + sub;
  for (const auto& [name, t] : fixture().all())
    if (name.starts_with(p)) g[name.substr(p.size())] = t;
  const auto expected = nn::from_torch_transformer_state_dict(g);
  size_t n = 0;
  for (const auto& [name, param] : m.named_parameters()) {
    auto it = expected.find(name);
    ASSERT_NE(it, expected.end()) << "no torch gradient for " << name;
    ASSERT_TRUE(param.grad().defined()) << name << " got no gradient";
    // ∂L/∂b_k is exactly 0: q·(k + b_k) adds the same q·b_k to every score of a row, and softmax ignores
    // it. Both libraries return rounding noise there, so it is measured against the scale of the packed
    // in_proj_bias gradient that torch holds it in (its q/v thirds), not against itself.
    double scale = 0;
    if (name.ends_with("k_proj.bias")) {
      const std::string stem = name.substr(0, name.size() - 11);
      for (const char* sib : {"q_proj.bias", "v_proj.bias"})
        for (double x : to_vector<double>(expected.at(stem + sib))) scale = std::max(scale, std::fabs(x));
    }
    EXPECT_LE(rel_err(param.grad(), it->second, scale), tol) << "gradient of " << name;
    ++n;
  }
  EXPECT_EQ(n, expected.size());
}

// torch's key_padding_mask (true = [PAD]) → attn's (B, 1, 1, T) keep-mask (true = attend).
Tensor keep_mask(const Tensor& key_padding_mask) {
  const auto v = to_vector<int64_t>(key_padding_mask);
  std::vector<uint8_t> keep(v.size());
  for (size_t i = 0; i < v.size(); ++i) keep[i] = v[i] == 0 ? 1 : 0;
  return bool_tensor(keep, {key_padding_mask.size(0), 1, 1, key_padding_mask.size(1)});
}

TEST(MultiHeadAttention, EqualsTorchMultiheadAttention) {
  const auto& f = fixture();
  nn::MultiHeadAttention mha(8, 2);
  mha.load_state_dict(torch_params("mha"));
  Tensor q = clone(f["mha.query"]).requires_grad_(true);  // (2, 3, 8)
  Tensor kv = clone(f["mha.key"]).requires_grad_(true);   // (2, 5, 8)
  auto [out, w] = mha.forward(q, kv, kv, keep_mask(f["mha.key_padding_mask"]));
  out.backward(f["mha.grad_out"]);
  EXPECT_REL(out, f["mha.output"], 1e-5);
  EXPECT_REL(w, f["mha.weights"], 1e-5);
  EXPECT_REL(q.grad(), f["mha.grad_query"], 1e-5);
  EXPECT_REL(kv.grad(), f["mha.grad_key"], 1e-5);
  expect_param_grads(mha, "mha", "", 1e-5);
}

TEST(MultiHeadAttention, UnpackInProjSplitsRowsInThirds) {
  Tensor w = reshape(arange(0, 12, 1, DType::F32), {6, 2});
  auto sd = nn::unpack_in_proj({{"a.in_proj_weight", w}, {"a.out_proj.bias", zeros({2})}});
  ASSERT_EQ(sd.size(), 4u);
  EXPECT_EQ(to_vector<float>(sd["a.k_proj.weight"]), (std::vector<float>{4, 5, 6, 7}));
  EXPECT_TRUE(sd.count("a.out_proj.bias"));
}

class TransformerVsTorch : public ::testing::TestWithParam<std::string> {};

TEST_P(TransformerVsTorch, OutputsAndEveryGradient) {
  const auto& f = fixture();
  const std::string c = GetParam();
  nn::TransformerLayerOptions o{.d_model = 16,
                                .nhead = 4,
                                .dim_feedforward = 32,
                                .dropout = 0.0,
                                .activation = c == "pre" ? nn::Activation::GELU : nn::Activation::ReLU,
                                .norm_first = c == "pre"};
  nn::TransformerEncoder encoder(o, 2);
  nn::TransformerDecoder decoder(o, 2);
  encoder.load_state_dict(torch_params(c, "encoder."));
  decoder.load_state_dict(torch_params(c, "decoder."));
  Tensor src = clone(f[c + ".src"]).requires_grad_(true);             // (3, 6, 16)
  Tensor tgt = clone(f[c + ".tgt"]).requires_grad_(true);             // (3, 5, 16)
  const Tensor src_mask = keep_mask(f[c + ".src_key_padding_mask"]);  // (3, 1, 1, 6)
  const Tensor tgt_mask = nn::combine_masks(keep_mask(f[c + ".tgt_key_padding_mask"]), nn::causal_mask(5));
  Tensor memory = encoder.forward(src, src_mask);
  Tensor out = decoder.forward(tgt, memory, tgt_mask, src_mask);
  out.backward(f[c + ".grad_out"]);
  EXPECT_REL(out, f[c + ".output"], 1e-5);
  EXPECT_REL(src.grad(), f[c + ".grad_src"], 1e-5);
  EXPECT_REL(tgt.grad(), f[c + ".grad_tgt"], 1e-5);
  expect_param_grads(encoder, c, "encoder.", 1e-5);
  expect_param_grads(decoder, c, "decoder.", 1e-5);
}

INSTANTIATE_TEST_SUITE_P(PostAndPreLN, TransformerVsTorch, ::testing::Values("post", "pre"));

TEST(TransformerDecoder, CachedStepsEqualTheFullCausalPass) {
  Generator gen(7);
  nn::TransformerLayerOptions o{.d_model = 16, .nhead = 4, .dim_feedforward = 32, .dropout = 0.0};
  nn::TransformerDecoder decoder(o, 2, true, gen);
  const Tensor memory = randn({2, 6, 16}, gen), x = randn({2, 5, 16}, gen);
  const Tensor mmask = bool_tensor({1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0}, {2, 1, 1, 6});
  NoGradGuard no_grad;
  const Tensor full = decoder.forward(x, memory, nn::causal_mask(5), mmask);  // (2, 5, 16)
  std::vector<nn::DecoderLayerCache> cache;
  for (int64_t t = 0; t < 5; ++t) {
    Tensor step = decoder.forward(narrow(x, 1, t, 1), memory, Tensor(), mmask, &cache);  // (2, 1, 16)
    EXPECT_TENSOR_NEAR(step, narrow(full, 1, t, 1), 1e-5, 1e-5);
  }
  EXPECT_EQ(cache[0].self_attn.k.size(2), 5);
  EXPECT_EQ(cache[1].cross_attn.k.size(2), 6);
}

TEST(PositionalEncoding, SinusoidsFollowThePaper) {
  const Tensor pe = nn::sinusoid_table(50, 16);
  const auto v = to_vector<float>(pe);
  for (float x : v) {
    EXPECT_GE(x, -1.f);
    EXPECT_LE(x, 1.f);
  }
  EXPECT_FLOAT_EQ(pe.at<float>({0, 0}), 0.f);  // sin 0
  EXPECT_FLOAT_EQ(pe.at<float>({0, 1}), 1.f);  // cos 0
  EXPECT_NEAR(pe.at<float>({7, 4}), std::sin(7.0 / std::pow(10000.0, 4.0 / 16)), 1e-6);
  EXPECT_NEAR(pe.at<float>({7, 5}), std::cos(7.0 / std::pow(10000.0, 4.0 / 16)), 1e-6);
  nn::SinusoidalPositionalEncoding enc(16, 0.0, 50);
  const Tensor x = zeros({2, 4, 16});
  EXPECT_TENSOR_NEAR(enc.forward(x, 3), expand(narrow(pe, 0, 3, 4), {2, 4, 16}), 0, 0);
  EXPECT_THROW(enc.forward(x, 47), Error);
}

TEST(PositionalEncoding, LearnedTableIsAParameterAndGetsGradients) {
  nn::LearnedPositionalEncoding enc(8, 0.0, 10);
  EXPECT_EQ(enc.named_parameters().at(0).first, "weight");
  Tensor y = enc.forward(zeros({2, 3, 8}), 1);
  sum(y).backward();
  const Tensor g = enc.weight.grad();  // rows 1–3 used twice each (two batch rows)
  EXPECT_EQ(g.at<float>({0, 0}), 0.f);
  EXPECT_EQ(g.at<float>({2, 5}), 2.f);
  EXPECT_EQ(g.at<float>({4, 0}), 0.f);
}

TEST(Masks, PaddingCausalAndCombined) {
  const Tensor ids = from_vector<int64_t>({5, 7, 0, 5, 0, 0}, {2, 3});
  const Tensor pad = nn::padding_mask(ids, 0);
  EXPECT_EQ(shape_str(pad.shape()), "[2, 1, 1, 3]");
  EXPECT_EQ(to_vector<int64_t>(pad), (std::vector<int64_t>{1, 1, 0, 1, 0, 0}));
  EXPECT_EQ(to_vector<int64_t>(nn::causal_mask(3)), (std::vector<int64_t>{1, 0, 0, 1, 1, 0, 1, 1, 1}));
  const Tensor both = nn::combine_masks(pad, nn::causal_mask(3));
  EXPECT_EQ(shape_str(both.shape()), "[2, 1, 3, 3]");
  EXPECT_EQ(to_vector<int64_t>(both),
            (std::vector<int64_t>{1, 0, 0, 1, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0}));
  EXPECT_THROW(nn::combine_masks(pad, nn::causal_mask(4)), Error);
}

// Finite differences through masked attention with heads split and merged, in float64: the padding ∧
// causal mask must give masked keys exactly zero gradient and leave the rest correct.
TEST(MultiHeadAttention, GradCheckWithPaddingAndCausalMask) {
  const Tensor mask =
      nn::combine_masks(bool_tensor({1, 1, 1, 1, 1, 1, 0, 0}, {2, 1, 1, 4}), nn::causal_mask(4));
  test::OpCase c{"mha_core", {{2, 4, 6}, {2, 4, 6}, {2, 4, 6}}, [&](std::span<const Tensor> x) {
                   auto heads = [](const Tensor& t) { return transpose(reshape(t, {2, 4, 2, 3}), 1, 2); };
                   Tensor o =
                       nn::scaled_dot_product_attention(heads(x[0]), heads(x[1]), heads(x[2]), mask).output;
                   return reshape(contiguous(transpose(o, 1, 2)), {2, 4, 6});
                 }};
  const auto r = test::check_gradients(c);
  EXPECT_TRUE(r.ok) << r.report;
}

// The fused inference path against the composed oracle, with padding ∧ causal masks and a fully masked row.
TEST(MultiHeadAttention, FusedInferencePathEqualsComposedAttention) {
  Generator gen(5);
  const Tensor q = randn({2, 3, 4, 8}, gen), k = randn({2, 3, 4, 8}, gen), v = randn({2, 3, 4, 5}, gen);
  const Tensor mask =
      nn::combine_masks(bool_tensor({1, 1, 1, 1, 1, 1, 0, 0}, {2, 1, 1, 4}), nn::causal_mask(4));
  for (const Tensor& m : {Tensor(), mask}) {
    const auto plain = nn::scaled_dot_product_attention(q, k, v, m);
    const auto fast = nn::fused_attention_inference(q, k, v, m);
    EXPECT_TENSOR_NEAR(fast.output, plain.output, 1e-6, 1e-5);
    EXPECT_TENSOR_NEAR(fast.weights, plain.weights, 1e-6, 1e-5);
  }
  const Tensor none = bool_tensor({0, 0, 0, 0}, {1, 1, 1, 4});
  const auto fast = nn::fused_attention_inference(q, k, v, none);
  EXPECT_TRUE(std::isnan(fast.weights.at<float>({0, 0, 0, 0})));
  // A module in eval mode under NoGradGuard takes the fast path and agrees with the recorded one.
  nn::MultiHeadAttention mha(8, 2, 0.1, true, gen);
  mha.eval();
  const Tensor x = randn({2, 4, 8}, gen);
  const Tensor slow = mha.forward(x, x, x, mask).output;
  NoGradGuard no_grad;
  EXPECT_TENSOR_NEAR(mha.forward(x, x, x, mask).output, slow, 1e-6, 1e-5);
}

TEST(MultiHeadAttention, RejectsBadShapes) {
  EXPECT_THROW(nn::MultiHeadAttention(10, 3), Error);
  nn::MultiHeadAttention mha(8, 2);
  EXPECT_THROW(mha.forward(zeros({2, 3, 6}), zeros({2, 3, 8}), zeros({2, 3, 8})), Error);
  EXPECT_THROW(mha.forward(zeros({3, 8}), zeros({3, 8}), zeros({3, 8})), Error);
}

}  // namespace
}  // namespace attn
