// attn/train/trainer.h — training an encoder–decoder on source/target id pairs: label-smoothed
// cross-entropy over non-[PAD] targets, Adam with the Transformer's warm-up schedule (§5.3: lr = factor ·
// d_model^-0.5 · min(step^-0.5, step · warmup^-1.5), β₂ = 0.98, ε = 1e-9) or a constant / per-epoch decaying
// lr (the RNN models: β = (0.9, 0.999), ε = 1e-8), token-budget batches from text::Batcher, gradient
// clipping and accumulation, a validation loss each epoch, checkpoints (safetensors + JSON, atomic) with
// exact resume, a progress bar and a loss-curve SVG. The loop sees a model only through Seq2SeqModel, so
// the Transformer and the RNN seq2seq (models/seq2seq.h) share it.
//
//   train::TrainOptions o{.epochs = 10, .max_tokens = 4000, .out_dir = "runs/de-en"};
//   auto result = train::train(model, train_pairs, valid_pairs, o);          // a models::Transformer
//   train::RNNSeq2SeqModel m(rnn_model, 0.5);                               // teacher forcing 0.5
//   auto r2 = train::train(m, train_pairs, valid_pairs, {.schedule = train::LrSchedule::Constant});
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "attn/core/rng.h"
#include "attn/models/seq2seq.h"
#include "attn/models/transformer.h"

namespace attn::train {

// One sentence pair as token ids, without [BOS]/[EOS] (the trainer adds them).
struct Example {
  std::vector<int64_t> src, tgt;
};

enum class LrSchedule {
  Noam,      // the Transformer's warm-up then 1/√step (lr_factor, warmup)
  Constant,  // lr throughout
  Decay,     // lr, multiplied by lr_decay at the start of every epoch from decay_from (1-based) on
};

// This process's CPU time in seconds (user + system, all threads): CLOCK_PROCESS_CPUTIME_ID.
double process_cpu_seconds();

struct TrainOptions {
  int64_t epochs = 1;
  int64_t max_steps = 0;  // optimizer steps; 0 = no limit (epochs decide)
  // A wall-clock budget for this call (a resumed run gets a fresh one); negative = none. After the step in
  // which it runs out, the loop ends as if the epoch had: validation, "stopped: time budget of M minutes
  // reached at step S" on stderr, the final checkpoint (resumable mid-epoch), the model and loss.svg.
  // 0 stops after the first step.
  double max_minutes = -1;
  std::function<double()> clock = {};  // seconds on a monotonic clock for max_minutes; empty = see cpu_budget
  // max_minutes counts this process's CPU time (all threads) instead of wall time: equal budgets for runs
  // that share a loaded machine (with one thread, a minute of CPU is a minute of one core's work).
  bool cpu_budget = false;
  size_t batch_size = 32;  // sentences per batch when max_tokens == 0
  size_t max_tokens = 0;   // token budget per batch (with padding), as text::Batcher
  double label_smoothing = 0.1;
  LrSchedule schedule = LrSchedule::Noam;
  double lr_factor = 1.0;  // the Noam schedule's factor (the Annotated Transformer uses 1–2)
  int64_t warmup = 4000;
  double lr = 1e-3;              // Constant / Decay
  double lr_decay = 0.5;         // Decay
  int64_t decay_from = 2;        // Decay: the first epoch (1-based) that runs at lr · lr_decay
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
  std::vector<double> step_losses;  // mean token loss of each optimizer step (after resume: from there on)
  std::vector<double>
      valid_losses;          // per epoch, and at a time-budget stop (plain CE per token, no smoothing)
  int64_t steps = 0;         // optimizer steps done in total
  bool out_of_time = false;  // stopped by max_minutes
};

// Batch tensors (int64, padded with pad_id): src (B, S), tgt_in = [BOS] y (B, T), tgt_out = y [EOS].
struct Seq2SeqBatch {
  Tensor src, tgt_in, tgt_out;
  int64_t target_tokens = 0;
};
struct SpecialIds {
  int64_t pad_id = 0, bos_id = 5, eos_id = 6;
};
Seq2SeqBatch make_batch(const std::vector<Example>& data, const std::vector<size_t>& indices,
                        const SpecialIds& ids);
Seq2SeqBatch make_batch(const std::vector<Example>& data, const std::vector<size_t>& indices,
                        const models::TransformerConfig& config);

// What the loop needs from a model.
class Seq2SeqModel {
 public:
  virtual ~Seq2SeqModel() = default;
  virtual nn::Module& module() = 0;
  // Mean cross-entropy (label-smoothed by ε) per non-[PAD] target token; dropout etc. follow the module's
  // training mode.
  virtual Tensor loss(const Seq2SeqBatch& batch, double label_smoothing) = 0;
  virtual SpecialIds ids() const = 0;
  virtual void config_json(nlohmann::json& j) const = 0;  // config.json, with "model_type"
  virtual std::string name() const = 0;                   // "Transformer", "seq2seq (bahdanau)", …
  virtual int64_t d_model() const = 0;                    // the Noam schedule's d_model
};

class TransformerModel : public Seq2SeqModel {
 public:
  explicit TransformerModel(models::Transformer& m) : m_(&m) {}
  nn::Module& module() override { return *m_; }
  Tensor loss(const Seq2SeqBatch& b, double eps) override {
    return m_->loss(b.src, b.tgt_in, b.tgt_out, eps);
  }
  SpecialIds ids() const override { return {m_->config.pad_id, m_->config.bos_id, m_->config.eos_id}; }
  void config_json(nlohmann::json& j) const override { m_->config.to_json(j); }
  std::string name() const override { return "Transformer"; }
  int64_t d_model() const override { return m_->config.d_model; }

 private:
  models::Transformer* m_;
};

// The RNN encoder–decoder; teacher_forcing (the probability of feeding the reference token at each step)
// applies in training mode only — validation is always teacher-forced. Its draws come from the model's
// generator (TrainOptions::dropout_generator), so resumed runs repeat them.
class RNNSeq2SeqModel : public Seq2SeqModel {
 public:
  explicit RNNSeq2SeqModel(models::Seq2Seq& m, double teacher_forcing = 1.0) : m_(&m), tf_(teacher_forcing) {}
  nn::Module& module() override { return *m_; }
  Tensor loss(const Seq2SeqBatch& b, double eps) override {
    return m_->loss(b.src, b.tgt_in, b.tgt_out, eps, m_->is_training() ? tf_ : 1.0);
  }
  SpecialIds ids() const override { return {m_->config.pad_id, m_->config.bos_id, m_->config.eos_id}; }
  void config_json(nlohmann::json& j) const override { m_->config.to_json(j); }
  std::string name() const override { return "seq2seq (" + models::to_string(m_->config.attention) + ")"; }
  int64_t d_model() const override { return m_->config.hidden_size; }

 private:
  models::Seq2Seq* m_;
  double tf_;
};

TrainResult train(Seq2SeqModel& model, const std::vector<Example>& train_data,
                  const std::vector<Example>& valid_data, const TrainOptions& options);
TrainResult train(models::Transformer& model, const std::vector<Example>& train_data,
                  const std::vector<Example>& valid_data, const TrainOptions& options);

// Mean cross-entropy per target token (no smoothing) in eval mode; exp of it is the perplexity.
double evaluate_loss(Seq2SeqModel& model, const std::vector<Example>& data, size_t batch_size = 64);
double evaluate_loss(models::Transformer& model, const std::vector<Example>& data, size_t batch_size = 64);

// The final model (model.safetensors + config.json) and loading it back. model_type(dir) is config.json's
// "model_type" ("transformer" or "seq2seq"), for commands that take either.
void save_model(Seq2SeqModel& model, const std::string& dir);
void save_model(const models::Transformer& model, const std::string& dir);
std::unique_ptr<models::Transformer> load_model(const std::string& dir);
std::unique_ptr<models::Seq2Seq> load_seq2seq(const std::string& dir);
std::string model_type(const std::string& dir);

}  // namespace attn::train
