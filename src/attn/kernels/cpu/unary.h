// attn/kernels/cpu/unary.h — elementwise math for the float kernels: exp, tanh and Φ (the normal CDF),
// written branch-free so that a loop calling them is vectorised by the compiler (AVX2 / AVX-512 under
// -march=native).
//
// std::exp and friends are library calls the compiler cannot vectorise without -ffast-math, and they are
// most of the time of softmax, gelu, sigmoid and tanh. These inline versions use only +, ×, fma, compares,
// selects and bit casts, each accurate to a few ulp (measured in tests/kernels/unary_test.cpp against
// double-precision libm), and keep IEEE edge cases: exp(-inf) = 0, exp(+inf) = +inf, NaN in → NaN out.
// Elementwise ops run them through kernels::unary_map (elementwise.h); softmax.cpp and activation.cpp (gelu)
// call them in their own loops. The plain reference kernels use std::exp / std::tanh / std::erf instead.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace attn::kernels {

// eʳ for |r| ≤ ln2/2 (Cephes expf): 1 + r + r²·P(r).
inline float exp_reduced(float r) {
  float p = 1.9875691500e-4f;
  p = std::fma(p, r, 1.3981999507e-3f);
  p = std::fma(p, r, 8.3334519073e-3f);
  p = std::fma(p, r, 4.1665795894e-2f);
  p = std::fma(p, r, 1.6666665459e-1f);
  p = std::fma(p, r, 5.0000001201e-1f);
  return std::fma(p * r, r, r) + 1.f;
}

// eˣ in float, ≤ 1.5 ulp on the normal range (Cephes expf). x = n·ln2 + r with |r| ≤ ln2/2 (ln2 split in
// two so that n·ln2_hi is exact), eʳ by exp_reduced, and 2ⁿ built from exponent bits as 2^⌊n/2⌋·2^(n−⌊n/2⌋)
// so that results down in the subnormals and up to overflow come out right.
inline float fast_exp(float x) {
  constexpr float kLog2e = 1.44269504088896341f, kLn2Hi = 0.693359375f, kLn2Lo = -2.12194440e-4f;
  constexpr float kRound = 12582912.f;  // 1.5·2²³: (v + kRound) − kRound rounds v to the nearest integer
  const float xc = x > 89.f ? 89.f : (x < -104.f ? -104.f : x);  // beyond these e^x is inf / 0; NaN passes
  const float xs = xc == xc ? xc : 0.f;                          // NaN would make the int conversion UB
  const float n = (xs * kLog2e + kRound) - kRound;
  float r = std::fma(n, -kLn2Hi, xc);  // NaN stays in r, so the result is NaN
  r = std::fma(n, -kLn2Lo, r);
  const float er = exp_reduced(r);
  const int32_t ni = static_cast<int32_t>(n), n1 = ni >> 1, n2 = ni - n1;
  const float s1 = std::bit_cast<float>(static_cast<uint32_t>(n1 + 127) << 23);
  const float s2 = std::bit_cast<float>(static_cast<uint32_t>(n2 + 127) << 23);
  return er * s1 * s2;
}

// tanh x in float, a few ulp (Cephes tanhf): an odd polynomial for |x| < 0.625, else
// sign(x)·(1 − 2/(e^{2|x|} + 1)); both are computed and one selected, so the loop stays branch-free.
inline float fast_tanh(float x) {
  const float ax = std::fabs(x);
  const float z = x * x;
  float p = -5.70498872745e-3f;
  p = std::fma(p, z, 2.06390887954e-2f);
  p = std::fma(p, z, -5.37397155531e-2f);
  p = std::fma(p, z, 1.33314422036e-1f);
  p = std::fma(p, z, -3.33332819422e-1f);
  const float small = std::fma(p * z, x, x);
  const float big = 1.f - 2.f / (fast_exp(2.f * ax) + 1.f);
  return ax < 0.625f ? small : std::copysign(big, x);
}

// Φ(x) = P(N(0,1) ≤ x) = ½·erfc(−x/√2) in float, relative error ≤ 6e-7 down to Φ(−13) ≈ 6e-39 (0 beyond).
// erfc uses Numerical Recipes' erfcc (a Chebyshev fit, fractional error < 1.2e-7): with z = |x|/√2 and
// t = 1/(1 + z/2), erfc z = t·exp(−z² − 1.26551223 + t·P(t)), erfc(−z) = 2 − erfc z. Two details keep the
// relative accuracy in the tail, where torch's float 1 + erf(x/√2) cancels to 0 or noise:
//  * z² = x²/2 is formed exactly from x (hi + lo by fma), not from the rounded x/√2, and the exponent
//    −hi + (P − lo) is never rounded as a whole: the first reduction step n·ln2 is taken from −hi alone;
//  * |x| is capped at 13 (NaN becomes 13 too: the caller's x·Φ(x) stays NaN), so the exponent stays above
//    −86 and 2ⁿ needs one scale only. P(t) is evaluated by Estrin's scheme (short dependency chains).
inline float fast_normal_cdf(float x) {
  constexpr float kHalfSqrt1_2 = 0.35355339059327376220f;  // 1/(2√2): t = 1/(1 + |x|/(2√2))
  constexpr float kLog2e = 1.44269504088896341f, kLn2Hi = 0.693359375f, kLn2Lo = -2.12194440e-4f;
  constexpr float kRound = 12582912.f;
  const float ax0 = std::fabs(x);
  const float ax = ax0 < 13.f ? ax0 : 13.f;
  const float hi = ax * ax, lo = std::fma(ax, ax, -hi);
  const float t = 1.f / std::fma(kHalfSqrt1_2, ax, 1.f);
  const float t2 = t * t, t4 = t2 * t2, t8 = t4 * t4;
  const float p01 = std::fma(1.00002368f, t, -1.26551223f), p23 = std::fma(0.09678418f, t, 0.37409196f);
  const float p45 = std::fma(0.27886807f, t, -0.18628806f), p67 = std::fma(1.48851587f, t, -1.13520398f);
  const float p89 = std::fma(0.17087277f, t, -0.82215223f);
  const float p = std::fma(p89, t8, std::fma(std::fma(p67, t2, p45), t4, std::fma(p23, t2, p01)));
  const float a = -0.5f * hi, b = p - 0.5f * lo;  // the exponent is a + b, in [−86, −0.27]
  const float n = ((a + b) * kLog2e + kRound) - kRound;
  const float r = std::fma(n, -kLn2Lo, std::fma(n, -kLn2Hi, a) + b);
  const float scale = std::bit_cast<float>(static_cast<uint32_t>(static_cast<int32_t>(n) + 127) << 23);
  const float erfc_z = ax0 < 13.f ? t * exp_reduced(r) * scale : 0.f;
  return 0.5f * (x <= 0.f ? erfc_z : 2.f - erfc_z);
}

// Σ term(c) for c in [0, C), in float: 16 lane accumulators over whole blocks of 16 (lane j takes the c ≡ j
// mod 16), added as a tree, then the tail. The kernels use this instead of `omp simd reduction` because it
// fixes the order of the additions: the result (and its error, ~√(C/16) ulp) is the same whether or not
// the compiler vectorises the loop (-O2 builds such as the sanitizer one do not), and the 16 independent
// chains are what the vectorised loop needs anyway.
template <typename F>
float lane_sum(int64_t C, F term) {
  constexpr int64_t kLanes = 16;
  float lane[kLanes] = {};
  int64_t c = 0;
  for (; c + kLanes <= C; c += kLanes)
    for (int64_t j = 0; j < kLanes; ++j) lane[j] += term(c + j);
  for (int64_t w = kLanes / 2; w > 0; w /= 2)
    for (int64_t j = 0; j < w; ++j) lane[j] += lane[j + w];
  float s = lane[0];
  for (; c < C; ++c) s += term(c);
  return s;
}

// max of x[0, C) in 16 lanes, then the tail: GCC leaves a float max reduction scalar, even under `omp simd`,
// without -ffinite-math-only (it was 30 % of the first softmax profile). −inf for C = 0; NaN is skipped.
inline float lane_max(const float* x, int64_t C) {
  constexpr int64_t kLanes = 16;
  float lane[kLanes];
  for (int64_t j = 0; j < kLanes; ++j) lane[j] = -std::numeric_limits<float>::infinity();
  int64_t c = 0;
  for (; c + kLanes <= C; c += kLanes)
    for (int64_t j = 0; j < kLanes; ++j) lane[j] = x[c + j] > lane[j] ? x[c + j] : lane[j];
  float m = -std::numeric_limits<float>::infinity();
  for (int64_t j = 0; j < kLanes; ++j) m = lane[j] > m ? lane[j] : m;
  for (; c < C; ++c) m = x[c] > m ? x[c] : m;
  return m;
}

}  // namespace attn::kernels
