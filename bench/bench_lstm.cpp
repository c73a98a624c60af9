// bench_lstm — nn::LSTM forward + backward throughput (tokens/s = B·T per iteration) in attn, the issue's
// RNN benchmark: one layer, input = hidden = 256, batch 32 × 50 steps, and 2 layers 512 × 512, batch 64 ×
// 30, on 1 and 2 threads. One iteration: out, h_n, c_n = lstm(x); L = Σ out ⊙ g; L.backward() (gradients of
// every weight and of x). Time is wall-clock (real_time) and process CPU time (cpu_time, all threads:
// MeasureProcessCPUTime); the PyTorch peer is bench/lstm_vs_torch.py, which reads this JSON and prints the
// ratio.
//   build/<dir>/bench/bench_lstm --benchmark_out=/tmp/lstm.json --benchmark_out_format=json
//   .venv/bin/python bench/lstm_vs_torch.py /tmp/lstm.json
#include <benchmark/benchmark.h>

#include "attn/core/threads.h"
#include "attn/nn/rnn.h"
#include "attn/ops.h"

namespace {

// args: B, T, hidden (= input), layers, threads
void BM_lstm_fwd_bwd(benchmark::State& state) {
  const int64_t B = state.range(0), T = state.range(1), H = state.range(2), L = state.range(3);
  attn::set_num_threads(static_cast<int>(state.range(4)));
  attn::Generator gen(0);
  attn::nn::LSTM lstm(H, H, {.num_layers = L}, gen);
  attn::Tensor x = attn::randn({T, B, H}, gen);
  x.requires_grad_(true);
  const attn::Tensor g = attn::randn({T, B, H}, gen);
  for (auto _ : state) {
    lstm.zero_grad();
    x.zero_grad();
    const attn::nn::RNNOutput r = lstm.forward(x);
    attn::sum(attn::mul(r.output, g)).backward();
    benchmark::DoNotOptimize(x.grad());
  }
  state.counters["tokens/s"] =
      benchmark::Counter(static_cast<double>(B * T), benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

BENCHMARK(BM_lstm_fwd_bwd)
    ->ArgNames({"B", "T", "H", "L", "t"})
    ->Args({32, 50, 256, 1, 1})
    ->Args({32, 50, 256, 1, 2})
    ->Args({64, 30, 512, 2, 1})
    ->Args({64, 30, 512, 2, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime()  // cpu_time of all threads (default: the main thread's only)
    ->MinTime(1.0);

BENCHMARK_MAIN();
