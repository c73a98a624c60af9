// Decoding seeded, randomly initialised RNN seq2seq models (models/seq2seq.h; outputs arbitrary but fixed)
// through decode::Seq2SeqDecoder with the unchanged greedy and beam search: beam size 1 is greedy, a padded
// batch decodes like its sentences one by one (greedy and beam 3), wider beams never score below greedy
// without a length penalty, and greedy's tokens are the argmax of the model's own teacher-forced forward.
#include "attn/decode/seq2seq_decoder.h"

#include <gtest/gtest.h>

#include "attn/ops.h"

namespace attn {
namespace {

models::Seq2SeqConfig config(models::Seq2SeqAttention att, models::RNNType rnn) {
  return {.src_vocab_size = 17,
          .tgt_vocab_size = 19,
          .emb_size = 8,
          .hidden_size = 10,
          .num_layers = 2,
          .rnn = rnn,
          .bidirectional = true,
          .dropout = 0.1,
          .attention = att};
}

struct Tiny {
  Generator gen{42};
  models::Seq2Seq model;
  explicit Tiny(const models::Seq2SeqConfig& c) : model(c, gen) { model.eval(); }
};

std::vector<models::Seq2SeqConfig> configs() {
  using models::RNNType, models::Seq2SeqAttention;
  return {config(Seq2SeqAttention::None, RNNType::GRU), config(Seq2SeqAttention::Bahdanau, RNNType::GRU),
          config(Seq2SeqAttention::Luong, RNNType::LSTM)};
}

// Three sources of different lengths, padded with 0.
Tensor sources() {
  return from_vector<int64_t>({5, 7, 8, 9, 10, 11, 6, 5, 3, 12, 6, 0, 0, 0, 5, 13, 14, 15, 16, 6, 0}, {3, 7});
}

decode::SearchOptions opts(int64_t beam, double alpha = 0.6) {
  return {.bos_id = 5, .eos_id = 6, .max_length = 12, .beam_size = beam, .length_penalty = alpha};
}

TEST(Seq2SeqSearch, BeamOfOneIsGreedyAndWiderBeamsScoreAtLeastAsHigh) {
  for (const auto& c : configs()) {
    Tiny t(c);
    const auto greedy = decode::translate(t.model, sources(), opts(1, 0.0));
    const models::Seq2SeqEncoding enc = t.model.encode(sources());
    decode::Seq2SeqDecoder dec(t.model, enc);
    const Tensor mask = reshape(enc.mask, {3, 1, 1, 7});
    const auto beam1 = decode::beam_search(dec, enc.outputs, mask, opts(1, 0.0));
    EXPECT_EQ(beam1.hypotheses, greedy.hypotheses) << models::to_string(c.attention);
    const auto beam5 = decode::translate(t.model, sources(), opts(5, 0.0));
    for (size_t i = 0; i < 3; ++i) EXPECT_GE(beam5.scores[i], greedy.scores[i] - 1e-5);
  }
}

TEST(Seq2SeqSearch, BatchDecodesLikeOneByOne) {
  for (const auto& c : configs()) {
    Tiny t(c);
    const Tensor src = sources();
    for (int64_t beam : {1, 3}) {
      const auto batch = decode::translate(t.model, src, opts(beam));
      for (int64_t i = 0; i < 3; ++i) {
        auto ids = to_vector<int64_t>(select(src, 0, i));
        while (ids.back() == 0) ids.pop_back();
        const auto one =
            decode::translate(t.model, from_vector<int64_t>(ids, {1, (int64_t)ids.size()}), opts(beam));
        EXPECT_EQ(one.hypotheses[0], batch.hypotheses[i])
            << models::to_string(c.attention) << " beam " << beam << " sentence " << i;
        EXPECT_NEAR(one.scores[0], batch.scores[i], 1e-4);
      }
    }
  }
}

// Greedy decoding step by step equals the argmax of a teacher-forced forward over its own output.
TEST(Seq2SeqSearch, GreedyTokensAreTheForwardArgmax) {
  for (const auto& c : configs()) {
    Tiny t(c);
    const Tensor src = narrow(sources(), 0, 0, 1);
    auto o = opts(1);
    o.eos_id = 18;  // unlikely: runs to max_length, so every position is compared
    const auto r = decode::translate(t.model, src, o);
    const auto& h = r.hypotheses[0];
    ASSERT_FALSE(h.empty());
    std::vector<int64_t> tgt{5};
    tgt.insert(tgt.end(), h.begin(), h.end() - (h.size() == 12 ? 1 : 0));
    NoGradGuard no_grad;
    const Tensor logits = t.model.forward(src, from_vector<int64_t>(tgt, {1, (int64_t)tgt.size()})).logits;
    const auto am = to_vector<int64_t>(argmax(select(logits, 0, 0), 1));
    for (size_t k = 0; k < am.size() && k < h.size(); ++k)
      EXPECT_EQ(am[k], h[k]) << models::to_string(c.attention) << " position " << k;
  }
}

TEST(Seq2SeqSearch, InitialStateRejectsForeignMemory) {
  Tiny t(configs()[1]);
  const models::Seq2SeqEncoding enc = t.model.encode(sources());
  decode::Seq2SeqDecoder dec(t.model, enc);
  EXPECT_THROW(dec.initial_state(zeros({2, 7, 20}), zeros({2, 1, 1, 7})), Error);
}

}  // namespace
}  // namespace attn
