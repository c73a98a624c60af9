// Bahdanau (additive) and Luong (dot / general) attention over RNN encoder states, composed from ops.
#include "attn/nn/rnn_attention.h"

#include <limits>

#include "attn/ops.h"

namespace attn::nn {

Tensor length_mask(const std::vector<int64_t>& lengths, int64_t S) {
  const auto B = static_cast<int64_t>(lengths.size());
  std::vector<uint8_t> m(static_cast<size_t>(B * S));
  for (int64_t b = 0; b < B; ++b)
    for (int64_t s = 0; s < S; ++s) m[b * S + s] = s < lengths[b] ? 1 : 0;
  return bool_tensor(m, {B, S});
}

Tensor additive_scores(const Tensor& query, const Tensor& proj_keys, const Tensor& w_query, const Tensor& v) {
  ATTN_CHECK(query.dim() == 2 && proj_keys.dim() == 3 && proj_keys.size(0) == query.size(0) &&
                 w_query.dim() == 2 && w_query.size(1) == query.size(1) &&
                 w_query.size(0) == proj_keys.size(2) && v.dim() == 2 && v.size(1) == w_query.size(0),
             "additive_scores: expected query (B, Q), proj_keys (B, S, A), w_query (A, Q), v (1, A), got {}, "
             "{}, {}, {}",
             shape_str(query.shape()), shape_str(proj_keys.shape()), shape_str(w_query.shape()),
             shape_str(v.shape()));
  const Tensor q = unsqueeze(linear(query, w_query), 1);  // (B, 1, A)
  const Tensor energy = tanh(add(proj_keys, q));          // (B, S, A)
  return squeeze(linear(energy, v), 2);                   // (B, S)
}

Tensor dot_scores(const Tensor& query, const Tensor& proj_keys) {
  ATTN_CHECK(query.dim() == 2 && proj_keys.dim() == 3 && proj_keys.size(0) == query.size(0) &&
                 proj_keys.size(2) == query.size(1),
             "dot_scores: expected query (B, Q) and keys (B, S, Q), got {} and {}", shape_str(query.shape()),
             shape_str(proj_keys.shape()));
  return squeeze(matmul(proj_keys, unsqueeze(query, 2)), 2);  // (B, S, Q) @ (B, Q, 1) → (B, S)
}

ContextOutput attend(const Tensor& scores, const Tensor& values, const Tensor& mask) {
  ATTN_CHECK(scores.dim() == 2 && values.dim() == 3 && values.size(0) == scores.size(0) &&
                 values.size(1) == scores.size(1),
             "attend: expected scores (B, S) and values (B, S, K), got {} and {}", shape_str(scores.shape()),
             shape_str(values.shape()));
  ATTN_CHECK(!mask.defined() || mask.shape() == scores.shape(), "attend: mask {} does not match scores {}",
             shape_str(mask.shape()), shape_str(scores.shape()));
  const Tensor e =
      mask.defined()
          ? where(mask, scores, full({1, 1}, -std::numeric_limits<double>::infinity(), scores.dtype()))
          : scores;
  const Tensor a = softmax(e, 1);                                      // (B, S)
  const Tensor context = squeeze(matmul(unsqueeze(a, 1), values), 1);  // (B, 1, S) @ (B, S, K) → (B, K)
  return {context, a};
}

BahdanauAttention::BahdanauAttention(int64_t query_size, int64_t key_size, int64_t attention_size,
                                     Generator& gen)
    : key_proj(key_size, attention_size, true, gen),
      query_proj(query_size, attention_size, false, gen),
      energy(attention_size, 1, false, gen) {
  register_module("key_proj", key_proj);
  register_module("query_proj", query_proj);
  register_module("energy", energy);
}

Tensor BahdanauAttention::project_keys(const Tensor& keys) const { return key_proj.forward(keys); }

ContextOutput BahdanauAttention::forward(const Tensor& query, const Tensor& keys, const Tensor& proj_keys,
                                         const Tensor& mask) const {
  return attend(additive_scores(query, proj_keys, query_proj.weight, energy.weight), keys, mask);
}

LuongAttention::LuongAttention(LuongScore s, int64_t q, int64_t k, Generator& gen)
    : score(s), query_size(q), key_size(k) {
  ATTN_CHECK(s == LuongScore::General || q == k,
             "LuongAttention: the dot score needs equal query and key sizes, got {} and {} (use general)", q,
             k);
  if (s == LuongScore::General) {
    linear_in = std::make_shared<Linear>(k, q, false, gen);
    register_module("linear_in", *linear_in);
  }
}

Tensor LuongAttention::project_keys(const Tensor& keys) const {
  return score == LuongScore::General ? linear_in->forward(keys) : keys;
}

ContextOutput LuongAttention::forward(const Tensor& query, const Tensor& keys, const Tensor& proj_keys,
                                      const Tensor& mask) const {
  return attend(dot_scores(query, proj_keys), keys, mask);
}

}  // namespace attn::nn
