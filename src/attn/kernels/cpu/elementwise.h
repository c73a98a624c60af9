// attn/kernels/cpu/elementwise.h — elementwise kernels over broadcast layouts.
//
// binary_map writes out[i] = f(a[i], b[i]) for a contiguous `out` of `shape`, where a and b are read through
// element strides already expanded to `shape` (stride 0 on broadcast dimensions). The inner dimension gets
// branch-free loops for the common cases (both contiguous; one a broadcast scalar row), which the compiler
// vectorises. unary_map is the one-input version over contiguous memory.
#pragma once

#include <cstdint>
#include <vector>

#include "attn/kernels/cpu/parallel.h"

namespace attn::kernels {

constexpr int64_t kElementwiseGrain = 1 << 15;

// out[i] = f(x[i]) for i in [0, n)  — x, out: (n)
template <typename T, typename U, typename F>
void unary_map(U* out, const T* x, int64_t n, F f) {
  parallel_for(n, kElementwiseGrain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) out[i] = f(x[i]);
  });
}

// out[i] = f(a[i], b[i]) over `shape`; a, b strided (element strides sa, sb, possibly 0); out contiguous.
template <typename T, typename U, typename F>
void binary_map(U* out, const T* a, const std::vector<int64_t>& sa, const T* b,
                const std::vector<int64_t>& sb, const std::vector<int64_t>& shape, F f) {
  const int64_t nd = static_cast<int64_t>(shape.size());
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  if (n == 0) return;
  if (nd == 0) {
    out[0] = f(a[0], b[0]);
    return;
  }
  const int64_t inner = shape[nd - 1], ia = sa[nd - 1], ib = sb[nd - 1];
  const int64_t rows = n / inner;
  parallel_for(rows, std::max<int64_t>(1, kElementwiseGrain / inner), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      // Offsets of row r in a and b (row-major over the outer dimensions).
      int64_t oa = 0, ob = 0, rem = r;
      for (int64_t d = nd - 2; d >= 0; --d) {
        const int64_t i = rem % shape[d];
        rem /= shape[d];
        oa += i * sa[d];
        ob += i * sb[d];
      }
      U* o = out + r * inner;
      const T* pa = a + oa;
      const T* pb = b + ob;
      if (ia == 1 && ib == 1) {
        for (int64_t k = 0; k < inner; ++k) o[k] = f(pa[k], pb[k]);
      } else if (ia == 1 && ib == 0) {
        const T vb = pb[0];
        for (int64_t k = 0; k < inner; ++k) o[k] = f(pa[k], vb);
      } else if (ia == 0 && ib == 1) {
        const T va = pa[0];
        for (int64_t k = 0; k < inner; ++k) o[k] = f(va, pb[k]);
      } else {
        for (int64_t k = 0; k < inner; ++k) o[k] = f(pa[k * ia], pb[k * ib]);
      }
    }
  });
}

}  // namespace attn::kernels
