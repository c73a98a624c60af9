// attn/nn/multi_head_attention.h — multi-head attention (Vaswani et al. 2017, §3.2.2), the attention masks
// of the Transformer (padding, causal, combined) and the key/value cache of incremental decoding.
//
// MultiHead(Q, K, V) = Concat(head_1, …, head_h) W^O,  head_i = Attention(Q W_i^Q, K W_i^K, V W_i^V)
// Built on nn::scaled_dot_product_attention (attention.h); used by nn/transformer_layers and the models.
#pragma once

#include "attn/core/rng.h"
#include "attn/nn/attention.h"
#include "attn/nn/linear.h"
#include "attn/nn/module.h"

namespace attn::nn {

// Keys and values of the steps seen so far, (B, H, T, D) each; undefined before the first step.
struct KVCache {
  Tensor k, v;
};

struct MultiHeadAttentionOutput {
  Tensor output;   // (B, Tq, E)
  Tensor weights;  // (B, H, Tq, Tk), before dropout (for pictures)
};

// Separate Q/K/V projections (q_proj, k_proj, v_proj) and the output projection out_proj, each an
// nn::Linear of (E, E). torch.nn.MultiheadAttention packs the first three into one parameter:
//   in_proj_weight (3E, E) = [q_proj.weight; k_proj.weight; v_proj.weight]   (rows 0:E, E:2E, 2E:3E)
//   in_proj_bias   (3E)    = [q_proj.bias;   k_proj.bias;   v_proj.bias]
//   out_proj.weight / out_proj.bias are the same keys.
// unpack_in_proj() below performs exactly this split on a torch state dict.
// https://pytorch.org/docs/1.13/generated/torch.nn.MultiheadAttention.html (batch_first=True layout)
class MultiHeadAttention : public Module {
 public:
  // dropout: on the attention probabilities (torch's `dropout` argument). Initialisation is torch's:
  // xavier_uniform_ over the packed (3E, E) matrix (so U(±√(6/4E)) per projection), zero biases for
  // the input projections and for out_proj, out_proj.weight as nn.Linear.
  MultiHeadAttention(int64_t embed_dim, int64_t num_heads, double dropout = 0.0, bool bias = true,
                     Generator& gen = default_generator());
  std::string type_name() const override { return "MultiHeadAttention"; }

  // query: (B, Tq, E), key/value: (B, Tk, E); mask: Bool broadcastable to (B, H, Tq, Tk), true = attend
  // (see padding_mask / causal_mask below), or undefined.
  // With a cache: static_kv = false (decoder self-attention) appends this call's keys/values to the cache
  // and attends over all of them; static_kv = true (cross-attention) projects key/value once, on the first
  // call, and reuses them afterwards.
  MultiHeadAttentionOutput forward(const Tensor& query, const Tensor& key, const Tensor& value,
                                   const Tensor& mask = Tensor(), KVCache* cache = nullptr,
                                   bool static_kv = false);

  Tensor split_heads(const Tensor& x) const;  // (B, T, E) → (B, H, T, D), D = E / H
  Tensor merge_heads(const Tensor& x) const;  // (B, H, T, D) → (B, T, E)

  int64_t embed_dim, num_heads, head_dim;
  double dropout;
  Linear q_proj, k_proj, v_proj, out_proj;

 private:
  Generator* gen_;
};

// The inference fast path of scaled_dot_product_attention (attention.h), same contract, float32 only:
// one pass per score row fuses the 1/√d_k scale, the Bool mask (−inf) and the softmax in place, and no
// autograd graph is recorded. MultiHeadAttention uses it when grad mode is off and dropout is inactive;
// tests check it against the composed version, which stays the oracle (STYLE P5).
AttentionOutput fused_attention_inference(const Tensor& q, const Tensor& k, const Tensor& v,
                                          const Tensor& mask);

// Rewrites torch.nn.MultiheadAttention keys in a state dict: every "<p>in_proj_weight" / "<p>in_proj_bias"
// becomes "<p>q_proj.weight", "<p>k_proj.weight", "<p>v_proj.weight" (and .bias) — rows split in thirds;
// every other key is kept.
std::map<std::string, Tensor> unpack_in_proj(const std::map<std::string, Tensor>& torch_state_dict);

// ---- masks: Bool, true = the key takes part (scaled_dot_product_attention's convention) ----

// ids: int64 (B, T) → (B, 1, 1, T), false at [PAD]: no query attends to padding (torch's key_padding_mask
// with the opposite sign).
Tensor padding_mask(const Tensor& ids, int64_t pad_id);
// (1, 1, T, T), true on and below the diagonal: step i sees steps 0…i only (the decoder's "masking … ensures
// that the predictions for position i can depend only on the known outputs at positions less than i",
// §3.2.3).
Tensor causal_mask(int64_t T);
// a ∧ b, broadcast together (e.g. padding (B, 1, 1, T) ∧ causal (1, 1, T, T) → (B, 1, T, T)).
Tensor combine_masks(const Tensor& a, const Tensor& b);

}  // namespace attn::nn
