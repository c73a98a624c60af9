// attn/models/transformer.h — the encoder–decoder Transformer of "Attention Is All You Need" (Vaswani et al.
// 2017): embeddings scaled by √d_model plus positional encodings, N encoder and N decoder layers
// (nn/transformer_layers.h), and the generator, a linear projection to target-vocabulary logits.
//
//   models::Transformer model({.src_vocab_size = 8000, .tgt_vocab_size = 8000});
//   Tensor logits = model.forward(src, tgt_in);            // (B, T, V)
//   Tensor loss = model.loss(src, tgt_in, tgt_out, 0.1);   // label-smoothed CE over non-[PAD] targets
// Decoding (greedy, beam search, KV cache) is in attn/decode, through decode_step() below.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "attn/nn/embedding.h"
#include "attn/nn/linear.h"
#include "attn/nn/positional_encoding.h"
#include "attn/nn/transformer_layers.h"

namespace attn::models {

// The one place hyperparameters live (STYLE P10). Defaults are the paper's base model (Table 3);
// ids default to text::Vocab's special tokens ([PAD] = 0, [BOS] = 5, [EOS] = 6).
struct TransformerConfig {
  int64_t src_vocab_size = 0, tgt_vocab_size = 0;
  int64_t d_model = 512, nhead = 8;
  int64_t num_encoder_layers = 6, num_decoder_layers = 6;
  int64_t dim_feedforward = 2048;
  double dropout = 0.1;
  nn::Activation activation = nn::Activation::ReLU;
  double layer_norm_eps = 1e-5;
  bool norm_first = false;         // pre-LN instead of the paper's post-LN
  bool share_embeddings = false;   // one embedding table for source and target (needs one vocabulary)
  bool tie_output = false;         // generator.weight = tgt_embed.weight (§3.4, Press & Wolf 2017)
  bool learned_positions = false;  // a learned table instead of the sinusoids
  int64_t max_len = 512;
  int64_t pad_id = 0, bos_id = 5, eos_id = 6;

  nn::TransformerLayerOptions layer_options() const;
  void to_json(nlohmann::json& j) const;
  static TransformerConfig from_json(const nlohmann::json& j);  // unknown keys and bad values are errors
};

// Attention probabilities of one forward pass, per layer: (B, H, Tq, Tk) each.
struct AttentionMaps {
  std::vector<Tensor> encoder_self, decoder_self, decoder_cross;
};

class Transformer : public nn::Module {
 public:
  explicit Transformer(const TransformerConfig& config, Generator& gen = default_generator());
  std::string type_name() const override { return "Transformer"; }

  // src: int64 (B, S) → memory (B, S, C). The source mask is padding_mask(src, pad_id).
  Tensor encode(const Tensor& src, AttentionMaps* maps = nullptr);
  // tgt: int64 (B, T) (starting with [BOS]) → decoder output (B, T, C) under the causal ∧ padding mask.
  Tensor decode(const Tensor& tgt, const Tensor& memory, const Tensor& src_mask,
                AttentionMaps* maps = nullptr);
  // logits (B, T, V) for the next token at each target position.
  Tensor forward(const Tensor& src, const Tensor& tgt, AttentionMaps* maps = nullptr);
  // Label-smoothed cross-entropy (torch's formula, ops/loss.h) averaged over targets ≠ [PAD]:
  // tgt_in = [BOS] y₁ … y_{n−1}, tgt_out = y₁ … y_n [EOS] (B, T).
  Tensor loss(const Tensor& src, const Tensor& tgt_in, const Tensor& tgt_out, double label_smoothing = 0.0);

  // One decoding step with a key/value cache: last: int64 (N, 1) — the token at `position` — memory
  // (N, S, C), memory_mask (N, 1, 1, S). Returns logits (N, V) for position + 1.
  Tensor decode_step(const Tensor& last, const Tensor& memory, const Tensor& memory_mask,
                     std::vector<nn::DecoderLayerCache>& cache, int64_t position);

  Tensor src_mask(const Tensor& src) const;  // (B, 1, 1, S)
  Tensor tgt_mask(const Tensor& tgt) const;  // (B, 1, T, T): causal ∧ padding

  TransformerConfig config;
  std::shared_ptr<nn::Embedding> src_embed, tgt_embed;  // the same object with share_embeddings
  std::shared_ptr<nn::PositionalEncoding> pos_encoding;
  nn::TransformerEncoder encoder;
  nn::TransformerDecoder decoder;
  nn::Linear generator;  // (V_tgt, C)

 private:
  Tensor embed(nn::Embedding& table, const Tensor& ids, int64_t offset);
};

// torch keys → attn keys: MultiheadAttention's packed in_proj_weight/bias split into q/k/v_proj
// (nn::unpack_in_proj), and "<layer>.linear1|linear2.*" → "<layer>.feed_forward.linear1|linear2.*".
// Everything else (encoder.layers.i.norm1.weight, encoder.norm.bias, …) is already the same name.
std::map<std::string, Tensor> from_torch_state_dict(const std::map<std::string, Tensor>& torch_sd);

}  // namespace attn::models
