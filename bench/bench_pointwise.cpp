// bench_pointwise — memory-bound ops on BERT-like shapes, in GB/s (bytes read + written per call / time).
//
//   softmax/R/C/threads       attn::softmax(x, -1), x (R, C): attention rows are (B·H·T, T) = (8·12·128, 128)
//   log_softmax/R/C/threads   attn::log_softmax(x, -1)
//   layer_norm/R/C/threads    attn::layer_norm(x, {C}, w, b), x (B·T, hidden) = (32·128, 384) or (4096, 768)
//   gelu/R/C/threads          attn::gelu(x) (erf); gelu_tanh/…: GeluApprox::Tanh; (4096, 3072) = FFN inner
//   *_backward/R/C/threads    the backward kernels alone (kernels::softmax_backward, layer_norm_backward,
//                             gelu_backward) into a preallocated gradient
// Forward ops run under NoGradGuard and allocate their output, as torch.softmax etc. do, so the numbers
// are comparable with PyTorch's: bench/pointwise_vs_torch.py runs both and prints the ratios.
//
//   build/<dir>/bench/bench_pointwise --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <vector>

#include "attn/autograd/grad_mode.h"
#include "attn/core/threads.h"
#include "attn/kernels/cpu/activation.h"
#include "attn/kernels/cpu/layer_norm.h"
#include "attn/kernels/cpu/softmax.h"
#include "attn/ops/activation.h"
#include "attn/ops/norm.h"
#include "attn/ops/softmax.h"
#include "attn/tensor/creation.h"

namespace {

using attn::Tensor;

// Bytes per call: `passes` tensors of R×C floats read or written.
void set_bytes(benchmark::State& state, int64_t passes) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * passes * state.range(0) *
                          state.range(1) * static_cast<int64_t>(sizeof(float)));
}

// Runs `op` on an (R, C) standard-normal input with range(2) threads; 2 passes (read x, write y).
template <typename Op>
void run_forward(benchmark::State& state, Op op) {
  attn::set_num_threads(static_cast<int>(state.range(2)));
  attn::NoGradGuard no_grad;
  attn::Generator gen(1);
  const Tensor x = attn::randn({state.range(0), state.range(1)}, gen);
  for (auto _ : state) {
    Tensor y = op(x);
    benchmark::DoNotOptimize(y.data_ptr());
  }
  set_bytes(state, 2);
}

void BM_softmax(benchmark::State& state) {
  run_forward(state, [](const Tensor& x) { return attn::softmax(x, -1); });
}
void BM_log_softmax(benchmark::State& state) {
  run_forward(state, [](const Tensor& x) { return attn::log_softmax(x, -1); });
}
void BM_layer_norm(benchmark::State& state) {
  const int64_t C = state.range(1);
  const Tensor w = attn::ones({C}), b = attn::zeros({C});
  run_forward(state, [&](const Tensor& x) { return attn::layer_norm(x, {C}, w, b, 1e-12); });
}
void BM_gelu(benchmark::State& state) {
  run_forward(state, [](const Tensor& x) { return attn::gelu(x); });
}
void BM_gelu_tanh(benchmark::State& state) {
  run_forward(state, [](const Tensor& x) { return attn::gelu(x, attn::GeluApprox::Tanh); });
}

// Backward kernels on preallocated buffers: dx += f(dy, saved). Bytes: read dy and saved, read+write dx.
// Inputs and the gradient as attn tensors: 64-byte aligned storage, as every kernel call from an op gets
// (a std::vector's 16-byte alignment splits each 64-byte load over two cache lines and slowed these
// kernels by up to a quarter).
struct Buffers {
  Tensor ta, tb, tdx;
  float *a, *b, *dx;
  explicit Buffers(int64_t n)
      : ta(attn::full({n}, 0.5f)),
        tb(attn::full({n}, 0.25f)),
        tdx(attn::zeros({n})),
        a(ta.data<float>()),
        b(tb.data<float>()),
        dx(tdx.data<float>()) {}
};

void BM_softmax_backward(benchmark::State& state) {
  attn::set_num_threads(static_cast<int>(state.range(2)));
  const int64_t R = state.range(0), C = state.range(1);
  Buffers buf(R * C);
  for (auto _ : state) attn::kernels::softmax_backward_fast(buf.dx, buf.a, buf.b, R, C, 1);
  set_bytes(state, 4);
}

void BM_layer_norm_backward(benchmark::State& state) {
  attn::set_num_threads(static_cast<int>(state.range(2)));
  const int64_t R = state.range(0), C = state.range(1);
  Buffers buf(R * C);
  std::vector<float> w(C, 1.f), dw(C), db(C), mean(R, 0.1f), rstd(R, 1.f);
  for (auto _ : state) {
    attn::kernels::layer_norm_backward_fast(buf.dx, dw.data(), db.data(), buf.a, buf.b, w.data(), mean.data(),
                                            rstd.data(), R, C);
  }
  set_bytes(state, 4);
}

void BM_gelu_backward(benchmark::State& state) {
  attn::set_num_threads(static_cast<int>(state.range(2)));
  const int64_t R = state.range(0), C = state.range(1);
  Buffers buf(R * C);
  for (auto _ : state) attn::kernels::gelu_backward_fast(buf.dx, buf.a, buf.b, R * C, false);
  set_bytes(state, 4);
}

// (R, C) shapes × threads 1, 2.
void shapes(benchmark::internal::Benchmark* b, std::initializer_list<std::pair<int64_t, int64_t>> rc) {
  b->ArgNames({"R", "C", "threads"})->Unit(benchmark::kMicrosecond)->UseRealTime();
  for (int threads : {1, 2})
    for (auto [r, c] : rc) b->Args({r, c, threads});
}

}  // namespace

BENCHMARK(BM_softmax)->Apply([](auto* b) { shapes(b, {{8 * 12 * 128, 128}, {32 * 128, 384}}); });
BENCHMARK(BM_log_softmax)->Apply([](auto* b) { shapes(b, {{32 * 128, 384}}); });
BENCHMARK(BM_layer_norm)->Apply([](auto* b) { shapes(b, {{32 * 128, 384}, {4096, 768}}); });
BENCHMARK(BM_gelu)->Apply([](auto* b) { shapes(b, {{4096, 768}, {4096, 3072}}); });
BENCHMARK(BM_gelu_tanh)->Apply([](auto* b) { shapes(b, {{4096, 768}}); });
BENCHMARK(BM_softmax_backward)->Apply([](auto* b) { shapes(b, {{8 * 12 * 128, 128}}); });
BENCHMARK(BM_layer_norm_backward)->Apply([](auto* b) { shapes(b, {{4096, 768}}); });
BENCHMARK(BM_gelu_backward)->Apply([](auto* b) { shapes(b, {{4096, 768}}); });

BENCHMARK_MAIN();
