#include "attn/embed/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace attn::embed {

Progress::Progress(std::string label, bool enabled)
    : label_(std::move(label)),
      enabled_(enabled),
      tty_(isatty(fileno(stderr)) != 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

double Progress::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

std::string human_rate(double x) {
  if (x >= 1e6) return fmt::format("{:.2f}M", x / 1e6);
  if (x >= 1e3) return fmt::format("{:.1f}k", x / 1e3);
  return fmt::format("{:.0f}", x);
}

std::string format_duration(double seconds) {
  const auto s = static_cast<long>(std::max(0.0, seconds) + 0.5);
  return fmt::format("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60);
}

void Progress::update(double fraction, const std::string& stats) {
  if (!enabled_) return;
  fraction = std::clamp(fraction, 0.0, 1.0);
  const double elapsed = elapsed_seconds();
  const double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
  if (tty_) {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    constexpr int kWidth = 20;
    const int filled = static_cast<int>(fraction * kWidth);
    std::string bar(filled, '#');
    bar.append(kWidth - filled, '.');
    std::fprintf(stderr, "\r%s [%s] %5.1f%%  %s  ETA %s \033[K", label_.c_str(), bar.c_str(), 100 * fraction,
                 stats.c_str(), format_duration(eta).c_str());
    std::fflush(stderr);
    return;
  }
  const int decile = static_cast<int>(fraction * 10);
  if (decile <= last_decile_) return;
  last_decile_ = decile;
  std::fprintf(stderr, "%s: %5.1f%%  %s  elapsed %s  ETA %s\n", label_.c_str(), 100 * fraction, stats.c_str(),
               format_duration(elapsed).c_str(), format_duration(eta).c_str());
}

void Progress::finish(const std::string& summary) {
  if (!enabled_) return;
  if (tty_) std::fputs("\r\033[K", stderr);
  std::fprintf(stderr, "%s: %s\n", label_.c_str(), summary.c_str());
}

}  // namespace attn::embed
