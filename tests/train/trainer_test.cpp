// train::train on a tiny Transformer: a run resumed from a checkpoint reproduces the losses of an
// uninterrupted run step for step (dropout on), checkpoints and the loss curve land on disk, batches are
// built as [BOS] y / y [EOS]. The copy task is in copy_task_test.cpp.
#include "attn/train/trainer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "attn/decode/transformer_decoder.h"
#include "attn/tensor/creation.h"
#include "attn/train/progress.h"

namespace attn {
namespace {

namespace fs = std::filesystem;

// Random sequences over symbols [7, 7 + n_symbols) (ids 0–6 are text::Vocab's specials); tgt = src.
std::vector<train::Example> copy_data(size_t n, uint64_t seed, int64_t max_len, bool reverse = false) {
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

models::TransformerConfig tiny(double dropout) {
  return {.src_vocab_size = 17,
          .tgt_vocab_size = 17,
          .d_model = 32,
          .nhead = 4,
          .num_encoder_layers = 2,
          .num_decoder_layers = 2,
          .dim_feedforward = 64,
          .dropout = dropout,
          .max_len = 32};
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

fs::path temp_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("attn_train_test_" + name + std::to_string(::getpid()));
  fs::remove_all(d);
  return d;
}

// 3 epochs of batches of 16 with accumulation 2, clipping, dropout 0.1, seed 9: the resume tests' run.
train::TrainOptions resume_options(const fs::path& dir, int64_t max_steps, bool resume, Generator& gen) {
  return {.epochs = 3,
          .max_steps = max_steps,
          .batch_size = 16,
          .warmup = 10,
          .clip_norm = 1.0,
          .accumulate = 2,
          .out_dir = dir.string(),
          .resume = resume,
          .seed = 9,
          .progress = false,
          .dropout_generator = &gen};
}

TEST(Trainer, ResumedRunMatchesUninterruptedRun) {
  const auto data = copy_data(96, 1, 6);
  auto run = [&](const fs::path& dir, int64_t max_steps, bool resume) {
    Generator gen(3);
    models::Transformer model(tiny(0.1), gen);
    return train::train(model, data, {}, resume_options(dir, max_steps, resume, gen));
  };
  const fs::path a = temp_dir("a"), b = temp_dir("b");
  const auto full = run(a, 8, false);  // 3 steps per epoch: the interruption at 4 is mid-epoch
  run(b, 4, false);
  ASSERT_TRUE(fs::exists(b / "checkpoint" / "optimizer.safetensors"));
  const auto resumed = run(b, 8, true);
  ASSERT_EQ(full.step_losses.size(), 8u);
  ASSERT_EQ(resumed.step_losses.size(), 8u);
  for (size_t i = 0; i < 8; ++i)
    EXPECT_NEAR(resumed.step_losses[i], full.step_losses[i], 1e-6) << "step " << i + 1;
  EXPECT_NE(full.step_losses[0], full.step_losses[7]);
  EXPECT_TRUE(fs::exists(a / "loss.svg") && fs::exists(a / "model.safetensors") &&
              fs::exists(a / "config.json"));
  // The curve's legend says what the training loss is (default label smoothing 0.1).
  EXPECT_NE(read_text(a / "loss.svg").find(">train (label smoothing 0.1)<"), std::string::npos);
  auto loaded = train::load_model(a.string());
  EXPECT_EQ(loaded->config.d_model, 32);
  fs::remove_all(a);
  fs::remove_all(b);
}

// --max-minutes without timing: the clock is injected (30 s per reading), so a budget of 2 minutes runs out
// in step 4 — mid-epoch (3 steps per epoch). The run then ends as an epoch would: validation, the log line,
// checkpoint, model and loss.svg; resuming from it gives the losses of an uninterrupted run.
TEST(Trainer, TimeBudgetStopsAfterTheStepThatUsesItUp) {
  const auto data = copy_data(96, 1, 6), valid = copy_data(8, 2, 6);
  auto run = [&](const fs::path& dir, double max_minutes, bool resume) {
    Generator gen(3);
    models::Transformer model(tiny(0.1), gen);
    double t = 1000;  // any origin: the budget counts from the start of the call
    auto o = resume_options(dir, 8, resume, gen);
    o.max_minutes = max_minutes;
    o.clock = [&t] { return t += 30; };
    return train::train(model, data, valid, o);
  };
  const fs::path a = temp_dir("budget_a"), b = temp_dir("budget_b");
  const auto full = run(a, -1, false);
  EXPECT_FALSE(full.out_of_time);
  ASSERT_EQ(full.steps, 8);
  testing::internal::CaptureStderr();
  const auto cut = run(b, 2, false);
  const std::string log = testing::internal::GetCapturedStderr();
  EXPECT_TRUE(cut.out_of_time);
  EXPECT_EQ(cut.steps, 4);
  EXPECT_NE(log.find("stopped: time budget of 2 minutes reached at step 4"), std::string::npos) << log;
  // Epoch 1 (steps 1–3) validated at its end, and the stop in step 4 validated once more.
  ASSERT_EQ(cut.valid_losses.size(), 2u);
  EXPECT_TRUE(fs::exists(b / "checkpoint" / "trainer_state.json") && fs::exists(b / "loss.svg") &&
              fs::exists(b / "model.safetensors"));
  const auto resumed = run(b, -1, true);
  ASSERT_EQ(resumed.step_losses.size(), 8u);
  for (size_t i = 0; i < 8; ++i)
    EXPECT_NEAR(resumed.step_losses[i], full.step_losses[i], 1e-6) << "step " << i + 1;
  EXPECT_EQ(resumed.valid_losses.size(), full.valid_losses.size() + 1);  // + the one at the stop
  fs::remove_all(a);
  fs::remove_all(b);
}

// A budget of 0 minutes on the real clock: the first step always runs, and the loop stops right after it.
TEST(Trainer, ZeroTimeBudgetStopsAfterTheFirstStep) {
  const auto data = copy_data(32, 1, 6);
  Generator gen(3);
  models::Transformer model(tiny(0), gen);
  const fs::path d = temp_dir("budget0");
  testing::internal::CaptureStderr();
  const auto r = train::train(model, data, data,
                              {.epochs = 5,
                               .max_minutes = 0,
                               .batch_size = 8,
                               .label_smoothing = 0,
                               .out_dir = d.string(),
                               .progress = false});
  const std::string log = testing::internal::GetCapturedStderr();
  EXPECT_TRUE(r.out_of_time);
  EXPECT_EQ(r.steps, 1);
  EXPECT_EQ(r.valid_losses.size(), 1u);
  EXPECT_NE(log.find("stopped: time budget of 0 minutes reached at step 1"), std::string::npos) << log;
  EXPECT_TRUE(fs::exists(d / "checkpoint" / "model.safetensors") && fs::exists(d / "loss.svg"));
  EXPECT_NE(read_text(d / "loss.svg").find(">train<"), std::string::npos);  // no smoothing: plain "train"
  fs::remove_all(d);
}

// --cpu-minutes: the budget counts this process's CPU time. Sleeping does not use it, working does; a CPU
// budget of 0 stops after the first step with its own log line.
TEST(Trainer, CpuTimeBudgetCountsCpuNotSleep) {
  const double t0 = train::process_cpu_seconds();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const double slept = train::process_cpu_seconds() - t0;
  EXPECT_LT(slept, 0.1) << "300 ms asleep cost " << slept << " s of CPU";
  volatile double sink = 0;
  const double t1 = train::process_cpu_seconds();
  while (train::process_cpu_seconds() - t1 < 0.05) sink = sink + 1;  // ends only if CPU time advances
  EXPECT_GT(sink, 0);

  const auto data = copy_data(32, 1, 6);
  Generator gen(3);
  models::Transformer model(tiny(0), gen);
  testing::internal::CaptureStderr();
  const auto r =
      train::train(model, data, data,
                   {.epochs = 5, .max_minutes = 0, .cpu_budget = true, .batch_size = 8, .progress = false});
  const std::string log = testing::internal::GetCapturedStderr();
  EXPECT_TRUE(r.out_of_time);
  EXPECT_EQ(r.steps, 1);
  EXPECT_NE(log.find("stopped: CPU-time budget of 0 minutes reached at step 1"), std::string::npos) << log;
}

TEST(Trainer, BatchesAddBosAndEosAndPad) {
  std::vector<train::Example> d{{{7, 8, 9}, {10}}, {{7}, {11, 12}}};
  const auto b = train::make_batch(d, {0, 1}, tiny(0));
  EXPECT_EQ(to_vector<int64_t>(b.src), (std::vector<int64_t>{7, 8, 9, 7, 0, 0}));
  EXPECT_EQ(to_vector<int64_t>(b.tgt_in), (std::vector<int64_t>{5, 10, 0, 5, 11, 12}));
  EXPECT_EQ(to_vector<int64_t>(b.tgt_out), (std::vector<int64_t>{10, 6, 0, 11, 12, 6}));
  EXPECT_EQ(b.target_tokens, 5);
}

TEST(Trainer, EtaFormat) {
  EXPECT_EQ(train::ProgressBar::format_eta(12.2), "12s");
  EXPECT_EQ(train::ProgressBar::format_eta(185), "3m05s");
  EXPECT_EQ(train::ProgressBar::format_eta(3720), "1h02m");
}

// The first progress line of a bar of 1000 steps with the budget `left` seconds, after one step that took at
// least `step_ms`.
std::string budget_line(double left, const char* label, int step_ms) {
  std::FILE* f = std::tmpfile();
  if (f == nullptr) return "(no tmpfile)";
  train::ProgressBar bar(1000, 1, f);
  bar.set_budget([left] { return left; }, label);
  std::this_thread::sleep_for(std::chrono::milliseconds(step_ms));
  bar.update(1, 2.0, 100, 1e-3);
  std::rewind(f);
  char buf[512] = {};
  const size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  return std::string(buf, n);
}

// With a budget, each line says how much of it is left (the schedule's ETA can be days).
TEST(Trainer, ProgressLineShowsTheBudgetLeft) {
  const std::string line = budget_line(185.0, "CPU budget", 0);
  EXPECT_NE(line.find("| CPU budget 3m05s left"), std::string::npos) << line;
}

// With 999 steps to go at ≥ 10 ms a step, the steps would need ≥ 10 s; a 2-second budget ends the run first,
// and the ETA says so (not the 43 hours a 1000-epoch budgeted run used to show).
TEST(Trainer, EtaIsTheBudgetLeftWhenThatEndsTheRunFirst) {
  const std::string line = budget_line(2.0, "budget", 10);
  EXPECT_NE(line.find("| ETA 2s | budget 2s left"), std::string::npos) << line;
}

}  // namespace
}  // namespace attn
