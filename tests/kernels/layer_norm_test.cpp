// layer_norm: the fast float kernels against the reference (STYLE P6) on awkward shapes, with and without
// affine parameters, writing dx over garbage and accumulating into non-zero dw, db; and the same results at
// 1 and 2 threads.
#include "attn/kernels/cpu/layer_norm.h"

#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <vector>

#include "attn/core/rng.h"

namespace attn::kernels {
namespace {

std::vector<float> random_vector(int64_t n, Generator& g, double mean, double scale) {
  std::vector<float> v(static_cast<size_t>(n));
  for (auto& x : v) x = static_cast<float>(mean + scale * g.normal());
  return v;
}

void expect_close(const std::vector<float>& a, const std::vector<float>& e, double atol, double rtol) {
  ASSERT_EQ(a.size(), e.size());
  for (size_t i = 0; i < a.size(); ++i) ASSERT_NEAR(a[i], e[i], atol + rtol * std::fabs(e[i])) << "at " << i;
}

struct Outputs {
  std::vector<float> out, mean, rstd, dx, dw, db;
};

Outputs run(bool fast, int64_t rows, int64_t C, bool affine, uint64_t seed) {
  Generator g(seed);
  const auto x = random_vector(rows * C, g, 3.0, 2.0), dout = random_vector(rows * C, g, 0.0, 1.0);
  const auto w = random_vector(C, g, 1.0, 0.5), b = random_vector(C, g, 0.0, 1.0);
  Outputs o{std::vector<float>(rows * C),  std::vector<float>(rows),
            std::vector<float>(rows),      random_vector(rows * C, g, 0.0, 1.0),
            random_vector(C, g, 0.0, 1.0), random_vector(C, g, 0.0, 1.0)};
  const float* pw = affine ? w.data() : nullptr;
  const float* pb = affine ? b.data() : nullptr;
  auto fwd = fast ? layer_norm_forward_fast : layer_norm_forward_reference<float>;
  auto bwd = fast ? layer_norm_backward_fast : layer_norm_backward_reference<float>;
  fwd(o.out.data(), o.mean.data(), o.rstd.data(), x.data(), pw, pb, rows, C, 1e-5);
  bwd(o.dx.data(), o.dw.data(), o.db.data(), dout.data(), x.data(), pw, o.mean.data(), o.rstd.data(), rows,
      C);
  return o;
}

TEST(LayerNormKernel, FastMatchesReference) {
  const std::vector<std::pair<int64_t, int64_t>> shapes = {
      {1, 1}, {1, 7}, {3, 16}, {5, 17}, {2, 64}, {7, 65}, {13, 384}, {64, 768}, {1, 1031}, {300, 31}};
  for (auto [rows, C] : shapes) {
    for (bool affine : {true, false}) {
      SCOPED_TRACE(::testing::Message() << rows << "x" << C << (affine ? " affine" : ""));
      const Outputs r = run(false, rows, C, affine, 11), f = run(true, rows, C, affine, 11);
      expect_close(f.out, r.out, 1e-5, 1e-5);
      expect_close(f.mean, r.mean, 1e-6, 1e-6);
      expect_close(f.rstd, r.rstd, 1e-6, 1e-5);
      expect_close(f.dx, r.dx, 1e-5, 1e-4);
      expect_close(f.dw, r.dw, 1e-5, 1e-4);
      expect_close(f.db, r.db, 1e-5, 1e-5);
    }
  }
}

TEST(LayerNormKernel, ResultsDoNotDependOnThreadCount) {
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  const Outputs one = run(true, 512, 96, true, 5);
  omp_set_num_threads(2);
  const Outputs two = run(true, 512, 96, true, 5);
  omp_set_num_threads(saved);
  EXPECT_EQ(one.out, two.out);
  EXPECT_EQ(one.dx, two.dx);
  EXPECT_EQ(one.dw, two.dw);
  EXPECT_EQ(one.db, two.db);
}

}  // namespace
}  // namespace attn::kernels
