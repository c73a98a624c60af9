// train::ProgressBar — \r-redrawn on a TTY, plain lines otherwise.
#include "attn/train/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

namespace attn::train {

ProgressBar::ProgressBar(int64_t total, int64_t every, std::FILE* out)
    : total_(total),
      every_(every > 0 ? every : 1),
      out_(out),
      tty_(isatty(fileno(out)) != 0),
      start_(std::chrono::steady_clock::now()) {}

std::string ProgressBar::format_eta(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  const auto t = static_cast<int64_t>(s + 0.5);
  if (t >= 3600) return fmt::format("{}h{:02d}m", t / 3600, (t % 3600) / 60);
  if (t >= 60) return fmt::format("{}m{:02d}s", t / 60, t % 60);
  return fmt::format("{}s", t);
}

void ProgressBar::set_budget(std::function<double()> seconds_left, std::string label) {
  budget_left_ = std::move(seconds_left);
  budget_label_ = std::move(label);
}

void ProgressBar::update(int64_t step, double loss, int64_t tokens, double lr, const std::string& metrics) {
  if (first_step_ < 0) first_step_ = step - 1;
  tokens_ += tokens;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double done = static_cast<double>(step - first_step_);
  double eta = total_ > 0 && done > 0 ? elapsed / done * static_cast<double>(total_ - step) : NAN;
  // A budget that runs out first ends the run first: the ETA is then what is left of it.
  if (budget_left_) eta = std::isfinite(eta) ? std::min(eta, std::max(0.0, budget_left_())) : eta;
  const std::string line =
      fmt::format("step {}{} | loss {:.4f} | {} | {:.0f} tok/s | lr {:.3e} | ETA {}", step,
                  total_ > 0 ? fmt::format("/{}", total_) : "", loss,
                  metrics.empty() ? fmt::format("ppl {:.2f}", std::exp(std::min(loss, 50.0))) : metrics,
                  elapsed > 0 ? static_cast<double>(tokens_) / elapsed : 0.0, lr, format_eta(eta)) +
      (budget_left_ ? fmt::format(" | {} {} left", budget_label_, format_eta(std::max(0.0, budget_left_())))
                    : std::string());
  if (tty_) {
    fmt::print(out_, "\r{:<100}", line);
    open_line_ = true;
  } else if (step % every_ == 0 || step == total_) {
    fmt::print(out_, "{}\n", line);
  }
  std::fflush(out_);
}

void ProgressBar::message(const std::string& line) {
  if (open_line_) fmt::print(out_, "\n");
  open_line_ = false;
  fmt::print(out_, "{}\n", line);
  std::fflush(out_);
}

void ProgressBar::finish() {
  if (open_line_) fmt::print(out_, "\n");
  open_line_ = false;
}

}  // namespace attn::train
