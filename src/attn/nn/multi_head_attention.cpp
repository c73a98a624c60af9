// nn::MultiHeadAttention — project, split into heads, scaled dot-product attention, merge, project.
#include "attn/nn/multi_head_attention.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "attn/autograd/grad_mode.h"
#include "attn/nn/attention.h"
#include "attn/nn/init.h"
#include "attn/ops/join.h"
#include "attn/ops/matmul.h"
#include "attn/ops/shape.h"
#include "attn/tensor/creation.h"

namespace attn::nn {

MultiHeadAttention::MultiHeadAttention(int64_t E, int64_t H, double p, bool bias, Generator& gen)
    : embed_dim(E),
      num_heads(H),
      head_dim(H > 0 ? E / H : 0),
      dropout(p),
      q_proj(E, E, bias, gen),
      k_proj(E, E, bias, gen),
      v_proj(E, E, bias, gen),
      out_proj(E, E, bias, gen),
      gen_(&gen) {
  ATTN_CHECK(H > 0 && E % H == 0, "MultiHeadAttention: embed_dim {} must be divisible by num_heads {}", E, H);
  register_module("q_proj", q_proj);
  register_module("k_proj", k_proj);
  register_module("v_proj", v_proj);
  register_module("out_proj", out_proj);
  // torch: xavier_uniform_(in_proj_weight (3E, E)) → bound √(6 / (E + 3E)); constant_(in_proj_bias, 0);
  // constant_(out_proj.bias, 0) (MultiheadAttention._reset_parameters).
  const double bound = std::sqrt(6.0 / static_cast<double>(4 * E));
  for (Linear* l : {&q_proj, &k_proj, &v_proj}) {
    init::uniform_(l->weight, -bound, bound, gen);
    if (l->bias.defined()) init::zeros_(l->bias);
  }
  if (out_proj.bias.defined()) init::zeros_(out_proj.bias);
}

Tensor MultiHeadAttention::split_heads(const Tensor& x) const {
  ATTN_CHECK(x.dim() == 3 && x.size(2) == embed_dim, "MultiHeadAttention: expected (B, T, {}), got {}",
             embed_dim, shape_str(x.shape()));
  return transpose(reshape(x, {x.size(0), x.size(1), num_heads, head_dim}), 1, 2);  // (B, H, T, D)
}

Tensor MultiHeadAttention::merge_heads(const Tensor& x) const {
  return reshape(contiguous(transpose(x, 1, 2)), {x.size(0), x.size(2), embed_dim});  // (B, T, E)
}

MultiHeadAttentionOutput MultiHeadAttention::forward(const Tensor& query, const Tensor& key,
                                                     const Tensor& value, const Tensor& mask, KVCache* cache,
                                                     bool static_kv) {
  ATTN_CHECK(query.dim() == 3 && key.dim() == 3 && value.dim() == 3,
             "MultiHeadAttention: expected query, key, value of shape (B, T, E), got {}, {}, {}",
             shape_str(query.shape()), shape_str(key.shape()), shape_str(value.shape()));
  Tensor q = split_heads(q_proj.forward(query));  // (B, H, Tq, D)
  Tensor k, v;                                    // (B, H, Tk, D)
  if (cache != nullptr && static_kv && cache->k.defined()) {
    k = cache->k, v = cache->v;  // cross-attention: the memory's keys/values were projected on step 0
  } else {
    k = split_heads(k_proj.forward(key));
    v = split_heads(v_proj.forward(value));
    if (cache != nullptr && !static_kv && cache->k.defined()) {
      k = cat({cache->k, k}, 2);  // self-attention: all steps so far, then this one
      v = cat({cache->v, v}, 2);
    }
    if (cache != nullptr) cache->k = k, cache->v = v;
  }
  const bool fast = !GradMode::is_enabled() && !(is_training() && dropout > 0) && q.dtype() == DType::F32 &&
                    (!mask.defined() || mask.dtype() == DType::Bool);
  auto [o, w] = fast ? fused_attention_inference(q, k, v, mask)
                     : scaled_dot_product_attention(q, k, v, mask, dropout, is_training(), *gen_);
  return {out_proj.forward(merge_heads(o)), w};  // (B, Tq, E), (B, H, Tq, Tk)
}

AttentionOutput fused_attention_inference(const Tensor& q, const Tensor& k, const Tensor& v,
                                          const Tensor& mask) {
  ATTN_CHECK(
      q.dtype() == DType::F32 && q.dim() == 4 && k.dim() == 4 && q.size(-1) == k.size(-1),
      "fused_attention_inference: expected float32 q (B, H, Tq, D) and k (B, H, Tk, D), got {} {} and {}",
      dtype_name(q.dtype()), shape_str(q.shape()), shape_str(k.shape()));
  NoGradGuard no_grad;
  Tensor scores = contiguous(matmul(q, transpose(k, -2, -1)));  // (B, H, Tq, Tk)
  const int64_t Tk = scores.size(-1), rows = scores.numel() / std::max<int64_t>(Tk, 1);
  Tensor m = mask.defined() ? contiguous(expand(mask, scores.shape())) : Tensor();  // (B, H, Tq, Tk) Bool
  const auto* keep = m.defined() ? static_cast<const uint8_t*>(m.data_ptr()) : nullptr;
  float* s = scores.data<float>();
  const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(q.size(-1))));
  for (int64_t r = 0; r < rows; ++r) {  // p = softmax(where(keep, s / √d_k, −inf)) along the row
    float* row = s + r * Tk;
    const uint8_t* kr = keep ? keep + r * Tk : nullptr;
    float mx = -std::numeric_limits<float>::infinity();
    for (int64_t j = 0; j < Tk; ++j) {
      row[j] = (kr && !kr[j]) ? -std::numeric_limits<float>::infinity() : row[j] * scale;
      mx = std::max(mx, row[j]);
    }
    if (mx == -std::numeric_limits<float>::infinity()) {  // every key masked: NaN, as torch and the oracle
      std::fill(row, row + Tk, std::numeric_limits<float>::quiet_NaN());
      continue;
    }
    double sum = 0;
    for (int64_t j = 0; j < Tk; ++j) sum += row[j] = std::exp(row[j] - mx);
    const auto inv = static_cast<float>(1.0 / sum);
    for (int64_t j = 0; j < Tk; ++j) row[j] *= inv;
  }
  return {matmul(scores, v), scores};  // (B, H, Tq, Dv), (B, H, Tq, Tk)
}

std::map<std::string, Tensor> unpack_in_proj(const std::map<std::string, Tensor>& sd) {
  std::map<std::string, Tensor> out;
  for (const auto& [name, t] : sd) {
    const bool is_w = name.ends_with("in_proj_weight"), is_b = name.ends_with("in_proj_bias");
    if (!is_w && !is_b) {
      out[name] = t;
      continue;
    }
    const std::string prefix = name.substr(0, name.size() - (is_w ? 14 : 12));
    ATTN_CHECK(t.size(0) % 3 == 0, "unpack_in_proj: {} has {} rows, not a multiple of 3", name, t.size(0));
    const int64_t E = t.size(0) / 3;
    const char* names[3] = {"q_proj", "k_proj", "v_proj"};
    for (int64_t i = 0; i < 3; ++i) {
      out[prefix + names[i] + (is_w ? ".weight" : ".bias")] = contiguous(narrow(t, 0, i * E, E));
    }
  }
  return out;
}

Tensor padding_mask(const Tensor& ids, int64_t pad_id) {
  ATTN_CHECK(ids.dim() == 2 && ids.dtype() == DType::I64,
             "padding_mask: expected int64 ids (B, T), got {} {}", dtype_name(ids.dtype()),
             shape_str(ids.shape()));
  const auto v = to_vector<int64_t>(ids);
  std::vector<uint8_t> m(v.size());
  for (size_t i = 0; i < v.size(); ++i) m[i] = v[i] != pad_id ? 1 : 0;
  return bool_tensor(m, {ids.size(0), 1, 1, ids.size(1)});
}

Tensor causal_mask(int64_t T) {
  std::vector<uint8_t> m(static_cast<size_t>(T * T));
  for (int64_t i = 0; i < T; ++i)
    for (int64_t j = 0; j < T; ++j) m[i * T + j] = j <= i ? 1 : 0;
  return bool_tensor(m, {1, 1, T, T});
}

Tensor combine_masks(const Tensor& a, const Tensor& b) {
  if (!a.defined()) return b;
  if (!b.defined()) return a;
  ATTN_CHECK(a.dtype() == DType::Bool && b.dtype() == DType::Bool && a.dim() == b.dim(),
             "combine_masks: expected two Bool masks of equal rank, got {} {} and {} {}",
             dtype_name(a.dtype()), shape_str(a.shape()), dtype_name(b.dtype()), shape_str(b.shape()));
  Shape s(a.shape());
  for (int64_t d = 0; d < a.dim(); ++d) {
    ATTN_CHECK(a.size(d) == b.size(d) || a.size(d) == 1 || b.size(d) == 1,
               "combine_masks: shapes {} and {} do not broadcast", shape_str(a.shape()),
               shape_str(b.shape()));
    s[d] = std::max(a.size(d), b.size(d));
  }
  const auto av = to_vector<int64_t>(expand(a, s)), bv = to_vector<int64_t>(expand(b, s));
  std::vector<uint8_t> m(av.size());
  for (size_t i = 0; i < m.size(); ++i) m[i] = av[i] != 0 && bv[i] != 0 ? 1 : 0;
  return bool_tensor(m, s);
}

}  // namespace attn::nn
