// attn/nn/rnn_attention.h — the attention of RNN encoder–decoders: one decoder query attends over the
// encoder's hidden states h_s (keys = values) of a padded batch.
//
//   Bahdanau et al. 2015 ("additive", §3.1 and A.1.2):   e_s = vᵀ tanh(W q + U h_s + b)
//   Luong et al. 2015 ("multiplicative", §3.1):           e_s = qᵀ h_s (dot)   or   qᵀ W_a h_s (general)
//   both:  a = softmax over the real source positions of e,   context c = Σ_s a_s h_s
//
// The key-side projection (U h_s + b, or W_a h_s) depends only on the source, so it is computed once per
// sentence (project_keys) and reused at every decoder step. The score functions are free functions on
// explicit weights (any floating dtype: the float64 gradient checks call them directly); the modules own
// the weights and call them.
//
//   nn::BahdanauAttention att(256, 512, 256);              // query (decoder) 256, keys 512, attention 256
//   Tensor pk = att.project_keys(keys);                    // keys (B, S, 512) → (B, S, 256), once
//   auto [context, weights] = att.forward(q, keys, pk, mask);   // q (B, 256) → (B, 512), (B, S)
#pragma once

#include "attn/core/rng.h"
#include "attn/nn/linear.h"
#include "attn/nn/module.h"

namespace attn::nn {

struct ContextOutput {
  Tensor context;  // (B, K) = Σ_s a_s h_s
  Tensor weights;  // (B, S) the attention distribution a (zero at padded positions)
};

// Bool (B, S): true at s < lengths[b] (the real source positions).
Tensor length_mask(const std::vector<int64_t>& lengths, int64_t S);

// e (B, S) = vᵀ tanh(q W_qᵀ + pk):  query (B, Q), proj_keys (B, S, A) = U h_s + b, w_query (A, Q), v (1, A).
Tensor additive_scores(const Tensor& query, const Tensor& proj_keys, const Tensor& w_query, const Tensor& v);
// e (B, S) = Σ_k q_k · pk_{s,k}:  query (B, Q), proj_keys (B, S, Q) (h_s for dot, h_s W_aᵀ for general).
Tensor dot_scores(const Tensor& query, const Tensor& proj_keys);
// a = softmax(e) with −∞ at the positions where mask (B, S) is false (mask undefined: all real);
// context = a · values, values (B, S, K).
ContextOutput attend(const Tensor& scores, const Tensor& values, const Tensor& mask);

// Parameters: key_proj (U, with bias b): (A, K); query_proj (W, no bias): (A, Q); energy (v, no bias): (1,
// A). Initialised as torch.nn.Linear.
class BahdanauAttention : public Module {
 public:
  BahdanauAttention(int64_t query_size, int64_t key_size, int64_t attention_size,
                    Generator& gen = default_generator());
  std::string type_name() const override { return "BahdanauAttention"; }
  Tensor project_keys(const Tensor& keys) const;  // (B, S, K) → (B, S, A)
  ContextOutput forward(const Tensor& query, const Tensor& keys, const Tensor& proj_keys,
                        const Tensor& mask) const;
  Linear key_proj, query_proj, energy;
};

enum class LuongScore { Dot, General };

// dot: no parameters (needs query size == key size); general: linear_in (W_a, no bias): (Q, K).
class LuongAttention : public Module {
 public:
  LuongAttention(LuongScore score, int64_t query_size, int64_t key_size,
                 Generator& gen = default_generator());
  std::string type_name() const override { return "LuongAttention"; }
  Tensor project_keys(const Tensor& keys) const;  // (B, S, K) → (B, S, Q): h_s W_aᵀ (general) or h_s (dot)
  ContextOutput forward(const Tensor& query, const Tensor& keys, const Tensor& proj_keys,
                        const Tensor& mask) const;
  LuongScore score;
  int64_t query_size, key_size;
  std::shared_ptr<Linear> linear_in;  // general only
};

}  // namespace attn::nn
