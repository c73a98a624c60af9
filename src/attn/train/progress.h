// attn/train/progress.h — one status line per update: step, loss, perplexity, tokens/s, lr and ETA.
// On a terminal it redraws one line (\r); otherwise (logs, CI) it prints a plain line every `every` steps.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>

namespace attn::train {

class ProgressBar {
 public:
  ProgressBar(int64_t total_steps, int64_t every = 10, std::FILE* out = stderr);
  // loss: mean token loss of the last step; tokens: target tokens processed in it. `metrics` (e.g.
  // "mlm acc 0.412 | nsp acc 0.770"), when given, is shown instead of the perplexity.
  void update(int64_t step, double loss, int64_t tokens, double lr, const std::string& metrics = {});
  // A time budget: each line then ends "| budget 12m03s left" (`label` "budget" or "CPU budget"): what
  // decides when a --max-minutes run stops, where the step-based ETA is that of the whole schedule.
  void set_budget(std::function<double()> seconds_left, std::string label = "budget");
  void message(const std::string& line);  // a full line (e.g. validation results), not overwritten
  void finish();
  static std::string format_eta(double seconds);  // "1h02m", "3m05s", "12s"

 private:
  int64_t total_, every_;
  std::FILE* out_;
  bool tty_;
  bool open_line_ = false;
  std::chrono::steady_clock::time_point start_;
  int64_t tokens_ = 0, first_step_ = -1;
  std::function<double()> budget_left_;
  std::string budget_label_;
};

}  // namespace attn::train
