// attn/train/trainer.h — training a models::Transformer on source/target id pairs, as in the paper (§5):
// label-smoothed cross-entropy (ε = 0.1) over non-[PAD] targets, Adam(β₁ = 0.9, β₂ = 0.98, ε = 1e-9) with
// the warm-up schedule lr = factor · d_model^-0.5 · min(step^-0.5, step · warmup^-1.5) (§5.3), token-budget
// batches from text::Batcher, gradient clipping and accumulation, a validation loss each epoch,
// checkpoints (safetensors + JSON, atomic) with exact resume, a progress bar and a loss-curve SVG.
//
//   train::TrainOptions o{.epochs = 10, .max_tokens = 4000, .out_dir = "runs/de-en"};
//   auto result = train::train(model, train_pairs, valid_pairs, o);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "attn/core/rng.h"
#include "attn/models/transformer.h"

namespace attn::train {

// One sentence pair as token ids, without [BOS]/[EOS] (the trainer adds them).
struct Example {
  std::vector<int64_t> src, tgt;
};

struct TrainOptions {
  int64_t epochs = 1;
  int64_t max_steps = 0;   // optimizer steps; 0 = no limit (epochs decide)
  size_t batch_size = 32;  // sentences per batch when max_tokens == 0
  size_t max_tokens = 0;   // token budget per batch (with padding), as text::Batcher
  double label_smoothing = 0.1;
  double lr_factor = 1.0;  // the Noam schedule's factor (the Annotated Transformer uses 1–2)
  int64_t warmup = 4000;
  double clip_norm = 0.0;        // 0 = no clipping
  int64_t accumulate = 1;        // batches per optimizer step
  int64_t checkpoint_every = 0;  // steps; 0 = only at the end (when out_dir is set)
  std::string out_dir = "";  // checkpoint/, model.safetensors, config.json, loss.svg; empty = write nothing
  bool resume = false;       // continue from out_dir/checkpoint
  uint64_t seed = 0;         // batch order and dropout
  int64_t log_every = 10;
  bool progress = true;  // the progress bar on stderr
  // The generator the model's dropout layers draw from (the one given to its constructor). It is reseeded
  // with (seed, step) before every step, so a resumed run draws the same masks as an uninterrupted one.
  Generator* dropout_generator = &default_generator();
};

struct TrainResult {
  std::vector<double> step_losses;   // mean token loss of each optimizer step (after resume: from there on)
  std::vector<double> valid_losses;  // per epoch (plain CE per token, no smoothing)
  int64_t steps = 0;                 // optimizer steps done in total
};

TrainResult train(models::Transformer& model, const std::vector<Example>& train_data,
                  const std::vector<Example>& valid_data, const TrainOptions& options);

// Mean cross-entropy per target token (no smoothing) in eval mode; exp of it is the perplexity.
double evaluate_loss(models::Transformer& model, const std::vector<Example>& data, size_t batch_size = 64);

// Batch tensors (int64, padded with config.pad_id): src (B, S), tgt_in = [BOS] y (B, T), tgt_out = y [EOS].
struct Seq2SeqBatch {
  Tensor src, tgt_in, tgt_out;
  int64_t target_tokens = 0;
};
Seq2SeqBatch make_batch(const std::vector<Example>& data, const std::vector<size_t>& indices,
                        const models::TransformerConfig& config);

// The final model (model.safetensors + config.json) and loading it back.
void save_model(const models::Transformer& model, const std::string& dir);
std::unique_ptr<models::Transformer> load_model(const std::string& dir);

}  // namespace attn::train
