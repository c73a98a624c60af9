// attn/kernels/cpu/unary.h — elementwise math for the float kernels: exp, tanh, erfc, Φ written branch-free
// so that a loop calling them is vectorised by the compiler (AVX2 / AVX-512 under -march=native).
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

namespace attn::kernels {

// eˣ in float, ≤ 1.5 ulp on the normal range (Cephes expf). x = n·ln2 + r with |r| ≤ ln2/2, then
// eʳ = 1 + r + r²·P(r) and 2ⁿ is built from exponent bits as 2^⌊n/2⌋ · 2^(n−⌊n/2⌋) so that results down in
// the subnormals and up to overflow come out right.
inline float fast_exp(float x) {
  constexpr float kLog2e = 1.44269504088896341f, kLn2Hi = 0.693359375f, kLn2Lo = -2.12194440e-4f;
  constexpr float kRound = 12582912.f;  // 1.5·2²³: (v + kRound) − kRound rounds v to the nearest integer
  const float xc = x > 89.f ? 89.f : (x < -104.f ? -104.f : x);  // beyond these e^x is inf / 0; NaN passes
  const float xs = xc == xc ? xc : 0.f;                          // NaN would make the int conversion UB
  const float n = (xs * kLog2e + kRound) - kRound;
  float r = std::fma(n, -kLn2Hi, xc);  // NaN stays in r, so the result is NaN
  r = std::fma(n, -kLn2Lo, r);
  float p = 1.9875691500e-4f;
  p = std::fma(p, r, 1.3981999507e-3f);
  p = std::fma(p, r, 8.3334519073e-3f);
  p = std::fma(p, r, 4.1665795894e-2f);
  p = std::fma(p, r, 1.6666665459e-1f);
  p = std::fma(p, r, 5.0000001201e-1f);
  const float er = std::fma(p * r, r, r) + 1.f;
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

// erfc |z| from t = 1/(1 + |z|/2) and |z|² = hi + lo (Numerical Recipes' erfcc, a Chebyshev fit with
// fractional error < 1.2e-7): erfc |z| = t·exp(−z² − 1.26551223 + t·P(t)). z² is passed split in two
// (lo = the rounding error of hi) so that its rounding does not cost accuracy in the far tail (z² up to
// ~110).
inline float erfc_positive(float t, float hi, float lo) {
  float p = 0.17087277f;
  p = std::fma(p, t, -0.82215223f);
  p = std::fma(p, t, 1.48851587f);
  p = std::fma(p, t, -1.13520398f);
  p = std::fma(p, t, 0.27886807f);
  p = std::fma(p, t, -0.18628806f);
  p = std::fma(p, t, 0.09678418f);
  p = std::fma(p, t, 0.37409196f);
  p = std::fma(p, t, 1.00002368f);
  p = std::fma(p, t, -1.26551223f);
  return t * fast_exp(-hi) * fast_exp(p - lo);
}

// erfc z in float for any z, relative error ≤ 5e-7 where erfc z is a normal float; erfc(−|z|) = 2 − erfc |z|.
inline float fast_erfc(float z) {
  const float az = std::fabs(z) > 10.5f ? 10.5f : std::fabs(z);  // erfc 10.5 rounds to 0 (NaN passes)
  const float hi = az * az, lo = std::fma(az, az, -hi);
  const float r = erfc_positive(1.f / std::fma(0.5f, az, 1.f), hi, lo);
  return z >= 0.f ? r : 2.f - r;  // NaN: r is NaN and so is 2 − r
}

// Φ(x) = P(N(0,1) ≤ x) = ½·erfc(−x/√2) in float, relative error ≤ 1e-6 wherever Φ(x) is a normal float.
// z² = x²/2 is formed from x (exactly, as hi + lo) rather than from the rounded x/√2, whose rounding error
// would be amplified 2z² times in the tail (to ~1e-5 at x = −12).
inline float fast_normal_cdf(float x) {
  constexpr float kSqrt1_2 = 0.70710678118654752440f;
  const float ax = std::fabs(x) > 14.9f ? 14.9f : std::fabs(x);  // Φ(−14.9) rounds to 0 (NaN passes)
  const float hi = ax * ax, lo = std::fma(ax, ax, -hi);
  const float r = erfc_positive(1.f / std::fma(0.5f * kSqrt1_2, ax, 1.f), 0.5f * hi, 0.5f * lo);
  return 0.5f * (x <= 0.f ? r : 2.f - r);
}

}  // namespace attn::kernels
