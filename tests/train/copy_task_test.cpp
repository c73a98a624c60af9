// The copy task, the Annotated Transformer's first check, as a unit-level test: a tiny seeded model learns to
// copy random symbol sequences and then copies 200 held-out ones exactly (greedy decoding with the KV cache).
#include <gtest/gtest.h>

#include <algorithm>

#include "attn/core/threads.h"
#include "attn/decode/transformer_decoder.h"
#include "attn/tensor/creation.h"
#include "attn/train/trainer.h"

namespace attn {
namespace {

// Random sequences over symbols [7, 17) (ids 0–6 are text::Vocab's specials); tgt = src.
std::vector<train::Example> copy_data(size_t n, uint64_t seed, int64_t max_len) {
  Generator g(seed);
  std::vector<train::Example> out(n);
  for (auto& e : out) {
    const int64_t len = 1 + static_cast<int64_t>(g.randint(static_cast<uint64_t>(max_len)));
    for (int64_t i = 0; i < len; ++i) e.src.push_back(7 + static_cast<int64_t>(g.randint(10)));
    e.tgt = e.src;
  }
  return out;
}

models::TransformerConfig tiny(double dropout) {
  return {.src_vocab_size = 17,
          .tgt_vocab_size = 17,
          .d_model = 32,
          .nhead = 4,
          .num_encoder_layers = 2,
          .num_decoder_layers = 2,
          .dim_feedforward = 64,
          .dropout = dropout,
          .max_len = 64};
}

// The Annotated Transformer's "first check": learn to copy random symbol sequences. A tiny model (d 32,
// 2+2 layers), seeded, trained for 2504 steps (15–30 s on one core), then greedy decoding must copy every
// held-out sequence.
TEST(Trainer, CopyTaskReachesFullExactMatch) {
  set_num_threads(1);  // tiny matrices: threads only add OpenMP barriers
  const auto train_set = copy_data(20000, 11, 8), held_out = copy_data(200, 12345, 8);
  Generator gen(0);
  models::Transformer model(tiny(0.0), gen);
  train::TrainOptions o{.epochs = 8,
                        .batch_size = 64,
                        .label_smoothing = 0.0,
                        .lr_factor = 0.5,
                        .warmup = 200,
                        .seed = 1,
                        .progress = false,
                        .dropout_generator = &gen};
  const auto r = train::train(model, train_set, {}, o);
  model.eval();
  int64_t hits = 0;
  for (const auto& e : held_out) {
    const auto out = decode::translate(model, from_vector<int64_t>(e.src, {1, (int64_t)e.src.size()}),
                                       {.max_length = 12, .beam_size = 1});
    hits += out.hypotheses[0] == e.tgt ? 1 : 0;
  }
  EXPECT_EQ(hits, 200) << "exact match " << hits << "/200 after " << r.steps << " steps, last loss "
                       << r.step_losses.back();
}

}  // namespace
}  // namespace attn
