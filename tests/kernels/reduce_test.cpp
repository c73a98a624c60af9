// sum/mean: the fast float kernel against the reference (STYLE P6) on awkward (outer, R, inner) shapes,
// including one row long enough for the chunked path; results equal at 1 and 2 threads; max's tie rule.
#include "attn/kernels/cpu/reduce.h"

#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <vector>

#include "attn/core/rng.h"

namespace attn::kernels {
namespace {

struct Shape3 {
  int64_t outer, R, inner;
};

TEST(ReduceKernel, FastSumMatchesReference) {
  const std::vector<Shape3> shapes = {{1, 1, 1},      {1, 7, 1},      {5, 13, 1},     {3, 1, 7},
                                      {2, 17, 300},   {4096, 768, 1}, {1, 4096, 768}, {1, 300001, 1},
                                      {2, 200000, 1}, {7, 3, 5}};
  Generator g(3);
  for (const Shape3& s : shapes) {
    for (bool mean : {false, true}) {
      SCOPED_TRACE(::testing::Message() << s.outer << "x" << s.R << "x" << s.inner << (mean ? " mean" : ""));
      std::vector<float> x(static_cast<size_t>(s.outer * s.R * s.inner));
      for (auto& v : x) v = static_cast<float>(1.0 + g.normal());
      std::vector<float> ref(s.outer * s.inner), fast(s.outer * s.inner);
      sum_forward_reference(ref.data(), x.data(), s.outer, s.R, s.inner, mean);
      sum_forward_fast(fast.data(), x.data(), s.outer, s.R, s.inner, mean);
      for (size_t i = 0; i < ref.size(); ++i)
        ASSERT_NEAR(fast[i], ref[i], 1e-6 * std::fabs(ref[i]) + 1e-6) << i;
    }
  }
}

TEST(ReduceKernel, SumDoesNotDependOnThreadCount) {
  std::vector<float> x(500000);
  Generator g(4);
  for (auto& v : x) v = static_cast<float>(g.normal());
  const int saved = omp_get_max_threads();
  float one = 0, two = 0;
  omp_set_num_threads(1);
  sum_forward_fast(&one, x.data(), 1, static_cast<int64_t>(x.size()), 1, false);
  omp_set_num_threads(2);
  sum_forward_fast(&two, x.data(), 1, static_cast<int64_t>(x.size()), 1, false);
  omp_set_num_threads(saved);
  EXPECT_EQ(one, two);
}

TEST(ReduceKernel, MaxKeepsTheFirstIndexAndPropagatesNaN) {
  // (outer 1, R 4, inner 2): column 0 = [1, 3, 3, 2], column 1 = [0, nan, 5, nan]
  const std::vector<float> x = {1, 0, 3, std::nanf(""), 3, 5, 2, std::nanf("")};
  float v[2];
  int64_t idx[2];
  max_forward(v, idx, x.data(), 1, 4, 2);
  EXPECT_EQ(v[0], 3.f);
  EXPECT_EQ(idx[0], 1);
  EXPECT_TRUE(std::isnan(v[1]));
  EXPECT_EQ(idx[1], 1);
  float dx[8] = {};
  const float dv[2] = {1, 2};
  max_backward(dx, dv, idx, 1, 4, 2);
  EXPECT_EQ(dx[2], 1.f);
  EXPECT_EQ(dx[3], 2.f);
}

}  // namespace
}  // namespace attn::kernels
