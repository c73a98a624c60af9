// attn/kernels/cpu/embedding.h — row gather (embedding lookup) and its scatter-add backward (STYLE P3).
//
// Ids are validated by the op (ops/embedding.cpp) before they reach these kernels. The backward splits the
// columns, not the ids, across threads: a repeated id then never makes two threads add into one row, and
// the sums are the same for every thread count.
#pragma once

#include <cstdint>

namespace attn::kernels {

// out[n, :] = weight[ids[n], :] — out: (N, C), weight: (V, C), ids: (N)
template <typename T>
void embedding_forward(T* out, const T* weight, const int64_t* ids, int64_t N, int64_t C);

// Inverts `out[n, :] = weight[ids[n], :]`: dweight[ids[n], :] += dout[n, :] for every n with
// ids[n] != padding_idx (pass -1 for none) — dweight: (V, C), dout: (N, C), ids: (N)
template <typename T>
void embedding_backward(T* dweight, const T* dout, const int64_t* ids, int64_t N, int64_t C,
                        int64_t padding_idx);

}  // namespace attn::kernels
