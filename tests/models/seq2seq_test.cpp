// models::Seq2Seq vs a PyTorch re-implementation with the same parameter names (tools/fixtures/seq2seq.py →
// tests/data/models/seq2seq.safetensors): for each decoder (none, Bahdanau with 2 layers, Luong general
// with input feeding on an LSTM, Luong dot on a unidirectional GRU, and Bahdanau with teacher forcing 0),
// the logits, the attention weights, the label-smoothed loss and the gradient of every parameter on a
// padded batch (source lengths 6, 3, 1) agree within 1e-5 relative.
#include "attn/models/seq2seq.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "attn/ops.h"
#include "support/expect.h"
#include "support/fixtures.h"
#include "support/module_gradcheck.h"

namespace attn {
namespace {

constexpr double kAtol = 1e-6, kRtol = 1e-5;

const test::Fixture& fixture() {
  static const test::Fixture f("models/seq2seq.safetensors");
  return f;
}

struct Case {
  std::string name;
  models::Seq2SeqConfig config;
};

models::Seq2SeqConfig base(models::RNNType rnn, bool bi, int64_t layers, models::Seq2SeqAttention att) {
  return {.src_vocab_size = 11,
          .tgt_vocab_size = 13,
          .emb_size = 4,
          .hidden_size = 5,
          .num_layers = layers,
          .rnn = rnn,
          .bidirectional = bi,
          .dropout = 0.0,
          .attention = att,
          .pad_id = 0,
          .bos_id = 1,
          .eos_id = 2};
}

std::vector<Case> cases() {
  using models::RNNType, models::Seq2SeqAttention;
  auto bahdanau2 = base(RNNType::GRU, true, 2, Seq2SeqAttention::Bahdanau);
  bahdanau2.attention_size = 6;
  auto luong_dot = base(RNNType::GRU, false, 1, Seq2SeqAttention::Luong);
  luong_dot.luong_score = nn::LuongScore::Dot;
  luong_dot.input_feeding = false;
  return {{"gru_bi_none", base(RNNType::GRU, true, 1, Seq2SeqAttention::None)},
          {"gru_bi2_bahdanau", bahdanau2},
          {"lstm_bi_luong_general", base(RNNType::LSTM, true, 1, Seq2SeqAttention::Luong)},
          {"gru_uni_luong_dot", luong_dot},
          {"lstm_bi_bahdanau_tf0", base(RNNType::LSTM, true, 1, Seq2SeqAttention::Bahdanau)}};
}

nn::StateDict state_of(const std::string& prefix) {
  nn::StateDict sd;
  for (const auto& [key, t] : fixture().all())
    if (key.rfind(prefix + ".state.", 0) == 0) sd[key.substr(prefix.size() + 7)] = t;
  return sd;
}

class Seq2SeqTorch : public ::testing::TestWithParam<Case> {};

TEST_P(Seq2SeqTorch, LogitsAttentionLossAndGradientsMatch) {
  const Case& c = GetParam();
  const std::string p = c.name + ".";
  const test::Fixture& f = fixture();
  models::Seq2Seq model(c.config);
  model.load_state_dict(state_of(c.name));  // strict: every name is torch's
  const double tf = to_vector<double>(f[p + "teacher_forcing"])[0];
  const auto out = model.forward(f[p + "src"], f[p + "tgt_in"], tf);
  EXPECT_TENSOR_NEAR(out.logits, f[p + "logits"], kAtol, kRtol) << c.name;
  if (c.config.attention != models::Seq2SeqAttention::None) {
    EXPECT_TENSOR_NEAR(out.attention, f[p + "attention"], kAtol, kRtol) << c.name;
  } else {
    EXPECT_FALSE(out.attention.defined());
  }
  Tensor loss = model.loss(f[p + "src"], f[p + "tgt_in"], f[p + "tgt_out"], 0.1, tf);
  EXPECT_TENSOR_NEAR(reshape(loss, {1}), f[p + "loss"], kAtol, kRtol) << c.name;
  loss.backward();
  int compared = 0;
  for (const auto& [name, param] : model.named_parameters()) {
    ASSERT_TRUE(param.grad().defined()) << c.name << " " << name;
    EXPECT_TENSOR_NEAR(param.grad(), f[p + "grad." + name], kAtol, kRtol) << c.name << " grad " << name;
    ++compared;
  }
  EXPECT_GE(compared, 12) << c.name;
}

// The same model in float64 against central finite differences (no reference library): encoder RNN,
// attention, decoder RNN, output projection — every parameter tensor, on the fixture's padded batch.
TEST_P(Seq2SeqTorch, Float64GradientsMatchFiniteDifferences) {
  const Case& c = GetParam();
  const std::string p = c.name + ".";
  const test::Fixture& f = fixture();
  models::Seq2Seq model(c.config);
  model.load_state_dict(state_of(c.name));
  model.to(DType::F64);
  const double tf = to_vector<double>(f[p + "teacher_forcing"])[0];
  ASSERT_TRUE(tf == 0.0 || tf == 1.0)
      << "a ratio in between samples per call: no fixed function to difference";
  const auto r = test::check_module_gradients(
      model, [&] { return model.loss(f[p + "src"], f[p + "tgt_in"], f[p + "tgt_out"], 0.1, tf); });
  EXPECT_TRUE(r.ok) << c.name << "\n" << r.failures;
  std::cout << "[ result ] " << c.name << ": " << r.checked << " entries, worst rel err " << r.worst_rel
            << "\n";
}

INSTANTIATE_TEST_SUITE_P(Decoders, Seq2SeqTorch, ::testing::ValuesIn(cases()),
                         [](const auto& p) { return p.param.name; });  // not `info`: -Wshadow

// The attention weights are a distribution over the real source tokens only.
TEST(Seq2Seq, AttentionIsZeroOnPaddingAndSumsToOne) {
  const test::Fixture& f = fixture();
  models::Seq2Seq model(cases()[1].config);
  model.load_state_dict(state_of("gru_bi2_bahdanau"));
  NoGradGuard no_grad;
  const Tensor a =
      model.forward(f["gru_bi2_bahdanau.src"], f["gru_bi2_bahdanau.tgt_in"]).attention;  // (3, 5, 6)
  const auto v = to_vector<float>(contiguous(a));
  const int64_t lengths[] = {6, 3, 1};
  for (int64_t b = 0; b < 3; ++b)
    for (int64_t t = 0; t < 5; ++t) {
      double total = 0;
      for (int64_t s = 0; s < 6; ++s) {
        const float w = v[(b * 5 + t) * 6 + s];
        if (s >= lengths[b]) {
          EXPECT_EQ(w, 0.0f) << b << " " << t << " " << s;
        }
        total += w;
      }
      EXPECT_NEAR(total, 1.0, 1e-6);
    }
}

TEST(Seq2Seq, ConfigJsonRoundTripsAndRejectsBadValues) {
  auto c = cases()[2].config;
  nlohmann::json j;
  c.to_json(j);
  EXPECT_EQ(j.at("model_type"), "seq2seq");
  const auto back = models::Seq2SeqConfig::from_json(j);
  nlohmann::json j2;
  back.to_json(j2);
  EXPECT_EQ(j, j2);
  j["attention"] = "cosine";
  EXPECT_THROW(models::Seq2SeqConfig::from_json(j), Error);
  j["attention"] = "luong";
  j["hidden"] = 3;
  EXPECT_THROW(models::Seq2SeqConfig::from_json(j), Error);
}

TEST(Seq2Seq, BadInputsAreClearErrors) {
  models::Seq2Seq model(cases()[0].config);
  const Tensor empty_row = from_vector<int64_t>({5, 6, 0, 0}, {2, 2});
  try {
    model.encode(empty_row);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("source row 1 has no token"), std::string::npos) << e.what();
  }
  EXPECT_THROW(model.encode(zeros({2, 3})), Error);  // float ids
  EXPECT_THROW(models::Seq2Seq(models::Seq2SeqConfig{.src_vocab_size = 5,
                                                     .tgt_vocab_size = 5,
                                                     .bidirectional = true,
                                                     .attention = models::Seq2SeqAttention::Luong,
                                                     .luong_score = nn::LuongScore::Dot}),
               Error);  // dot needs decoder size == encoder size (2·H here)
}

}  // namespace
}  // namespace attn
