// attn/embed/progress.h — the training progress line of Word2Vec and GloVe.
//
// On a terminal (stderr is a TTY) it redraws one line in place, at most 10 times a second:
//   skipgram [##########..........]  50.1%  words/s/thread 812.4k  lr 0.012463  ETA 0:00:12
// Elsewhere (a log file, CI) it prints a plain line at every 10 % instead. finish() prints the summary.
#pragma once

#include <chrono>
#include <string>

namespace attn::embed {

class Progress {
 public:
  // enabled = false silences everything (tests, library use).
  explicit Progress(std::string label, bool enabled = true);
  // fraction in [0, 1]; `stats` is appended after the percentage (e.g. "words/s/thread 812.4k  lr 0.0125").
  void update(double fraction, const std::string& stats);
  void finish(const std::string& summary);
  double elapsed_seconds() const;

 private:
  std::string label_;
  bool enabled_;
  bool tty_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  int last_decile_ = 0;
};

// "812.4k", "1.23M": a count per second in three significant figures.
std::string human_rate(double per_second);
// "1:02:03" for 3723 seconds.
std::string format_duration(double seconds);

}  // namespace attn::embed
