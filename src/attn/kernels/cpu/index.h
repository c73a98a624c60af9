// attn/kernels/cpu/index.h — selection by a boolean condition over broadcast layouts (where, masked_fill).
//
// Like binary_map (elementwise.h): out is contiguous of `shape`; cond, a and b are read through element
// strides already expanded to `shape` (0 on broadcast dimensions, so a scalar fill value is a stride-0
// tensor).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "attn/kernels/cpu/parallel.h"

namespace attn::kernels {

// out[i] = cond[i] ? a[i] : b[i] over `shape` — cond (Bool bytes), a, b: strided; out: contiguous
template <typename T>
void where_forward(T* out, const uint8_t* cond, const std::vector<int64_t>& sc, const T* a,
                   const std::vector<int64_t>& sa, const T* b, const std::vector<int64_t>& sb,
                   const std::vector<int64_t>& shape) {
  const int64_t nd = static_cast<int64_t>(shape.size());
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  if (n == 0) return;
  if (nd == 0) {
    out[0] = cond[0] ? a[0] : b[0];
    return;
  }
  const int64_t inner = shape[nd - 1], ic = sc[nd - 1], ia = sa[nd - 1], ib = sb[nd - 1];
  parallel_for(n / inner, std::max<int64_t>(1, (1 << 15) / inner), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      int64_t oc = 0, oa = 0, ob = 0, rem = r;  // offsets of row r (row-major over the outer dimensions)
      for (int64_t d = nd - 2; d >= 0; --d) {
        const int64_t i = rem % shape[d];
        rem /= shape[d];
        oc += i * sc[d];
        oa += i * sa[d];
        ob += i * sb[d];
      }
      T* o = out + r * inner;
      for (int64_t k = 0; k < inner; ++k) o[k] = cond[oc + k * ic] ? a[oa + k * ia] : b[ob + k * ib];
    }
  });
}

}  // namespace attn::kernels
