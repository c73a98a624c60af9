// matmul_blas (OpenBLAS, f32 and f64) against matmul_reference on awkward shapes and layouts (STYLE P6):
// sizes 1 and primes, padded leading dimensions (non-contiguous), transposed operands, broadcast batches,
// accumulation, and an output full of NaN that beta = 0 must overwrite.
#include "attn/kernels/cpu/matmul.h"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <limits>
#include <vector>

#include "attn/core/rng.h"

namespace attn::kernels {
namespace {

struct Case {
  int64_t batch, M, N, K;
  bool ta, tb;       // operand stored transposed (strides (1, ld))
  int64_t pad;       // extra elements per stored row: ld = cols + pad (non-contiguous)
  bool broadcast_b;  // every batch entry reads the same B (offsets all 0)
  bool accumulate;   // C += A·B onto random C
};

// One stored operand: (R, C) logical matrices, stored row-major or transposed with padding.
template <typename T>
struct Operand {
  std::vector<T> data;
  std::vector<int64_t> off;
  int64_t rs, cs;
};

template <typename T>
Operand<T> make_operand(int64_t batch, int64_t R, int64_t C, bool transposed, int64_t pad, bool broadcast,
                        Generator& g) {
  const int64_t rows = transposed ? C : R, cols = transposed ? R : C, ld = cols + pad;
  const int64_t per = std::max<int64_t>(rows * ld, 1), stored = broadcast ? 1 : batch;
  Operand<T> o{
      std::vector<T>(static_cast<size_t>(per * stored)), {}, transposed ? 1 : ld, transposed ? ld : 1};
  for (auto& v : o.data) v = static_cast<T>(g.normal());
  for (int64_t p = 0; p < batch; ++p) o.off.push_back(broadcast ? 0 : p * per);
  return o;
}

template <typename T>
void check(const Case& c, uint64_t seed) {
  Generator g(seed);
  auto a = make_operand<T>(c.batch, c.M, c.K, c.ta, c.pad, false, g);
  auto b = make_operand<T>(c.batch, c.K, c.N, c.tb, c.pad, c.broadcast_b, g);
  std::vector<int64_t> co;
  for (int64_t p = 0; p < c.batch; ++p) co.push_back(p * c.M * c.N);
  const size_t nc = static_cast<size_t>(c.batch * c.M * c.N);
  std::vector<T> c0(nc, std::numeric_limits<T>::quiet_NaN());
  if (c.accumulate)
    for (auto& v : c0) v = static_cast<T>(g.normal());
  std::vector<T> fast = c0, ref = c0, bound(nc, T(0));
  const GemmSize s{c.batch, c.M, c.N, c.K};
  matmul_blas({fast.data(), co.data(), c.N, 1}, {a.data.data(), a.off.data(), a.rs, a.cs},
              {b.data.data(), b.off.data(), b.rs, b.cs}, s, c.accumulate);
  matmul_reference<T>({ref.data(), co.data(), c.N, 1}, {a.data.data(), a.off.data(), a.rs, a.cs},
                      {b.data.data(), b.off.data(), b.rs, b.cs}, s, c.accumulate);
  // Error bound of a K-term dot product in T: |err| <= 2·K·eps·Σ|a||b| (+ the rounding of c0 + ab).
  std::vector<T> aa = a.data, ba = b.data;
  for (auto& v : aa) v = std::fabs(v);
  for (auto& v : ba) v = std::fabs(v);
  matmul_reference<T>({bound.data(), co.data(), c.N, 1}, {aa.data(), a.off.data(), a.rs, a.cs},
                      {ba.data(), b.off.data(), b.rs, b.cs}, s, false);
  const T eps = std::numeric_limits<T>::epsilon();
  for (size_t i = 0; i < nc; ++i) {
    const T tol = 2 * T(c.K + 1) * eps * (bound[i] + (c.accumulate ? std::fabs(c0[i]) : T(0))) + T(1e-30);
    ASSERT_FALSE(std::isnan(fast[i])) << "element " << i;
    ASSERT_LE(std::fabs(fast[i] - ref[i]), tol)
        << "element " << i << ": blas " << fast[i] << ", reference " << ref[i];
  }
}

const std::vector<Case> kCases = {
    {1, 1, 1, 1, false, false, 0, false, false},     {1, 7, 13, 5, false, false, 0, false, false},
    {1, 7, 13, 5, true, false, 0, false, false},     {1, 7, 13, 5, false, true, 0, false, false},
    {1, 7, 13, 5, true, true, 3, false, true},       {3, 1, 17, 1, false, true, 2, false, false},
    {2, 31, 1, 29, true, false, 1, true, false},     {4, 64, 48, 96, false, true, 0, true, true},
    {2, 127, 131, 257, true, true, 5, false, false}, {1, 13, 11, 1, true, true, 0, false, true},
    {3, 5, 7, 0, false, false, 0, false, false},     {3, 5, 7, 0, false, false, 0, false, true},
};

TEST(MatmulKernel, BlasMatchesReferenceFloat) {
  uint64_t seed = 1;
  for (const Case& c : kCases) {
    SCOPED_TRACE(::testing::Message() << "batch " << c.batch << " M " << c.M << " N " << c.N << " K " << c.K
                                      << " ta " << c.ta << " tb " << c.tb << " pad " << c.pad);
    check<float>(c, seed++);
  }
}

TEST(MatmulKernel, BlasMatchesReferenceDouble) {
  uint64_t seed = 100;
  for (const Case& c : kCases) check<double>(c, seed++);
}

// Broadcast gradient: every batch entry accumulates into the same C (offsets all 0) — the sum over the batch.
TEST(MatmulKernel, RepeatedOutputOffsetsSumTheBatch) {
  // A_p = [[p + 1]], B = [[2]] for p = 0..3 → C = 2·(1 + 2 + 3 + 4) = 20
  std::vector<float> a = {1, 2, 3, 4}, b = {2}, c = {0};
  std::vector<int64_t> ao = {0, 1, 2, 3}, bo = {0, 0, 0, 0}, co = {0, 0, 0, 0};
  matmul_blas({c.data(), co.data(), 1, 1}, {a.data(), ao.data(), 1, 1}, {b.data(), bo.data(), 1, 1},
              {4, 1, 1, 1}, true);
  EXPECT_EQ(c[0], 20.f);
}

TEST(MatmulKernel, BlasCompatibility) {
  EXPECT_TRUE(blas_compatible(3, 4, 4, 1));   // row-major
  EXPECT_TRUE(blas_compatible(3, 4, 6, 1));   // padded rows (a narrow of a wider matrix)
  EXPECT_TRUE(blas_compatible(3, 4, 1, 3));   // x.t()
  EXPECT_FALSE(blas_compatible(3, 4, 8, 2));  // every other column
  EXPECT_FALSE(blas_compatible(3, 4, 0, 1));  // expanded rows (stride 0)
  EXPECT_TRUE(blas_compatible(1, 4, 0, 1));   // one row: its row stride never matters
}

}  // namespace
}  // namespace attn::kernels
