// Embedding gather / scatter-add (see embedding.h).
#include "attn/kernels/cpu/embedding.h"

#include <algorithm>

#include "attn/kernels/cpu/parallel.h"

namespace attn::kernels {

template <typename T>
void embedding_forward(T* out, const T* weight, const int64_t* ids, int64_t N, int64_t C) {
  parallel_for(N, std::max<int64_t>(1, (1 << 14) / std::max<int64_t>(C, 1)), [&](int64_t n0, int64_t n1) {
    for (int64_t n = n0; n < n1; ++n) std::copy_n(weight + ids[n] * C, C, out + n * C);
  });
}

template <typename T>
void embedding_backward(T* dweight, const T* dout, const int64_t* ids, int64_t N, int64_t C,
                        int64_t padding_idx) {
  // Threads own column ranges [c0, c1): every (row, column) is written by one thread, in order of n.
  const int64_t grain = std::max<int64_t>(16, (1 << 14) / std::max<int64_t>(N, 1));
  parallel_for(C, grain, [&](int64_t c0, int64_t c1) {
    for (int64_t n = 0; n < N; ++n) {
      if (ids[n] == padding_idx) continue;
      T* row = dweight + ids[n] * C;
      const T* g = dout + n * C;
      for (int64_t c = c0; c < c1; ++c) row[c] += g[c];
    }
  });
}

template void embedding_forward<float>(float*, const float*, const int64_t*, int64_t, int64_t);
template void embedding_forward<double>(double*, const double*, const int64_t*, int64_t, int64_t);
template void embedding_backward<float>(float*, const float*, const int64_t*, int64_t, int64_t, int64_t);
template void embedding_backward<double>(double*, const double*, const int64_t*, int64_t, int64_t, int64_t);

}  // namespace attn::kernels
