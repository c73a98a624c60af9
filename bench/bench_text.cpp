// bench/bench_text.cpp — tokens per second of attn's tokenizer on a corpus file (one text per line), with
// encode_batch on 1 thread and on N threads; bench/text_bench.py runs HF tokenizers on the same file and
// prints the ratio. Truncation and padding are off on both sides.
//
//   build/release/bench/bench_text models/all-MiniLM-L6-v2/tokenizer.json corpus.txt [threads] [repeats]
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "attn/core/threads.h"
#include "attn/text/tokenizer.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s tokenizer.json corpus.txt [threads] [repeats]\n", argv[0]);
    return 2;
  }
  const int threads = argc > 3 ? std::stoi(argv[3]) : attn::get_num_threads();
  const int repeats = argc > 4 ? std::stoi(argv[4]) : 3;
  std::ifstream in(argv[2], std::ios::binary);
  std::vector<std::string> lines;
  size_t bytes = 0;
  for (std::string line; std::getline(in, line);) bytes += line.size() + 1, lines.push_back(std::move(line));
  attn::text::Tokenizer tok = attn::text::Tokenizer::from_file(argv[1]);
  tok.set_truncation(std::nullopt);
  tok.set_padding(std::nullopt);
  for (int t : {1, threads}) {
    attn::set_num_threads(t);
    double best = 1e30;
    size_t tokens = 0;
    for (int r = 0; r < repeats; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      const auto enc = tok.encode_batch(lines);
      best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      tokens = 0;
      for (const auto& e : enc) tokens += e.size();
    }
    std::printf(
        "attn threads=%d lines=%zu bytes=%zu tokens=%zu seconds=%.3f tokens_per_s=%.0f MB_per_s=%.1f\n", t,
        lines.size(), bytes, tokens, best, tokens / best, bytes / best / 1e6);
    if (threads == 1) break;
  }
  return 0;
}
