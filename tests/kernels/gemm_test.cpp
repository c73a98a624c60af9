// matmul_fast (attn's AVX-512 GEMM) against matmul_reference (STYLE P6): awkward shapes around every block
// size (MR 12, NR 32, KC 256, MC 144, NC 2048), transposed and padded operands, a transposed C, accumulate,
// batches with broadcast operands and with repeated C entries; plus the two invariances gemm.h promises —
// the same bits at 1 and 2 threads, and a row's result independent of how many other rows are in the product.
#include "attn/kernels/cpu/gemm.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <vector>

#include "attn/core/error.h"
#include "attn/core/rng.h"
#include "attn/core/threads.h"

namespace attn::kernels {
namespace {

std::vector<float> random_vector(int64_t n, Generator& g) {
  std::vector<float> v(static_cast<size_t>(n));
  for (auto& x : v) x = static_cast<float>(g.uniform(-1.0, 1.0));
  return v;
}

// A (M, K) stored row-major or transposed, B (K, N) likewise, C (M, N) row-major with padded rows, or
// transposed; returns C from matmul_fast and from the reference, and the error bound of each element.
struct Case {
  int64_t M, N, K;
  bool ta, tb, tc, accumulate;
};

struct Result {
  std::vector<float> fast, ref;
  std::vector<double> bound;
};

using Kernel = void (*)(MatrixBatch<float>, MatrixBatch<const float>, MatrixBatch<const float>, GemmSize,
                        bool);

Result run(const Case& k, uint64_t seed, Kernel kernel = matmul_fast) {
  Generator g(seed);
  const auto a = random_vector(k.M * k.K, g), b = random_vector(k.K * k.N, g);
  const int64_t pad = 3, ldc = k.tc ? k.M : k.N + pad;
  const auto c0 = random_vector((k.tc ? k.N : k.M) * ldc, g);
  const int64_t z = 0;
  const MatrixBatch<const float> A{a.data(), &z, k.ta ? 1 : k.K, k.ta ? k.M : 1};
  const MatrixBatch<const float> B{b.data(), &z, k.tb ? 1 : k.N, k.tb ? k.K : 1};
  Result r{c0, c0, std::vector<double>(c0.size(), 0.0)};
  const int64_t crs = k.tc ? 1 : ldc, ccs = k.tc ? ldc : 1;
  const GemmSize s{1, k.M, k.N, k.K};
  kernel({r.fast.data(), &z, crs, ccs}, A, B, s, k.accumulate);
  matmul_reference<float>({r.ref.data(), &z, crs, ccs}, A, B, s, k.accumulate);
  // FMA chains in float: |error| ≤ K·u·Σ|a||b| (+ the rounding of the accumulate add), u = 2⁻²⁴.
  for (int64_t i = 0; i < k.M; ++i)
    for (int64_t j = 0; j < k.N; ++j) {
      double s_ab = 0;
      for (int64_t p = 0; p < k.K; ++p)
        s_ab += std::fabs(A.data[i * A.rs + p * A.cs]) * std::fabs(B.data[p * B.rs + j * B.cs]);
      r.bound[static_cast<size_t>(i * crs + j * ccs)] = (k.K + 2) * 0x1p-24 * (s_ab + 2.0) + 1e-30;
    }
  return r;
}

void expect_within_bound(const Result& r) {
  for (size_t i = 0; i < r.ref.size(); ++i)
    ASSERT_LE(std::fabs(double(r.fast[i]) - r.ref[i]), r.bound[i] > 0 ? r.bound[i] : 0.0)
        << "element " << i << ": fast " << r.fast[i] << " reference " << r.ref[i];
}

TEST(Gemm, FastMatchesReferenceOnAwkwardShapes) {
  std::printf("[ gemm ] AVX-512 micro-kernel: %s\n", gemm_fast_available() ? "yes" : "no (portable one)");
  const std::vector<std::array<int64_t, 3>> shapes = {
      {1, 1, 1},      {12, 32, 1},    {13, 33, 7},   {11, 31, 257}, {24, 64, 256},
      {100, 70, 300}, {145, 97, 513}, {7, 2100, 20}, {150, 40, 1},  {37, 129, 64},
      {128, 64, 40},  {260, 33, 48},  {16, 32, 96}};  // last row tiles of 8, 8 and 4 rows, all valid
  int i = 0;
  for (const auto& [M, N, K] : shapes) {
    for (int layout = 0; layout < 4; ++layout) {
      const Case k{M, N, K, (layout & 1) != 0, (layout & 2) != 0, layout == 3, (i++ % 3) == 0};
      SCOPED_TRACE(::testing::Message() << M << "x" << N << "x" << K << " ta " << k.ta << " tb " << k.tb
                                        << " tc " << k.tc << " acc " << k.accumulate);
      expect_within_bound(run(k, 7 + i));
    }
  }
}

TEST(Gemm, TheBoundCanFail) {  // the check above is not vacuous: one wrong term breaks it
  Result r = run({13, 33, 7, false, false, false, false}, 3);
  r.fast[5] += 1e-3f;
  bool failed = false;
  for (size_t i = 0; i < r.ref.size(); ++i) failed |= std::fabs(double(r.fast[i]) - r.ref[i]) > r.bound[i];
  EXPECT_TRUE(failed);
}

TEST(Gemm, BatchesWithBroadcastAndRepeatedOutputs) {
  Generator g(5);
  const int64_t M = 30, N = 40, K = 50, batch = 5;
  const auto a = random_vector(M * K, g), b = random_vector(batch * K * N, g);
  const std::vector<int64_t> a_off(batch, 0), b_off = {0, K * N, 2 * K * N, 3 * K * N, 4 * K * N};
  const MatrixBatch<const float> A{a.data(), a_off.data(), K, 1}, B{b.data(), b_off.data(), N, 1};
  for (const bool repeated : {false, true}) {  // distinct C per entry, or every entry summed into one C
    std::vector<int64_t> c_off(batch, 0);
    for (int64_t p = 0; p < batch && !repeated; ++p) c_off[p] = p * M * N;
    std::vector<float> fast(batch * M * N, 0.5f), ref = fast;
    const GemmSize s{batch, M, N, K};
    matmul_fast({fast.data(), c_off.data(), N, 1}, A, B, s, repeated);
    matmul_reference<float>({ref.data(), c_off.data(), N, 1}, A, B, s, repeated);
    for (size_t i = 0; i < ref.size(); ++i) ASSERT_NEAR(fast[i], ref[i], 1e-4) << "repeated " << repeated;
  }
}

TEST(Gemm, SameBitsAtAnyThreadCountAndBatchSize) {
  Generator g(9);
  const int64_t M = 200, N = 300, K = 600;
  const auto a = random_vector(M * K, g), b = random_vector(K * N, g);
  const int64_t z = 0;
  const MatrixBatch<const float> A{a.data(), &z, K, 1}, B{b.data(), &z, N, 1};
  const int saved = get_num_threads();
  std::vector<float> one(M * N), two(M * N), rows(5 * N);
  set_num_threads(1);
  matmul_fast({one.data(), &z, N, 1}, A, B, {1, M, N, K}, false);
  set_num_threads(2);
  matmul_fast({two.data(), &z, N, 1}, A, B, {1, M, N, K}, false);
  // Rows 100..104 alone: the same FMA sequence per element as inside the 200-row product.
  const MatrixBatch<const float> A5{a.data() + 100 * K, &z, K, 1};
  matmul_fast({rows.data(), &z, N, 1}, A5, B, {1, 5, N, K}, false);
  set_num_threads(saved);
  EXPECT_EQ(one, two);
  EXPECT_EQ(std::vector<float>(one.begin() + 100 * N, one.begin() + 105 * N), rows);
}

// matmul_thin: B's columns contiguous in k (tb), up to 32 rows; within the bound of the reference, and the
// very bits of matmul_fast for the same product (gemm.h: the same FMA chain per element).
TEST(Gemm, ThinMatchesReferenceAndTheBitsOfMatmulFast) {
  const std::vector<std::array<int64_t, 3>> shapes = {
      {1, 1, 1},     {1, 384, 384}, {5, 17, 7},     {11, 31, 257}, {12, 16, 256},
      {16, 33, 600}, {17, 40, 513}, {23, 1536, 20}, {32, 15, 64},  {2, 2100, 300}};
  int i = 0;
  for (const auto& [M, N, K] : shapes) {
    for (int layout = 0; layout < 4; ++layout) {  // A row-major or transposed, C row-major or transposed
      const Case k{M, N, K, (layout & 1) != 0, true, (layout & 2) != 0, (i++ % 2) == 0};
      SCOPED_TRACE(::testing::Message() << M << "x" << N << "x" << K << " ta " << k.ta << " tc " << k.tc
                                        << " acc " << k.accumulate);
      ASSERT_TRUE(gemm_thin_suits(M, N, 1) || M >= 24 || !gemm_fast_available());
      const Result thin = run(k, 11 + i, matmul_thin);
      expect_within_bound(thin);
      EXPECT_EQ(thin.fast, run(k, 11 + i, matmul_fast).fast);
    }
  }
  EXPECT_FALSE(gemm_thin_suits(24, 100, 1));   // the 12 × 32 kernel's territory
  EXPECT_FALSE(gemm_thin_suits(4, 100, 100));  // B not contiguous in k
}

// A thin product gives a row the bits it gets inside a tall product (matmul_fast), at 1 and 2 threads: a
// query's embedding or a decoding step does not depend on what it is batched with.
TEST(Gemm, ThinRowsHaveTheBitsTheyHaveInATallProduct) {
  Generator g(13);
  const int64_t M = 200, N = 1100, K = 700;
  const auto a = random_vector(M * K, g), w = random_vector(N * K, g);  // w: (N, K), read as Wᵀ
  const int64_t z = 0;
  const MatrixBatch<const float> A{a.data(), &z, K, 1}, B{w.data(), &z, 1, K};
  const int saved = get_num_threads();
  std::vector<float> tall(M * N), one(7 * N), two(7 * N);
  set_num_threads(2);
  matmul_fast({tall.data(), &z, N, 1}, A, B, {1, M, N, K}, false);
  const MatrixBatch<const float> A7{a.data() + 50 * K, &z, K, 1};
  matmul_thin({two.data(), &z, N, 1}, A7, B, {1, 7, N, K}, false);
  set_num_threads(1);
  matmul_thin({one.data(), &z, N, 1}, A7, B, {1, 7, N, K}, false);
  set_num_threads(saved);
  EXPECT_EQ(std::vector<float>(tall.begin() + 50 * N, tall.begin() + 57 * N), one);
  EXPECT_EQ(one, two);
}

TEST(Gemm, ThinBatchesWithRepeatedOutputsAndEmptyDepth) {
  Generator g(17);
  const int64_t M = 6, N = 40, K = 50, batch = 5;
  const auto a = random_vector(batch * M * K, g), b = random_vector(K * N, g);
  std::vector<int64_t> a_off(batch);
  for (int64_t p = 0; p < batch; ++p) a_off[p] = p * M * K;
  const std::vector<int64_t> b_off(batch, 0);
  const MatrixBatch<const float> A{a.data(), a_off.data(), K, 1}, B{b.data(), b_off.data(), 1, K};
  for (const bool repeated : {false, true}) {
    std::vector<int64_t> c_off(batch, 0);
    for (int64_t p = 0; p < batch && !repeated; ++p) c_off[p] = p * M * N;
    std::vector<float> thin(batch * M * N, 0.5f), ref = thin;
    matmul_thin({thin.data(), c_off.data(), N, 1}, A, B, {batch, M, N, K}, repeated);
    matmul_reference<float>({ref.data(), c_off.data(), N, 1}, A, B, {batch, M, N, K}, repeated);
    for (size_t i = 0; i < ref.size(); ++i) ASSERT_NEAR(thin[i], ref[i], 1e-4) << "repeated " << repeated;
  }
  const int64_t z = 0;
  std::vector<float> c(3 * 5, 3.f);
  const float dummy = 0;
  const MatrixBatch<const float> A0{&dummy, &z, 0, 1}, B0{&dummy, &z, 1, 0};
  matmul_thin({c.data(), &z, 5, 1}, A0, B0, {1, 3, 5, 0}, true);
  EXPECT_EQ(c, std::vector<float>(15, 3.f));
  matmul_thin({c.data(), &z, 5, 1}, A0, B0, {1, 3, 5, 0}, false);
  EXPECT_EQ(c, std::vector<float>(15, 0.f));
}

// A prepacked B gives matmul_fast's bits (the same panels), for a weight read as Wᵀ and a row-major B, at 1
// and 2 threads, in a batch sharing the one B; and the pack notices when its source changes.
TEST(Gemm, PrepackedBGivesTheBitsOfMatmulFast) {
  Generator g(21);
  const int saved = get_num_threads();
  const std::vector<std::array<int64_t, 3>> shapes = {{1, 1, 1},      {13, 33, 7},     {24, 1536, 384},
                                                      {100, 70, 600}, {300, 129, 257}, {37, 2100, 64}};
  for (const auto& [M, N, K] : shapes) {
    for (const bool weight : {true, false}) {
      SCOPED_TRACE(::testing::Message() << M << "x" << N << "x" << K << (weight ? " Wt" : " B"));
      const int64_t batch = 3;
      const auto a = random_vector(batch * M * K, g), b = random_vector(K * N, g);
      std::vector<int64_t> a_off(batch), c_off(batch);
      for (int64_t p = 0; p < batch; ++p) a_off[p] = p * M * K, c_off[p] = p * M * N;
      const std::vector<int64_t> b_off(batch, 0);
      const MatrixBatch<const float> A{a.data(), a_off.data(), K, 1};
      const MatrixBatch<const float> B{b.data(), b_off.data(), weight ? 1 : N, weight ? K : 1};
      const PackedB packed(B, K, N);
      EXPECT_TRUE(packed.matches(B.data, B.rs, B.cs, K, N));
      for (const int threads : {1, 2}) {
        set_num_threads(threads);
        std::vector<float> fast(batch * M * N, 0.25f), pre = fast;
        matmul_fast({fast.data(), c_off.data(), N, 1}, A, B, {batch, M, N, K}, threads == 2);
        matmul_prepacked({pre.data(), c_off.data(), N, 1}, A, packed, {batch, M, N, K}, threads == 2);
        EXPECT_EQ(pre, fast) << threads << " threads";
      }
      set_num_threads(saved);
      auto changed = b;
      for (auto& x : changed) x *= 0.999f;                             // an optimizer step moves every value
      EXPECT_FALSE(packed.matches(changed.data(), B.rs, B.cs, K, N));  // another buffer
      EXPECT_FALSE(packed.matches(B.data, B.rs + 1, B.cs, K, N));      // another layout
    }
  }
  // The same buffer changed in place is noticed through the sampled values.
  auto w = random_vector(64 * 48, g);
  const int64_t z = 0;
  const PackedB p({w.data(), &z, 1, 64}, 64, 48);
  for (auto& x : w) x += 1e-3f;
  EXPECT_FALSE(p.matches(w.data(), 1, 64, 64, 48));
  std::vector<float> c(2 * 48);
  std::vector<float> a(2 * 65);
  EXPECT_THROW(matmul_prepacked({c.data(), &z, 48, 1}, {a.data(), &z, 65, 1}, p, {1, 2, 48, 65}, false),
               Error);
}

TEST(Gemm, EmptyDepthWritesZerosOrLeavesC) {
  const int64_t z = 0;
  std::vector<float> c(12 * 32, 3.f);
  const float dummy = 0;
  const MatrixBatch<const float> A{&dummy, &z, 0, 1}, B{&dummy, &z, 32, 1};
  matmul_fast({c.data(), &z, 32, 1}, A, B, {1, 12, 32, 0}, true);
  EXPECT_EQ(c, std::vector<float>(12 * 32, 3.f));
  matmul_fast({c.data(), &z, 32, 1}, A, B, {1, 12, 32, 0}, false);
  EXPECT_EQ(c, std::vector<float>(12 * 32, 0.f));
}

}  // namespace
}  // namespace attn::kernels
