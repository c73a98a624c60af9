// attn/nn/attention.h — scaled dot-product attention, the core of every Transformer in attn (BERT, the
// encoder–decoder Transformer). A composition of ops (matmul, div, add/where, softmax, dropout), so its
// gradients come for free from autograd (STYLE P5); a fused kernel may replace it later, with this as oracle.
#pragma once

#include "attn/core/rng.h"
#include "attn/tensor/tensor.h"

namespace attn::nn {

struct AttentionOutput {
  Tensor output;   // (B, H, Tq, D)
  Tensor weights;  // (B, H, Tq, Tk): the softmax probabilities (before dropout)
};

// Attention(Q, K, V) = softmax(Q Kᵀ / √d_k + M) V        (Vaswani et al. 2017, eq. 1)
//
// q: (B, H, Tq, D), k: (B, H, Tk, D), v: (B, H, Tk, Dv); any leading dimensions that broadcast in matmul
// work (e.g. (B, Tq, D) without heads). d_k = D = q.size(-1).
// mask (optional), broadcastable to (B, H, Tq, Tk):
//   - DType::Bool: true = the key takes part, false = masked (torch.nn.functional.scaled_dot_product_
//     attention's convention); masked scores become −inf, so a row with every key masked is NaN, as in torch.
//   - floating (same dtype as q): added to the scores — HF BERT's "extended attention mask" holds 0 for
//     tokens and finfo(float32).min for [PAD], which gives exactly 0 probability without NaN rows.
// dropout_p > 0 with training = true drops attention probabilities (inverted dropout) before · V.
// https://pytorch.org/docs/2.1/generated/torch.nn.functional.scaled_dot_product_attention.html
AttentionOutput scaled_dot_product_attention(const Tensor& q, const Tensor& k, const Tensor& v,
                                             const Tensor& mask = Tensor(), double dropout_p = 0.0,
                                             bool training = false, Generator& gen = default_generator());

}  // namespace attn::nn
