// examples/copy_task.cpp — the Annotated Transformer's first check: learn to copy (or reverse) random
// symbol sequences, then decode held-out ones greedily and count exact matches.
//
//   build/release/examples/copy_task                  # copy, tiny model, ~15–30 s on one busy core
//   build/release/examples/copy_task --reverse --d-model 64 --epochs 20
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>

#include "attn/core/threads.h"
#include "attn/decode/transformer_decoder.h"
#include "attn/tensor/creation.h"
#include "attn/train/trainer.h"

using namespace attn;

// Random sequences of 1…max_len symbols from ids [7, 17) (0–6 are text::Vocab's special tokens).
static std::vector<train::Example> make_data(size_t n, uint64_t seed, int64_t max_len, bool reverse) {
  Generator g(seed);
  std::vector<train::Example> out(n);
  for (auto& e : out) {
    const int64_t len = 1 + static_cast<int64_t>(g.randint(static_cast<uint64_t>(max_len)));
    for (int64_t i = 0; i < len; ++i) e.src.push_back(7 + static_cast<int64_t>(g.randint(10)));
    e.tgt = e.src;
    if (reverse) std::reverse(e.tgt.begin(), e.tgt.end());
  }
  return out;
}

int main(int argc, char** argv) {
  bool reverse = false;
  int64_t d_model = 32, layers = 2, epochs = 8, max_len = 8, warmup = 200, batch = 64, threads = 1;
  double factor = 0.5;
  size_t n_train = 20000;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&] { return i + 1 < argc ? std::atof(argv[++i]) : 0.0; };
    if (a == "--reverse")
      reverse = true;
    else if (a == "--d-model")
      d_model = static_cast<int64_t>(next());
    else if (a == "--layers")
      layers = static_cast<int64_t>(next());
    else if (a == "--epochs")
      epochs = static_cast<int64_t>(next());
    else if (a == "--max-len")
      max_len = static_cast<int64_t>(next());
    else if (a == "--warmup")
      warmup = static_cast<int64_t>(next());
    else if (a == "--batch")
      batch = static_cast<int64_t>(next());
    else if (a == "--factor")
      factor = next();
    else if (a == "--train")
      n_train = static_cast<size_t>(next());
    else if (a == "--threads")
      threads = static_cast<int64_t>(next());
    else {
      fmt::print(stderr,
                 "usage: copy_task [--reverse] [--d-model N] [--layers N] [--epochs N] [--max-len N] "
                 "[--warmup N] [--batch N] [--factor F] [--train N] [--threads N]\n");
      return 2;
    }
  }
  // Tiny matrices gain nothing from threads, and OpenMP barriers cost much on a busy machine.
  set_num_threads(static_cast<int>(threads));
  const auto train_set = make_data(n_train, 11, max_len, reverse),
             held_out = make_data(200, 12345, max_len, reverse);
  Generator gen(0);
  models::Transformer model({.src_vocab_size = 17,
                             .tgt_vocab_size = 17,
                             .d_model = d_model,
                             .nhead = 4,
                             .num_encoder_layers = layers,
                             .num_decoder_layers = layers,
                             .dim_feedforward = 2 * d_model,
                             .dropout = 0.0,
                             .max_len = 64},
                            gen);
  const auto t0 = std::chrono::steady_clock::now();
  train::TrainOptions o{.epochs = epochs,
                        .batch_size = static_cast<size_t>(batch),
                        .label_smoothing = 0.0,
                        .lr_factor = factor,
                        .warmup = warmup,
                        .seed = 1,
                        .log_every = 50,
                        .dropout_generator = &gen};
  const auto r = train::train(model, train_set, {}, o);
  model.eval();
  int64_t hits = 0;
  std::vector<int64_t> shown;
  for (size_t i = 0; i < held_out.size(); ++i) {
    const auto& e = held_out[i];
    const auto out = decode::translate(model, from_vector<int64_t>(e.src, {1, (int64_t)e.src.size()}),
                                       {.max_length = max_len + 2, .beam_size = 1});
    hits += out.hypotheses[0] == e.tgt ? 1 : 0;
    if (i < 3) fmt::print("src {}  →  {}\n", fmt::join(e.src, " "), fmt::join(out.hypotheses[0], " "));
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fmt::print(
      "{} task: {} steps, last loss {:.4f}, exact match {}/{} = {:.1f} % on held-out sequences ({:.1f} s)\n",
      reverse ? "reverse" : "copy", r.steps, r.step_losses.back(), hits, held_out.size(),
      100.0 * static_cast<double>(hits) / static_cast<double>(held_out.size()), secs);
  return hits == static_cast<int64_t>(held_out.size()) ? 0 : 1;
}
