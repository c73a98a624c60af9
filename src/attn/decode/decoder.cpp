// decode::Decoder — the default reorder (gather rows of every state tensor).
#include "attn/decode/decoder.h"

#include <cstring>

#include "attn/ops/shape.h"
#include "attn/tensor/creation.h"

namespace attn::decode {

Tensor index_rows(const Tensor& x, const std::vector<int64_t>& indices) {
  ATTN_CHECK(x.dim() >= 1, "index_rows: expected a tensor with a first dimension, got {}",
             shape_str(x.shape()));
  const Tensor src = contiguous(x.detach());
  const int64_t N = src.size(0);
  const size_t row = static_cast<size_t>(N > 0 ? src.numel() / N : 0) * dtype_size(src.dtype());
  Shape shape = src.shape();
  shape[0] = static_cast<int64_t>(indices.size());
  Tensor out = empty(shape, src.dtype());
  const auto* in = static_cast<const char*>(src.data_ptr());
  auto* dst = static_cast<char*>(out.data_ptr());
  for (size_t i = 0; i < indices.size(); ++i) {
    ATTN_CHECK(indices[i] >= 0 && indices[i] < N, "index_rows: index {} out of range [0, {})", indices[i], N);
    std::memcpy(dst + i * row, in + indices[i] * row, row);
  }
  return out;
}

void Decoder::reorder(State& state, const Tensor& beam_indices) {
  const auto idx = to_vector<int64_t>(beam_indices);
  for (auto& [name, t] : state.tensors) t = index_rows(t, idx);
}

}  // namespace attn::decode
