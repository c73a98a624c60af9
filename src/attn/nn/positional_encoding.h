// attn/nn/positional_encoding.h — where a token sits in the sequence, added to its embedding: the paper's
// fixed sinusoids (Vaswani et al. 2017, §3.5) and a learned table (BERT/GPT style).
//
// The model adds them to the token embeddings scaled by √d_model (models/transformer.cpp), then applies
// dropout (§5.4 "we apply dropout to the sums of the embeddings and the positional encodings").
#pragma once

#include "attn/core/rng.h"
#include "attn/nn/dropout.h"
#include "attn/nn/module.h"

namespace attn::nn {

// The interface the Transformer holds: y = dropout(x + P[offset : offset + T]).
class PositionalEncoding : public Module {
 public:
  // x: (B, T, C) → (B, T, C); `offset` is the position of x's first step (incremental decoding).
  virtual Tensor forward(const Tensor& x, int64_t offset = 0) = 0;
  // The encodings of positions [0, length): (length, C), without dropout (for pictures).
  virtual Tensor table(int64_t length) const = 0;
};

// PE(pos, 2i) = sin(pos / 10000^(2i/d_model)), PE(pos, 2i+1) = cos(pos / 10000^(2i/d_model))  (§3.5)
// Values lie in [-1, 1]. The table is recomputed, not a state-dict entry (torch.nn.Transformer has none, and
// the Annotated Transformer's buffer only repeats these formulae).
class SinusoidalPositionalEncoding : public PositionalEncoding {
 public:
  SinusoidalPositionalEncoding(int64_t d_model, double dropout = 0.0, int64_t max_len = 5000,
                               Generator& gen = default_generator());
  std::string type_name() const override { return "SinusoidalPositionalEncoding"; }
  Tensor forward(const Tensor& x, int64_t offset = 0) override;
  Tensor table(int64_t length) const override;

  int64_t d_model, max_len;
  Dropout dropout;

 private:
  Tensor pe_;  // (max_len, d_model), F32
};

// A trained (max_len, d_model) table, N(0, 1) initialised as nn.Embedding; key "weight".
class LearnedPositionalEncoding : public PositionalEncoding {
 public:
  LearnedPositionalEncoding(int64_t d_model, double dropout = 0.0, int64_t max_len = 512,
                            Generator& gen = default_generator());
  std::string type_name() const override { return "LearnedPositionalEncoding"; }
  Tensor forward(const Tensor& x, int64_t offset = 0) override;
  Tensor table(int64_t length) const override;

  int64_t d_model, max_len;
  Tensor weight;  // (max_len, d_model)
  Dropout dropout;
};

// The sinusoid table alone: (length, d_model), F32 (used by SinusoidalPositionalEncoding and `attn viz`).
Tensor sinusoid_table(int64_t length, int64_t d_model);

}  // namespace attn::nn
