// train::train on the RNN seq2seq through train::RNNSeq2SeqModel: a resumed run reproduces an
// uninterrupted one step for step (dropout and teacher forcing 0.5 draw from the reseeded generator), the
// checkpoint loads back by its config.json's model_type, the per-epoch decay schedule sets the lr (decay 0
// freezes the weights from epoch decay_from on), and a Bahdanau model learns to reverse short sequences.
#include <gtest/gtest.h>

#include <filesystem>

#include "attn/decode/seq2seq_decoder.h"
#include "attn/ops.h"
#include "attn/train/trainer.h"

namespace attn {
namespace {

namespace fs = std::filesystem;

std::vector<train::Example> reverse_data(size_t n, uint64_t seed, int64_t max_len) {
  Generator g(seed);
  std::vector<train::Example> out(n);
  for (auto& e : out) {
    const int64_t len = 1 + static_cast<int64_t>(g.randint(static_cast<uint64_t>(max_len)));
    for (int64_t i = 0; i < len; ++i) e.src.push_back(7 + static_cast<int64_t>(g.randint(8)));
    e.tgt.assign(e.src.rbegin(), e.src.rend());
  }
  return out;
}

models::Seq2SeqConfig tiny(models::Seq2SeqAttention att, double dropout) {
  return {.src_vocab_size = 15,
          .tgt_vocab_size = 15,
          .emb_size = 16,
          .hidden_size = 32,
          .rnn = models::RNNType::GRU,
          .bidirectional = true,
          .dropout = dropout,
          .attention = att};
}

fs::path temp_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("attn_s2s_test_" + name + std::to_string(::getpid()));
  fs::remove_all(d);
  return d;
}

TEST(Seq2SeqTrainer, ResumedRunMatchesUninterruptedRun) {
  const auto data = reverse_data(64, 1, 5);
  auto run = [&](const fs::path& dir, int64_t max_steps, bool resume) {
    Generator gen(3);
    models::Seq2Seq model(tiny(models::Seq2SeqAttention::Luong, 0.1), gen);
    train::RNNSeq2SeqModel m(model, 0.5);
    train::TrainOptions o{.epochs = 3,
                          .max_steps = max_steps,
                          .batch_size = 16,
                          .label_smoothing = 0.1,
                          .schedule = train::LrSchedule::Decay,
                          .lr = 3e-3,
                          .decay_from = 2,
                          .clip_norm = 1.0,
                          .out_dir = dir.string(),
                          .resume = resume,
                          .seed = 9,
                          .progress = false,
                          .dropout_generator = &gen};
    return train::train(m, data, {}, o);
  };
  const fs::path a = temp_dir("a"), b = temp_dir("b");
  const auto full = run(a, 10, false);  // 4 steps per epoch: the interruption at 6 is mid-epoch 2
  run(b, 6, false);
  const auto resumed = run(b, 10, true);
  ASSERT_EQ(full.step_losses.size(), 10u);
  ASSERT_EQ(resumed.step_losses.size(), 10u);
  for (size_t i = 0; i < 10; ++i)
    EXPECT_NEAR(resumed.step_losses[i], full.step_losses[i], 1e-6) << "step " << i + 1;
  EXPECT_EQ(train::model_type(a.string()), "seq2seq");
  auto loaded = train::load_seq2seq(a.string());
  EXPECT_EQ(loaded->config.attention, models::Seq2SeqAttention::Luong);
  EXPECT_TRUE(fs::exists(a / "loss.svg"));
  EXPECT_THROW(train::load_model(a.string()), Error);  // a seq2seq config is not a Transformer's
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(Seq2SeqTrainer, DecayToZeroFreezesTheWeightsFromDecayFrom) {
  const auto data = reverse_data(32, 2, 4);
  auto weights_after = [&](int64_t epochs) {
    Generator gen(4);
    models::Seq2Seq model(tiny(models::Seq2SeqAttention::None, 0.0), gen);
    train::RNNSeq2SeqModel m(model);
    train::train(m, data, {},
                 {.epochs = epochs,
                  .batch_size = 16,
                  .schedule = train::LrSchedule::Decay,
                  .lr = 1e-2,
                  .lr_decay = 0.0,
                  .decay_from = 2,
                  .progress = false,
                  .dropout_generator = &gen});
    return to_vector<float>(model.generator.weight);
  };
  const auto none = weights_after(0), one = weights_after(1), three = weights_after(3);
  EXPECT_NE(none, one);   // epoch 1 trains at lr 1e-2
  EXPECT_EQ(one, three);  // epochs 2 and 3 run at lr 0 (Adam's step is lr-scaled: nothing moves)
}

TEST(Seq2SeqTrainer, BahdanauLearnsToReverse) {
  const auto data = reverse_data(600, 5, 5), test = reverse_data(20, 6, 5);
  Generator gen(7);
  models::Seq2Seq model(tiny(models::Seq2SeqAttention::Bahdanau, 0.0), gen);
  train::RNNSeq2SeqModel m(model);
  train::train(m, data, {},
               {.epochs = 6,
                .batch_size = 32,
                .label_smoothing = 0.0,
                .schedule = train::LrSchedule::Constant,
                .lr = 1e-2,
                .clip_norm = 1.0,
                .seed = 1,
                .progress = false,
                .dropout_generator = &gen});
  model.eval();
  int exact = 0;
  for (const auto& e : test) {
    const Tensor src = from_vector<int64_t>(e.src, {1, static_cast<int64_t>(e.src.size())});
    const auto r = decode::translate(model, src, {.max_length = 10, .beam_size = 1});
    exact += r.hypotheses[0] == e.tgt ? 1 : 0;
  }
  EXPECT_GE(exact, 18) << "of 20 test sequences reversed exactly";
}

}  // namespace
}  // namespace attn
