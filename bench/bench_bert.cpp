// bench_bert — all-MiniLM-L6-v2 sentence-embedding throughput (sentences/s) in attn, at the shapes of
// issue 6: batch 1 × 16 tokens, 32 × 128 and 64 × 256, on 1 and 2 threads. Two paths:
//   forward/B/T/tN  BertModel::forward on a (B, T) batch, as HF is given it (inside: chunks of whole
//                   sequences, spread over the threads)
//   encode/B/T/tN   SentenceEncoder::encode of B texts of T tokens (each text alone, texts spread over the
//                   threads: the batch-independent path `attn embed` uses), pooling and normalisation
//                   included
// Time is wall-clock (real_time) and process CPU time (cpu_time, all threads): on a shared machine
// B / (cpu_time / threads) estimates the rate with the machine to itself (bert_vs_torch.py prints both).
// The peer figures come from bench/bert_vs_torch.py, which runs this binary and HF transformers side by side.
//   build/<dir>/bench/bench_bert --benchmark_out=/tmp/bert.json --benchmark_out_format=json
// The model directory is ATTN_BERT_MODEL or models/all-MiniLM-L6-v2 (run from the repository root).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "attn/autograd/grad_mode.h"
#include "attn/core/threads.h"
#include "attn/models/sentence_encoder.h"
#include "attn/tensor/creation.h"

namespace {

std::string model_dir() {
  const char* env = std::getenv("ATTN_BERT_MODEL");
  return env ? env : "models/all-MiniLM-L6-v2";
}

const attn::models::SentenceEncoder& encoder() {
  static const auto enc = attn::models::SentenceEncoder::from_pretrained(model_dir());
  return enc;
}

// A text of exactly T tokens with [CLS] and [SEP]: T − 2 common one-token words.
std::string text_of(int64_t T, int64_t seed) {
  static const char* words[] = {"the", "film", "is", "a", "good", "story", "about", "people", "and", "time"};
  std::string s;
  for (int64_t i = 0; i < T - 2; ++i) s += std::string(i ? " " : "") + words[(i * 7 + seed) % 10];
  return s;
}

void BM_forward(benchmark::State& state) {
  const int64_t B = state.range(0), T = state.range(1);
  attn::set_num_threads(static_cast<int>(state.range(2)));
  auto& bert = const_cast<attn::models::BertModel&>(encoder().model());
  attn::Generator gen(0);
  const attn::Tensor ids = attn::randint(1000, 30000, {B, T}, gen);
  attn::NoGradGuard no_grad;
  for (auto _ : state) benchmark::DoNotOptimize(bert.forward(ids).last_hidden_state);
  state.counters["sentences/s"] =
      benchmark::Counter(static_cast<double>(B), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_encode(benchmark::State& state) {
  const int64_t B = state.range(0), T = state.range(1);
  attn::set_num_threads(static_cast<int>(state.range(2)));
  std::vector<std::string> texts;
  for (int64_t b = 0; b < B; ++b) texts.push_back(text_of(T, b));
  for (auto _ : state) benchmark::DoNotOptimize(encoder().encode(texts).embeddings);
  state.counters["sentences/s"] =
      benchmark::Counter(static_cast<double>(B), benchmark::Counter::kIsIterationInvariantRate);
}

void shapes(benchmark::internal::Benchmark* b) {
  for (int64_t t : {1, 2})
    for (auto [B, T] : {std::pair<int64_t, int64_t>{1, 16}, {32, 128}, {64, 256}}) b->Args({B, T, t});
  b->ArgNames({"B", "T", "t"})
      ->UseRealTime()
      ->MeasureProcessCPUTime()
      ->Unit(benchmark::kMillisecond)
      ->MinTime(1.0);
}

}  // namespace

BENCHMARK(BM_forward)->Apply(shapes);
BENCHMARK(BM_encode)->Apply(shapes);
BENCHMARK_MAIN();
