// Reduction kernels: sum/mean (reference and vectorised float) and max with indices.
#include "attn/kernels/cpu/reduce.h"

#include <algorithm>
#include <vector>

#include "attn/kernels/cpu/parallel.h"

namespace attn::kernels {

namespace {
// Accumulator type: exact int64 for integers, double for floating point.
template <typename T>
using Acc = std::conditional_t<std::is_integral_v<T>, int64_t, double>;

constexpr int64_t kGrainElements = 1 << 15;  // below this many elements per thread, stay serial
constexpr int64_t kChunk = 1 << 16;          // one long row is summed in chunks of this many elements
constexpr int64_t kBlock = 256;              // columns per work item when inner > 1

template <typename T>
bool is_nan(T v) {
  if constexpr (std::is_floating_point_v<T>) {
    return v != v;
  } else {
    return false;
  }
}
}  // namespace

template <typename T>
void sum_forward_reference(T* out, const T* x, int64_t outer, int64_t R, int64_t inner, bool mean) {
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      Acc<T> acc = 0;
      for (int64_t r = 0; r < R; ++r) acc += x[(o * R + r) * inner + i];
      out[o * inner + i] = mean ? static_cast<T>(acc / static_cast<Acc<T>>(R)) : static_cast<T>(acc);
    }
  }
}

template void sum_forward_reference<float>(float*, const float*, int64_t, int64_t, int64_t, bool);
template void sum_forward_reference<double>(double*, const double*, int64_t, int64_t, int64_t, bool);
template void sum_forward_reference<int64_t>(int64_t*, const int64_t*, int64_t, int64_t, int64_t, bool);

namespace {
double row_sum(const float* x, int64_t n) {
  double s = 0;
#pragma omp simd reduction(+ : s)
  for (int64_t k = 0; k < n; ++k) s += x[k];
  return s;
}

// Σ of one long row: fixed chunks summed in parallel, then added in chunk order.
double long_row_sum(const float* x, int64_t R) {
  const int64_t chunks = (R + kChunk - 1) / kChunk;
  std::vector<double> partial(static_cast<size_t>(chunks));
  parallel_for(chunks, 2, [&](int64_t c0, int64_t c1) {
    for (int64_t c = c0; c < c1; ++c) partial[c] = row_sum(x + c * kChunk, std::min(kChunk, R - c * kChunk));
  });
  double s = 0;
  for (double p : partial) s += p;
  return s;
}

// out[o, i0 : i0+w] for w ≤ kBlock neighbouring columns: Σ_r x[o, r, i], accumulated in double.
void column_block_sum(float* out, const float* x, int64_t R, int64_t inner, int64_t w, double scale) {
  double acc[kBlock] = {};
  for (int64_t r = 0; r < R; ++r) {
    const float* xr = x + r * inner;
#pragma omp simd
    for (int64_t k = 0; k < w; ++k) acc[k] += xr[k];
  }
  for (int64_t k = 0; k < w; ++k) out[k] = static_cast<float>(acc[k] * scale);
}
}  // namespace

void sum_forward_fast(float* out, const float* x, int64_t outer, int64_t R, int64_t inner, bool mean) {
  // mean divides in double: the same as torch's sum / R up to the final rounding to float.
  const double scale = mean ? 1.0 / static_cast<double>(R) : 1.0;
  if (inner == 1 && R >= 2 * kChunk && outer < 4) {
    for (int64_t o = 0; o < outer; ++o) out[o] = static_cast<float>(long_row_sum(x + o * R, R) * scale);
    return;
  }
  if (inner == 1) {
    parallel_for(outer, std::max<int64_t>(1, kGrainElements / std::max<int64_t>(R, 1)),
                 [&](int64_t o0, int64_t o1) {
                   for (int64_t o = o0; o < o1; ++o)
                     out[o] = static_cast<float>(row_sum(x + o * R, R) * scale);
                 });
    return;
  }
  const int64_t blocks = (inner + kBlock - 1) / kBlock;
  parallel_for(outer * blocks, std::max<int64_t>(1, kGrainElements / std::max<int64_t>(R * kBlock, 1)),
               [&](int64_t b0, int64_t b1) {
                 for (int64_t b = b0; b < b1; ++b) {
                   const int64_t o = b / blocks, i0 = (b % blocks) * kBlock;
                   column_block_sum(out + o * inner + i0, x + o * R * inner + i0, R, inner,
                                    std::min(kBlock, inner - i0), scale);
                 }
               });
}

template <typename T>
void max_forward(T* values, int64_t* indices, const T* x, int64_t outer, int64_t R, int64_t inner) {
  parallel_for(outer * inner, std::max<int64_t>(1, kGrainElements / std::max<int64_t>(R, 1)),
               [&](int64_t l0, int64_t l1) {
                 for (int64_t l = l0; l < l1; ++l) {
                   const int64_t o = l / inner, i = l % inner;
                   const T* line = x + o * R * inner + i;  // element r at line[r * inner]
                   T best = line[0];
                   int64_t arg = 0;
                   for (int64_t r = 1; r < R && !is_nan(best); ++r) {
                     const T v = line[r * inner];
                     if (is_nan(v) || v > best) {  // strictly greater: ties keep the first index
                       best = v;
                       arg = r;
                     }
                   }
                   values[l] = best;
                   indices[l] = arg;
                 }
               });
}

template <typename T>
void max_backward(T* dx, const T* dvalues, const int64_t* indices, int64_t outer, int64_t R, int64_t inner) {
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i)
      dx[(o * R + indices[o * inner + i]) * inner + i] += dvalues[o * inner + i];
}

template void max_forward<float>(float*, int64_t*, const float*, int64_t, int64_t, int64_t);
template void max_forward<double>(double*, int64_t*, const double*, int64_t, int64_t, int64_t);
template void max_forward<int64_t>(int64_t*, int64_t*, const int64_t*, int64_t, int64_t, int64_t);
template void max_backward<float>(float*, const float*, const int64_t*, int64_t, int64_t, int64_t);
template void max_backward<double>(double*, const double*, const int64_t*, int64_t, int64_t, int64_t);

}  // namespace attn::kernels
