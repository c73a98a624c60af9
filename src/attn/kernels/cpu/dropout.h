// attn/kernels/cpu/dropout.h — inverted dropout given its keep-mask: y = x ⊙ mask · scale (STYLE P3).
//
// The mask (1 = keep) is drawn by the op from an attn::Generator, in row-major order, so a seed gives the
// same mask for every thread count; these loops only apply it.
#pragma once

#include <cstdint>

#include "attn/kernels/cpu/elementwise.h"

namespace attn::kernels {

// out[i] = mask[i] ? x[i]·scale : x[i]·0 — out, x, mask: (n). x·0 keeps NaN/inf as NaN, as torch's x * mask
// does.
template <typename T>
void dropout_forward(T* out, const T* x, const uint8_t* mask, int64_t n, T scale) {
  parallel_for(n, kElementwiseGrain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) out[i] = x[i] * (static_cast<T>(mask[i]) * scale);
  });
}

// Inverts `out[i] = x[i]·mask[i]·scale`: dx[i] += dout[i]·mask[i]·scale — dx, dout, mask: (n)
template <typename T>
void dropout_backward(T* dx, const T* dout, const uint8_t* mask, int64_t n, T scale) {
  parallel_for(n, kElementwiseGrain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) dx[i] += dout[i] * (static_cast<T>(mask[i]) * scale);
  });
}

}  // namespace attn::kernels
