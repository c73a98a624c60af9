// Decoding a seeded, randomly initialised Transformer (its outputs are arbitrary but fixed): the KV-cached
// and the uncached decoder give identical tokens in greedy and beam search; a batch decodes like its
// sentences one by one; beam size 1 is greedy; beam search never scores below greedy without a length
// penalty; max_length and the state reorder behave.
#include <gtest/gtest.h>

#include "attn/decode/transformer_decoder.h"
#include "attn/ops.h"

namespace attn {
namespace {

struct Tiny {
  Generator gen{42};
  models::Transformer model{models::TransformerConfig{.src_vocab_size = 17,
                                                      .tgt_vocab_size = 19,
                                                      .d_model = 16,
                                                      .nhead = 4,
                                                      .num_encoder_layers = 2,
                                                      .num_decoder_layers = 2,
                                                      .dim_feedforward = 32,
                                                      .dropout = 0.1,
                                                      .max_len = 64},
                            gen};
  Tiny() { model.eval(); }
};

// Three sources of different lengths, padded with 0.
Tensor sources() {
  return from_vector<int64_t>({5, 7, 8, 9, 10, 11, 6, 5, 3, 12, 6, 0, 0, 0, 5, 13, 14, 15, 16, 6, 0}, {3, 7});
}

decode::SearchOptions opts(int64_t beam, double alpha = 0.6) {
  return {.bos_id = 5, .eos_id = 6, .max_length = 12, .beam_size = beam, .length_penalty = alpha};
}

TEST(Search, CachedAndUncachedGreedyGiveIdenticalTokens) {
  Tiny t;
  const auto a = decode::translate(t.model, sources(), opts(1), true);
  const auto b = decode::translate(t.model, sources(), opts(1), false);
  EXPECT_EQ(a.hypotheses, b.hypotheses);
  for (size_t i = 0; i < a.scores.size(); ++i) EXPECT_NEAR(a.scores[i], b.scores[i], 1e-4);
  EXPECT_FALSE(a.hypotheses[0].empty());
}

TEST(Search, CachedAndUncachedBeamGiveIdenticalTokens) {
  Tiny t;
  for (bool early : {true, false}) {
    auto o = opts(4);
    o.early_stop = early;
    const auto a = decode::translate(t.model, sources(), o, true);
    const auto b = decode::translate(t.model, sources(), o, false);
    EXPECT_EQ(a.hypotheses, b.hypotheses);
    for (size_t i = 0; i < a.scores.size(); ++i) EXPECT_NEAR(a.scores[i], b.scores[i], 1e-4);
  }
}

TEST(Search, BatchDecodesLikeOneByOne) {
  Tiny t;
  const Tensor src = sources();
  for (int64_t beam : {1, 3}) {
    const auto batch = decode::translate(t.model, src, opts(beam));
    for (int64_t i = 0; i < 3; ++i) {
      // Sentence i alone, without its padding columns.
      auto ids = to_vector<int64_t>(select(src, 0, i));
      while (ids.back() == 0) ids.pop_back();
      const auto one =
          decode::translate(t.model, from_vector<int64_t>(ids, {1, (int64_t)ids.size()}), opts(beam));
      EXPECT_EQ(one.hypotheses[0], batch.hypotheses[i]) << "beam " << beam << " sentence " << i;
    }
  }
}

TEST(Search, BeamOfOneIsGreedyAndWiderBeamsScoreAtLeastAsHigh) {
  Tiny t;
  const auto greedy = decode::translate(t.model, sources(), opts(1, 0.0));
  models::Transformer& m = t.model;
  const Tensor memory = m.encode(sources());
  decode::TransformerDecoder dec(m);
  const auto beam1 = decode::beam_search(dec, memory, m.src_mask(sources()), opts(1, 0.0));
  EXPECT_EQ(beam1.hypotheses, greedy.hypotheses);
  const auto beam5 = decode::translate(t.model, sources(), opts(5, 0.0));
  for (size_t i = 0; i < 3; ++i) EXPECT_GE(beam5.scores[i], greedy.scores[i] - 1e-5);
}

TEST(Search, StopsAtMaxLength) {
  Tiny t;
  auto o = opts(1);
  o.max_length = 3;
  o.eos_id = 18;  // make an early end unlikely: the hypothesis runs to max_length
  const auto r = decode::translate(t.model, sources(), o);
  for (const auto& h : r.hypotheses) EXPECT_LE(h.size(), 3u);
}

// A scripted model over {0 [PAD], 1 [BOS], 2 [EOS], 3 a, 4 b}: "a" is likely until three tokens are out,
// then [EOS]; an early [EOS] costs 5 nats. The right answer is "a a a" for every beam size.
class ScriptedDecoder : public decode::Decoder {
 public:
  decode::State initial_state(const Tensor& memory, const Tensor&) override {
    decode::State s;
    s.tensors["row"] = zeros({memory.size(0), 1});
    return s;
  }
  Tensor step(const Tensor& last_ids, decode::State& state) override {
    const int64_t N = last_ids.size(0), t = state.step++;
    std::vector<float> lp;
    for (int64_t n = 0; n < N; ++n) {
      const bool end = t >= 3;
      lp.insert(lp.end(), {-30.f, -30.f, end ? -0.01f : -5.f, end ? -6.f : -0.01f, -6.f});
    }
    return from_vector(lp, {N, 5});
  }
};

TEST(Search, BeamSearchDoesNotStopAtAnUnlikelyEarlyEnding) {
  ScriptedDecoder d;
  const Tensor memory = zeros({2, 1, 1});
  for (bool early : {true, false}) {
    for (int64_t beam : {1, 2, 4}) {
      decode::SearchOptions o{
          .bos_id = 1, .eos_id = 2, .max_length = 10, .beam_size = beam, .early_stop = early};
      const auto r = beam > 1 ? decode::beam_search(d, memory, Tensor(), o)
                              : decode::greedy_search(d, memory, Tensor(), o);
      for (const auto& h : r.hypotheses) EXPECT_EQ(h, (std::vector<int64_t>{3, 3, 3})) << "beam " << beam;
    }
  }
}

TEST(Search, IndexRowsGathersAnyDType) {
  const Tensor x = from_vector<int64_t>({1, 2, 3, 4, 5, 6}, {3, 2});
  EXPECT_EQ(to_vector<int64_t>(decode::index_rows(x, {2, 0, 2})), (std::vector<int64_t>{5, 6, 1, 2, 5, 6}));
  EXPECT_THROW(decode::index_rows(x, {3}), Error);
}

}  // namespace
}  // namespace attn
