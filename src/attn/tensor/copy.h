// attn/tensor/copy.h — element copies between layouts and dtypes (no autograd; ops/ wraps what needs it).
//
// These are the only places where a strided view is walked element by element: copy_ for any two layouts
// of one shape, contiguous_copy for "make it row-major", convert for dtype changes (F16/BF16 → F32 as
// read from checkpoints, F32 ↔ F64 for gradient checks, integer ↔ float).
#pragma once

#include <cstdint>

#include "attn/tensor/tensor.h"

namespace attn {

// dst[i] = src[i] for every index; shapes must match; dtypes may differ (converted as static_cast).
void copy_(const Tensor& dst, const Tensor& src);
// A fresh row-major tensor with the same values and dtype.
Tensor contiguous_copy(const Tensor& src);
// A fresh row-major tensor with the values converted to `dtype`.
Tensor convert(const Tensor& src, DType dtype);

// IEEE half and bfloat16 bit patterns → float (exact; subnormals, inf and NaN included).
float half_to_float(uint16_t h);
float bfloat16_to_float(uint16_t b);
uint16_t float_to_half(float f);      // round to nearest even
uint16_t float_to_bfloat16(float f);  // round to nearest even

// Calls f(dst_index, src_index) for every element of `shape`, walking two strided layouts in row-major order.
template <typename F>
void for_each_strided(const Shape& shape, const Strides& a, int64_t a_off, const Strides& b, int64_t b_off,
                      F&& f) {
  const int64_t n = numel(shape);
  if (n == 0) return;
  const int64_t nd = static_cast<int64_t>(shape.size());
  if (nd == 0) {
    f(a_off, b_off);
    return;
  }
  const int64_t inner = shape[nd - 1], sa = a[nd - 1], sb = b[nd - 1];
  std::vector<int64_t> idx(nd, 0);
  int64_t ia = a_off, ib = b_off;
  for (int64_t done = 0; done < n; done += inner) {
    for (int64_t k = 0; k < inner; ++k) f(ia + k * sa, ib + k * sb);
    // Advance the outer index like an odometer.
    for (int64_t d = nd - 2; d >= 0; --d) {
      ia += a[d];
      ib += b[d];
      if (++idx[d] < shape[d]) break;
      ia -= a[d] * shape[d];
      ib -= b[d] * shape[d];
      idx[d] = 0;
    }
  }
}

}  // namespace attn
