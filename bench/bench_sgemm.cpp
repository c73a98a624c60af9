// bench_sgemm — single-precision matrix products: GFLOP/s and the fraction of this CPU's peak.
//
// Two measurements per shape and thread count (1, 2):
//   sgemm/…   kernels::matmul_blas into a preallocated C: OpenBLAS itself, the number compared with peak;
//   gemm/…    kernels::matmul_fast into a preallocated C: attn's own AVX-512 GEMM (kernels/cpu/gemm.h);
//   matmul/…  attn::matmul(a, b): the op users call (allocates C; attn's GEMM where the CPU has AVX-512,
//             OpenBLAS with ATTN_GEMM=blas), the number bench/sgemm_vs_torch.py compares with torch.matmul;
//   linear/…  attn::linear(x, W) with W (out, in) passed as CblasTrans, for the BERT shapes.
// Peak: the ISA is detected (AVX2+FMA, AVX-512F) and the core clock measured with a chain of dependent adds
// (1 cycle each); nominal peak = clock × 2 FMA pipes × lanes × 2 flops (lanes 8 for AVX2, 16 for AVX-512),
// and a measured FMA-throughput peak (independent FMAs in registers) is printed beside it. OpenBLAS runs the
// kernels OPENBLAS_CORETYPE selects (Haswell = AVX2 in this environment), so AVX2 peak is its ceiling.
//
//   build/<dir>/bench/bench_sgemm --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <immintrin.h>
#include <omp.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <string>
#include <vector>

#include "attn/core/threads.h"
#include "attn/kernels/cpu/gemm.h"
#include "attn/kernels/cpu/matmul.h"
#include "attn/ops/linear.h"
#include "attn/ops/matmul.h"
#include "attn/tensor/creation.h"

namespace {

struct GemmShape {
  const char* name;
  int64_t M, N, K;
};

const std::vector<GemmShape> kShapes = {
    {"square256", 256, 256, 256},
    {"square512", 512, 512, 512},
    {"square1024", 1024, 1024, 1024},
    {"square2048", 2048, 2048, 2048},
    {"bert_4096x384x1536", 4096, 1536, 384},  // FFN up:   (4096, 384)·(384, 1536)
    {"bert_4096x1536x384", 4096, 384, 1536},  // FFN down: (4096, 1536)·(1536, 384)
    {"bert_4096x384x384", 4096, 384, 384},    // Q/K/V/O:  (4096, 384)·(384, 384)
};

// CPU time of the calling thread: on a shared, loaded machine the wall clock also counts time-slices given to
// other processes, which would make the clock and FMA peaks look lower than the hardware's.
double thread_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

// Core clock in GHz: 4 dependent 1-cycle adds per iteration; the loop counter runs alongside.
double measure_ghz() {
  const uint64_t iters = 100'000'000;
  uint64_t x = 0;
  const double t0 = thread_seconds();
  for (uint64_t i = 0; i < iters; ++i)
    asm volatile("add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0" : "+r"(x));
  return 4.0 * double(iters) / (thread_seconds() - t0) / 1e9;
}

// Measured FMA throughput of one core in GFLOP/s: 12 independent accumulator chains (enough to cover
// 4-cycle latency × 2 pipes + slack), vector width W floats.
template <int W>
__attribute__((target("avx512f,avx2,fma"))) double fma_gflops_one_core() {
  const int64_t iters = 20'000'000;
  const double t0 = thread_seconds();
  float sink = 0;
  if constexpr (W == 8) {
    __m256 acc[12], m = _mm256_set1_ps(0.999999f), a = _mm256_set1_ps(1e-7f);
    for (auto& v : acc) v = _mm256_set1_ps(1.f);
    for (int64_t i = 0; i < iters; ++i)
      for (auto& v : acc) v = _mm256_fmadd_ps(v, m, a);
    for (auto& v : acc) sink += _mm256_cvtss_f32(v);
  } else {
    __m512 acc[12], m = _mm512_set1_ps(0.999999f), a = _mm512_set1_ps(1e-7f);
    for (auto& v : acc) v = _mm512_set1_ps(1.f);
    for (int64_t i = 0; i < iters; ++i)
      for (auto& v : acc) v = _mm512_fmadd_ps(v, m, a);
    for (auto& v : acc) sink += _mm512_cvtss_f32(v);
  }
  const double s = thread_seconds() - t0;
  benchmark::DoNotOptimize(sink);
  return 2.0 * W * 12 * double(iters) / s / 1e9;
}

// Same, on `threads` cores at once (sum of their rates).
template <int W>
double fma_gflops(int threads) {
  double total = 0;
#pragma omp parallel num_threads(threads) reduction(+ : total)
  total += fma_gflops_one_core<W>();
  return total;
}

struct Peak {
  bool avx2 = false, avx512 = false;
  double ghz = 0;
  std::map<int, double> measured_avx2, measured_avx512;  // threads → GFLOP/s
  double nominal_avx2(int t) const { return ghz * 2 * 8 * 2 * t; }
  double nominal_avx512(int t) const { return ghz * 2 * 16 * 2 * t; }
};

Peak& peak() {
  static Peak p;
  return p;
}

// FLOPS: per wall-clock second (the headline figure); flop: per iteration, for the CPU-time estimate below.
void set_flops(benchmark::State& state, const GemmShape& s) {
  const double flop = 2.0 * double(s.M) * double(s.N) * double(s.K);
  state.counters["FLOPS"] =
      benchmark::Counter(flop, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
  state.counters["flop"] = flop;
}

// A kernel that computes C = A·B into a preallocated C (matmul_blas or matmul_fast).
using GemmKernel = void (*)(attn::kernels::MatrixBatch<float>, attn::kernels::MatrixBatch<const float>,
                            attn::kernels::MatrixBatch<const float>, attn::kernels::GemmSize, bool);

void bm_kernel(benchmark::State& state, GemmShape s, int threads, GemmKernel kernel) {
  attn::set_num_threads(threads);
  attn::Generator g(1);
  const attn::Tensor a = attn::randn({s.M, s.K}, g), b = attn::randn({s.K, s.N}, g);
  attn::Tensor c = attn::zeros({s.M, s.N});
  const int64_t zero = 0;
  for (auto _ : state) {
    kernel({c.data<float>(), &zero, s.N, 1}, {a.data<float>(), &zero, s.K, 1},
           {b.data<float>(), &zero, s.N, 1}, {1, s.M, s.N, s.K}, false);
    benchmark::ClobberMemory();
  }
  set_flops(state, s);
}

void bm_matmul(benchmark::State& state, GemmShape s, int threads) {
  attn::set_num_threads(threads);
  attn::Generator g(1);
  const attn::Tensor a = attn::randn({s.M, s.K}, g), b = attn::randn({s.K, s.N}, g);
  for (auto _ : state) benchmark::DoNotOptimize(attn::matmul(a, b).data_ptr());
  set_flops(state, s);
}

void bm_linear(benchmark::State& state, GemmShape s, int threads) {
  attn::set_num_threads(threads);
  attn::Generator g(1);
  const attn::Tensor x = attn::randn({s.M, s.K}, g), w = attn::randn({s.N, s.K}, g);  // W: (out, in)
  for (auto _ : state) benchmark::DoNotOptimize(attn::linear(x, w).data_ptr());
  set_flops(state, s);
}

// Console output as usual, plus a closing table: median GFLOP/s and % of the peaks for every benchmark.
// Besides the wall-clock rate it prints a CPU-time estimate, flop / (process CPU seconds / threads): what
// the run would reach on `threads` cores of its own, when other processes take time-slices (an estimate: it
// assumes the threads ran side by side, and OpenMP's spin-waiting makes it pessimistic).
class PeakReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs) {
      const bool median = r.run_type == Run::RT_Aggregate && r.aggregate_name == "median";
      if ((median || r.run_type == Run::RT_Iteration) && r.counters.count("FLOPS")) {
        std::string name = r.run_name.str();
        name = name.substr(0, name.find("/process_time"));
        const int t = name.find("/t2") != std::string::npos ? 2 : 1;
        const double cpu_s = r.GetAdjustedCPUTime() / benchmark::GetTimeUnitMultiplier(r.time_unit);
        rows_[name] = {r.counters.at("FLOPS").value / 1e9, r.counters.at("flop").value / (cpu_s / t) / 1e9};
      }
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    const Peak& p = peak();
    std::printf(
        "\nsgemm summary (median GFLOP/s; %% of nominal AVX2-FMA peak = %.2f GHz × 32 flop/cycle × threads,"
        " and of nominal AVX-512 peak = × 64)\n",
        p.ghz);
    std::printf("%-40s %8s %7s %9s | %12s %7s %9s\n", "benchmark", "GFLOP/s", "%AVX2", "%AVX-512",
                "cpu-t GFLOP/s", "%AVX2", "%AVX-512");
    for (const auto& [name, gf] : rows_) {
      const int t = name.find("/t2") != std::string::npos ? 2 : 1;
      std::printf("%-40s %8.1f %6.1f%% %8.1f%% | %12.1f %6.1f%% %8.1f%%\n", name.c_str(), gf.first,
                  100 * gf.first / p.nominal_avx2(t), 100 * gf.first / p.nominal_avx512(t), gf.second,
                  100 * gf.second / p.nominal_avx2(t), 100 * gf.second / p.nominal_avx512(t));
    }
  }

 private:
  std::map<std::string, std::pair<double, double>> rows_;  // name → (wall GFLOP/s, CPU-time GFLOP/s)
};

}  // namespace

int main(int argc, char** argv) {
  Peak& p = peak();
  p.avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  p.avx512 = __builtin_cpu_supports("avx512f");
  p.ghz = measure_ghz();
  for (int t : {1, 2}) {
    if (p.avx2) p.measured_avx2[t] = fma_gflops<8>(t);
    if (p.avx512) p.measured_avx512[t] = fma_gflops<16>(t);
  }
  const char* core = std::getenv("OPENBLAS_CORETYPE");
  std::printf("CPU: AVX2+FMA %s, AVX-512F %s; measured clock %.2f GHz\n", p.avx2 ? "yes" : "no",
              p.avx512 ? "yes" : "no", p.ghz);
  for (int t : {1, 2}) {
    std::printf(
        "threads %d: nominal peak AVX2 %.1f GFLOP/s, AVX-512 %.1f GFLOP/s; measured FMA throughput "
        "AVX2 %.1f, AVX-512 %.1f GFLOP/s\n",
        t, p.nominal_avx2(t), p.nominal_avx512(t), p.measured_avx2[t], p.measured_avx512[t]);
  }
  std::printf("BLAS: %s; OPENBLAS_CORETYPE=%s\n", attn::blas_info().c_str(), core ? core : "(unset)");
  std::printf("attn GEMM: AVX-512 micro-kernel %s; attn::matmul uses %s\n",
              attn::kernels::gemm_fast_available() ? "available" : "not available (portable kernel)",
              attn::kernels::gemm_fast_enabled() ? "it" : "OpenBLAS (ATTN_GEMM=blas or no AVX-512)");

  for (const GemmShape& s : kShapes) {
    for (int t : {1, 2}) {
      const std::string suffix = std::string(s.name) + "/t" + std::to_string(t);
      benchmark::RegisterBenchmark(("sgemm/" + suffix).c_str(), bm_kernel, s, t,
                                   static_cast<GemmKernel>(attn::kernels::matmul_blas))
          ->UseRealTime()
          ->MeasureProcessCPUTime()
          ->Unit(benchmark::kMillisecond);
      benchmark::RegisterBenchmark(("gemm/" + suffix).c_str(), bm_kernel, s, t, attn::kernels::matmul_fast)
          ->UseRealTime()
          ->MeasureProcessCPUTime()
          ->Unit(benchmark::kMillisecond);
      benchmark::RegisterBenchmark(("matmul/" + suffix).c_str(), bm_matmul, s, t)
          ->UseRealTime()
          ->MeasureProcessCPUTime()
          ->Unit(benchmark::kMillisecond);
      if (std::string(s.name).starts_with("bert"))
        benchmark::RegisterBenchmark(("linear/" + suffix).c_str(), bm_linear, s, t)
            ->UseRealTime()
            ->MeasureProcessCPUTime()
            ->Unit(benchmark::kMillisecond);
    }
  }
  benchmark::Initialize(&argc, argv);
  PeakReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
