// train::train — the loop of trainer.h: batches → loss → backward → clip → Adam → schedule → checkpoint.
#include "attn/train/trainer.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>

#include "attn/io/safetensors.h"
#include "attn/ops.h"
#include "attn/optim/optim.h"
#include "attn/text/batch.h"
#include "attn/train/progress.h"
#include "attn/viz/line_plot.h"

namespace attn::train {

namespace fs = std::filesystem;

Seq2SeqBatch make_batch(const std::vector<Example>& data, const std::vector<size_t>& indices,
                        const models::TransformerConfig& c) {
  return make_batch(data, indices, SpecialIds{c.pad_id, c.bos_id, c.eos_id});
}

Seq2SeqBatch make_batch(const std::vector<Example>& data, const std::vector<size_t>& indices,
                        const SpecialIds& c) {
  const auto B = static_cast<int64_t>(indices.size());
  size_t S = 1, T = 1;
  for (size_t i : indices) S = std::max(S, data[i].src.size()), T = std::max(T, data[i].tgt.size() + 1);
  std::vector<int64_t> src(B * S, c.pad_id), tin(B * T, c.pad_id), tout(B * T, c.pad_id);
  Seq2SeqBatch b;
  for (int64_t r = 0; r < B; ++r) {
    const Example& e = data[indices[r]];
    std::copy(e.src.begin(), e.src.end(), src.begin() + r * S);
    tin[r * T] = c.bos_id;  // [BOS] y₁ … y_n  →  y₁ … y_n [EOS]
    for (size_t t = 0; t < e.tgt.size(); ++t) tin[r * T + t + 1] = tout[r * T + t] = e.tgt[t];
    tout[r * T + e.tgt.size()] = c.eos_id;
    b.target_tokens += static_cast<int64_t>(e.tgt.size()) + 1;
  }
  b.src = from_vector(src, {B, static_cast<int64_t>(S)});
  b.tgt_in = from_vector(tin, {B, static_cast<int64_t>(T)});
  b.tgt_out = from_vector(tout, {B, static_cast<int64_t>(T)});
  return b;
}

double process_cpu_seconds() {
  timespec ts{};
  ATTN_CHECK(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) == 0,
             "clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

double evaluate_loss(Seq2SeqModel& model, const std::vector<Example>& data, size_t batch_size) {
  nn::Module& m = model.module();
  const bool was_training = m.is_training();
  m.eval();
  NoGradGuard no_grad;
  double total = 0;
  int64_t tokens = 0;
  for (size_t start = 0; start < data.size(); start += batch_size) {
    std::vector<size_t> idx;
    for (size_t i = start; i < std::min(data.size(), start + batch_size); ++i) idx.push_back(i);
    const auto b = make_batch(data, idx, model.ids());
    // The mean over the batch's non-[PAD] targets, back to a sum.
    total += model.loss(b, 0.0).item<double>() * static_cast<double>(b.target_tokens);
    tokens += b.target_tokens;
  }
  m.train(was_training);
  return tokens > 0 ? total / static_cast<double>(tokens) : NAN;
}

double evaluate_loss(models::Transformer& model, const std::vector<Example>& data, size_t batch_size) {
  TransformerModel m(model);
  return evaluate_loss(m, data, batch_size);
}

namespace {

void save_weights(const nn::Module& module, const nlohmann::json& config, const std::string& dir) {
  fs::create_directories(dir);
  io::save_safetensors(dir + "/model.safetensors", module.state_dict(), {{"format", "pt"}});
  const std::string tmp = dir + "/config.json.tmp";
  std::ofstream(tmp) << config.dump(2) << "\n";
  fs::rename(tmp, dir + "/config.json");
}

nlohmann::json read_config(const std::string& dir) {
  std::ifstream in(dir + "/config.json");
  ATTN_CHECK(in.good(), "load_model: cannot read {}/config.json", dir);
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw_error(ErrorKind::Format, "load_model: {}/config.json is not valid JSON: {}", dir, e.what());
  }
}

}  // namespace

void save_model(Seq2SeqModel& model, const std::string& dir) {
  nlohmann::json j;
  model.config_json(j);
  save_weights(model.module(), j, dir);
}

void save_model(const models::Transformer& model, const std::string& dir) {
  nlohmann::json j;
  model.config.to_json(j);
  save_weights(model, j, dir);
}

std::string model_type(const std::string& dir) {
  const auto j = read_config(dir);
  return j.contains("model_type") ? j.at("model_type").get<std::string>() : "transformer";
}

std::unique_ptr<models::Transformer> load_model(const std::string& dir) {
  const auto config = models::TransformerConfig::from_json(read_config(dir));
  auto model = std::make_unique<models::Transformer>(config);
  model->load_state_dict(io::load_safetensors(dir + "/model.safetensors"));
  model->eval();
  return model;
}

std::unique_ptr<models::Seq2Seq> load_seq2seq(const std::string& dir) {
  const auto config = models::Seq2SeqConfig::from_json(read_config(dir));
  auto model = std::make_unique<models::Seq2Seq>(config);
  model->load_state_dict(io::load_safetensors(dir + "/model.safetensors"));
  model->eval();
  return model;
}

namespace {

struct Progress {
  int64_t step = 0, epoch = 0, batch = 0;  // optimizer steps done; the next batch to run
  std::vector<double> step_losses, valid_losses;
  std::vector<int64_t> valid_steps;  // the step after which each validation ran (its x in loss.svg)
};

// checkpoint/ = model.safetensors, optimizer.safetensors, config.json, trainer_state.json — written into
// checkpoint.tmp/ and swapped in by two renames, so a crash leaves either the old or the new one whole.
void save_checkpoint(const std::string& out, Seq2SeqModel& model, const optim::Optimizer& opt,
                     const Progress& p) {
  const std::string tmp = out + "/checkpoint.tmp", dst = out + "/checkpoint", old = out + "/checkpoint.old";
  fs::remove_all(tmp);
  save_model(model, tmp);
  io::save_safetensors(tmp + "/optimizer.safetensors", opt.state_dict());
  nlohmann::json s = {{"step", p.step},
                      {"epoch", p.epoch},
                      {"batch", p.batch},
                      {"step_losses", p.step_losses},
                      {"valid_losses", p.valid_losses},
                      {"valid_steps", p.valid_steps}};
  std::ofstream(tmp + "/trainer_state.json") << s.dump(1) << "\n";
  fs::remove_all(old);
  if (fs::exists(dst)) fs::rename(dst, old);
  fs::rename(tmp, dst);
  fs::remove_all(old);
}

Progress load_checkpoint(const std::string& out, Seq2SeqModel& model, optim::Optimizer& opt) {
  const std::string dir = out + "/checkpoint";
  ATTN_CHECK(fs::exists(dir + "/trainer_state.json"), "train: --resume but no checkpoint in {}", dir);
  model.module().load_state_dict(io::load_safetensors(dir + "/model.safetensors"));
  opt.load_state_dict(io::load_safetensors(dir + "/optimizer.safetensors"));
  std::ifstream in(dir + "/trainer_state.json");
  const auto s = nlohmann::json::parse(in);
  Progress p;
  p.step = s.at("step"), p.epoch = s.at("epoch"), p.batch = s.at("batch");
  p.step_losses = s.at("step_losses").get<std::vector<double>>();
  p.valid_losses = s.at("valid_losses").get<std::vector<double>>();
  // Checkpoints from before valid_steps existed validated at epoch ends only; train() fills those in.
  if (s.contains("valid_steps")) p.valid_steps = s.at("valid_steps").get<std::vector<int64_t>>();
  return p;
}

void write_loss_curve(const std::string& path, const std::string& name, const Progress& p, double smoothing) {
  viz::Series tr{smoothing > 0 ? fmt::format("train (label smoothing {:g})", smoothing) : "train", {}, {}};
  for (size_t i = 0; i < p.step_losses.size(); ++i) {
    tr.x.push_back(static_cast<double>(i + 1));
    tr.y.push_back(p.step_losses[i]);
  }
  viz::Series va{"validation", {}, {}, true};
  for (size_t e = 0; e < p.valid_losses.size(); ++e) {
    va.x.push_back(static_cast<double>(p.valid_steps[e]));
    va.y.push_back(p.valid_losses[e]);
  }
  std::vector<viz::Series> series{tr};
  if (!va.x.empty()) series.push_back(va);
  viz::line_plot(series, {.title = name + " training loss", .x_label = "step", .y_label = "loss per token"})
      .save(path);
}

}  // namespace

namespace {

// Adam and the lr: the Noam schedule steps after every optimizer step; Constant and Decay set it per epoch.
struct Optimization {
  Optimization(Seq2SeqModel& model, const TrainOptions& o)
      : o_(o),
        opt(model.module().parameters(),
            // "We used the Adam optimizer with β₁ = 0.9, β₂ = 0.98 and ε = 10⁻⁹" (§5.3); else torch's
            // defaults.
            o.schedule == LrSchedule::Noam ? optim::AdamOptions{.lr = 1.0, .betas = {0.9, 0.98}, .eps = 1e-9}
                                           : optim::AdamOptions{.lr = o.lr}) {}
  void start_epoch(int64_t epoch) {
    if (o_.schedule == LrSchedule::Noam) return;
    const int64_t k = o_.schedule == LrSchedule::Decay ? std::max<int64_t>(0, epoch + 2 - o_.decay_from) : 0;
    opt.set_lr(o_.lr * std::pow(o_.lr_decay, static_cast<double>(k)));
  }
  void after_step() {
    if (noam) noam->step();
  }
  const TrainOptions& o_;
  optim::Adam opt;
  std::optional<optim::LRScheduler> noam;
};

}  // namespace

TrainResult train(Seq2SeqModel& model, const std::vector<Example>& train_data,
                  const std::vector<Example>& valid_data, const TrainOptions& o) {
  ATTN_CHECK(!train_data.empty(), "train: no training examples");
  ATTN_CHECK(o.accumulate >= 1, "train: accumulate must be >= 1, got {}", o.accumulate);
  std::vector<size_t> src_len, tgt_len;
  for (const auto& e : train_data) src_len.push_back(e.src.size()), tgt_len.push_back(e.tgt.size() + 1);
  const text::Batcher batcher(
      src_len, tgt_len,
      {.batch_size = o.batch_size, .max_tokens = o.max_tokens, .shuffle = true, .seed = o.seed});
  Optimization optz(model, o);
  optim::Adam& opt = optz.opt;
  Progress p;
  if (o.resume) p = load_checkpoint(o.out_dir, model, opt);
  if (o.schedule == LrSchedule::Noam) {
    opt.set_lr(1.0);  // the schedule's base lr (a restored optimizer carries the last scheduled lr instead)
    optz.noam.emplace(optim::noam_schedule(opt, model.d_model(), o.warmup, o.lr_factor));
    for (int64_t s = 0; s < p.step; ++s) optz.noam->step();
  }

  const auto steps_per_epoch =
      static_cast<int64_t>((batcher.epoch(0).size() + o.accumulate - 1) / o.accumulate);
  const int64_t total = o.max_steps > 0 ? o.max_steps : o.epochs * steps_per_epoch;
  for (auto e = static_cast<int64_t>(p.valid_steps.size()); e < static_cast<int64_t>(p.valid_losses.size());
       ++e)
    p.valid_steps.push_back((e + 1) * steps_per_epoch);
  const std::function<double()> now =
      o.clock ? o.clock
      : o.cpu_budget
          ? std::function<double()>(process_cpu_seconds)
          : [] {
              return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
                  .count();
            };
  const double start = now();
  bool out_of_time = false;
  ProgressBar bar(o.progress ? total : 0, o.log_every, stderr);
  if (o.max_minutes >= 0)
    bar.set_budget([&] { return o.max_minutes * 60 - (now() - start); },
                   o.cpu_budget ? "CPU budget" : "budget");
  model.module().train();
  bool stop = o.max_steps > 0 && p.step >= o.max_steps;
  for (; p.epoch < o.epochs && !stop; ++p.epoch, p.batch = 0) {
    const auto batches = batcher.epoch(static_cast<uint64_t>(p.epoch));
    optz.start_epoch(p.epoch);
    while (p.batch < static_cast<int64_t>(batches.size()) && !stop) {
      o.dropout_generator->manual_seed(o.seed * 1000003u + static_cast<uint64_t>(p.step) + 1);
      double loss_sum = 0;
      int64_t tokens = 0, n = 0;
      for (; n < o.accumulate && p.batch < static_cast<int64_t>(batches.size()); ++n, ++p.batch) {
        const auto b = make_batch(train_data, batches[p.batch], model.ids());
        Tensor loss = model.loss(b, o.label_smoothing);
        div(loss, static_cast<double>(o.accumulate)).backward();  // gradients add up over the accumulation
        loss_sum += loss.item<double>();
        tokens += b.target_tokens;
      }
      if (o.clip_norm > 0) optim::clip_grad_norm_(opt.params(), o.clip_norm);
      const double lr = opt.lr();
      opt.step();
      optz.after_step();
      opt.zero_grad();
      ++p.step;
      p.step_losses.push_back(loss_sum / static_cast<double>(n));
      if (o.progress) bar.update(p.step, p.step_losses.back(), tokens, lr);
      stop = o.max_steps > 0 && p.step >= o.max_steps;
      if (!stop && o.max_minutes >= 0 && now() - start >= o.max_minutes * 60) stop = out_of_time = true;
      if (!o.out_dir.empty() && o.checkpoint_every > 0 && p.step % o.checkpoint_every == 0 && !stop)
        save_checkpoint(o.out_dir, model, opt, p);
    }
    const bool epoch_done = p.batch >= static_cast<int64_t>(batches.size());
    if ((epoch_done || out_of_time) && !valid_data.empty()) {
      p.valid_losses.push_back(evaluate_loss(model, valid_data));
      p.valid_steps.push_back(p.step);
      const std::string part =
          epoch_done ? "" : fmt::format(" (batch {}/{})", p.batch, static_cast<int64_t>(batches.size()));
      if (o.progress)
        bar.message(fmt::format("epoch {}{} | valid loss {:.4f} | valid ppl {:.2f}", p.epoch + 1, part,
                                p.valid_losses.back(), std::exp(p.valid_losses.back())));
    }
    if (out_of_time)
      bar.message(fmt::format("stopped: {}time budget of {} minutes reached at step {}",
                              o.cpu_budget ? "CPU-" : "", o.max_minutes, p.step));
    if (stop && p.batch < static_cast<int64_t>(batches.size())) break;  // keep epoch/batch for resume
  }
  if (o.progress) bar.finish();
  if (!o.out_dir.empty()) {
    save_checkpoint(o.out_dir, model, opt, p);
    save_model(model, o.out_dir);
    write_loss_curve(o.out_dir + "/loss.svg", model.name(), p, o.label_smoothing);
  }
  return {p.step_losses, p.valid_losses, p.step, out_of_time};
}

TrainResult train(models::Transformer& model, const std::vector<Example>& train_data,
                  const std::vector<Example>& valid_data, const TrainOptions& o) {
  TransformerModel m(model);
  return train(m, train_data, valid_data, o);
}

}  // namespace attn::train
