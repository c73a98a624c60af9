// attn selftest — a short numeric check that every fast kernel agrees with its plain reference on this
// machine (BLAS sgemm, softmax, layer_norm, gelu) and that autograd reproduces a known gradient, plus a
// report of the BLAS library and threads in use. Exit status 1 if any check fails. Takes well under a second.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "attn/core/rng.h"
#include "attn/core/threads.h"
#include "attn/core/version.h"
#include "attn/kernels/cpu/activation.h"
#include "attn/kernels/cpu/gemm.h"
#include "attn/kernels/cpu/layer_norm.h"
#include "attn/kernels/cpu/matmul.h"
#include "attn/kernels/cpu/softmax.h"
#include "attn/ops.h"
#include "commands.h"

namespace attn::cli {

namespace {
std::vector<float> random_vector(size_t n, Generator& g) {
  std::vector<float> v(n);
  for (float& x : v) x = static_cast<float>(g.normal());
  return v;
}

// max |a − b| / max(|b|, 1) over all elements.
double max_rel_err(const std::vector<float>& a, const std::vector<float>& b) {
  double worst = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    worst = std::max(worst, std::fabs(double(a[i]) - b[i]) / std::max(std::fabs(double(b[i])), 1.0));
  }
  return worst;
}

struct Check {
  std::string name;
  double tolerance;
  std::function<double(Generator&)> run;  // returns the measured error
};

// A float GEMM kernel under test (matmul_blas or matmul_fast) against matmul_reference on C (M×N) = Aᵀ·B,
// A stored (K×M): the transposed operand is the path BLAS takes as CblasTrans and attn's GEMM packs as is.
using GemmKernel = void (*)(kernels::MatrixBatch<float>, kernels::MatrixBatch<const float>,
                            kernels::MatrixBatch<const float>, kernels::GemmSize, bool);
// With `weight`, B is stored (N×K) as a linear layer's weight and read as its transpose (matmul_thin's case).
double check_gemm(Generator& g, GemmKernel kernel, int64_t M, int64_t N, int64_t K, bool weight = false) {
  const int64_t zero = 0;
  const auto a = random_vector(K * M, g), b = random_vector(K * N, g);
  std::vector<float> fast(M * N), ref(M * N);
  const kernels::GemmSize s{1, M, N, K};
  const kernels::MatrixBatch<const float> A{a.data(), &zero, 1, M},
      B{b.data(), &zero, weight ? 1 : N, weight ? K : 1};
  kernel({fast.data(), &zero, N, 1}, A, B, s, false);
  kernels::matmul_reference<float>({ref.data(), &zero, N, 1}, A, B, s, false);
  return max_rel_err(fast, ref);
}

double check_softmax(Generator& g) {
  const int64_t rows = 37, C = 1000;
  const auto x = random_vector(rows * C, g);
  std::vector<float> fast(x.size()), ref(x.size());
  kernels::softmax_forward_fast(fast.data(), x.data(), rows, C, 1);
  kernels::softmax_forward_reference<float>(ref.data(), x.data(), rows, C, 1);
  return max_rel_err(fast, ref);
}

double check_layer_norm(Generator& g) {
  const int64_t rows = 33, C = 384;
  const auto x = random_vector(rows * C, g), w = random_vector(C, g), b = random_vector(C, g);
  std::vector<float> fast(x.size()), ref(x.size()), mean(rows), rstd(rows);
  kernels::layer_norm_forward_fast(fast.data(), mean.data(), rstd.data(), x.data(), w.data(), b.data(), rows,
                                   C, 1e-12);
  kernels::layer_norm_forward_reference<float>(ref.data(), mean.data(), rstd.data(), x.data(), w.data(),
                                               b.data(), rows, C, 1e-12);
  return max_rel_err(fast, ref);
}

double check_gelu(Generator& g, bool tanh_approx) {
  const auto x = random_vector(4099, g);
  std::vector<float> fast(x.size()), ref(x.size());
  kernels::gelu_forward_fast(fast.data(), x.data(), static_cast<int64_t>(x.size()), tanh_approx);
  kernels::gelu_forward_reference<float>(ref.data(), x.data(), static_cast<int64_t>(x.size()), tanh_approx);
  return max_rel_err(fast, ref);
}

// d/dx softmax(x W)[1, 0] through matmul, softmax and views in float64 vs a central difference.
double check_autograd(Generator& g) {
  Tensor x = randn({3, 5}, g, DType::F64), w = randn({5, 4}, g, DType::F64);
  x.requires_grad_();
  auto f = [&](const Tensor& xx) { return select(select(softmax(matmul(xx, w), 1), 0, 1), 0, 0); };
  f(x).backward();
  const double analytic = x.grad().at<double>({1, 2});
  Tensor xp = contiguous(x.detach());
  Tensor xp2 = clone(xp);
  xp.data<double>()[1 * 5 + 2] += 1e-6;
  xp2.data<double>()[1 * 5 + 2] -= 1e-6;
  const double numeric = (f(xp).item<double>() - f(xp2).item<double>()) / 2e-6;
  return std::fabs(analytic - numeric) / std::max(std::fabs(numeric), 1.0);
}

int run_selftest() {
  std::printf("attn %s\n", kVersion);
  std::printf("BLAS:    %s\n", blas_info().c_str());
  std::printf("GEMM:    %s\n",
              kernels::gemm_fast_enabled()
                  ? "attn AVX-512 (12x32 micro-kernel; unpacked kernel for < 24 rows times a weight) for "
                    "float matmul; OpenBLAS for other thin ones"
                  : (kernels::gemm_fast_available() ? "OpenBLAS (ATTN_GEMM=blas)"
                                                    : "OpenBLAS (no AVX-512 on this CPU)"));
  std::printf("threads: %d (ATTN_NUM_THREADS)\n\n", get_num_threads());
  const std::vector<Check> checks = {
      // Both sides round K = 129 float products in different orders (~1e-5 apart); a broken kernel errs by
      // O(1).
      {"sgemm: OpenBLAS vs reference, 67x129^T * 129x45", 1e-4,
       [](Generator& g) { return check_gemm(g, kernels::matmul_blas, 67, 45, 129); }},
      {"gemm: attn's GEMM vs reference, 157x301^T * 301x45", 1e-4,
       [](Generator& g) { return check_gemm(g, kernels::matmul_fast, 157, 45, 301); }},
      {"gemm: attn's thin kernel vs reference, 7x301^T * (45x301)^T", 1e-4,
       [](Generator& g) { return check_gemm(g, kernels::matmul_thin, 7, 45, 301, true); }},
      {"softmax: fast vs reference, 37 rows x 1000", 1e-6, check_softmax},
      {"layer_norm: fast vs reference, 33 x 384", 1e-5, check_layer_norm},
      {"gelu (erf): fast vs reference, 4099 values", 1e-6, [](Generator& g) { return check_gelu(g, false); }},
      {"gelu (tanh): fast vs reference, 4099 values", 1e-6, [](Generator& g) { return check_gelu(g, true); }},
      {"autograd: matmul->softmax gradient vs finite difference (f64)", 1e-7, check_autograd},
  };
  Generator gen(2026);
  int failed = 0;
  for (const Check& c : checks) {
    const double err = c.run(gen);
    const bool ok = err <= c.tolerance;
    failed += ok ? 0 : 1;
    std::printf("  %-64s max rel err %.2e (limit %.0e)  %s\n", c.name.c_str(), err, c.tolerance,
                ok ? "ok" : "FAILED");
  }
  std::printf("\n%zu passed, %d failed\n", checks.size() - failed, failed);
  return failed;
}
}  // namespace

void add_selftest_command(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("selftest", "check fast kernels against their references; print BLAS and threads");
  cmd->callback([] {
    if (run_selftest() != 0) throw Error("selftest: some kernels disagree with their references (see above)");
  });
}

}  // namespace attn::cli
