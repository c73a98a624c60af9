// attn/models/bert.h — BERT (Devlin et al. 2019, https://arxiv.org/abs/1810.04805): the bidirectional
// Transformer encoder, as Hugging Face's BertModel (transformers 4.46.3, models/bert/modeling_bert.py), and
// its loader for HF checkpoint directories (config.json + model.safetensors).
//
// Every module below is a plain struct whose members are named exactly like HF's attributes (STYLE P9), so
// state_dict() yields HF's keys: embeddings.word_embeddings.weight, encoder.layer.0.attention.self.query.
// weight, …, pooler.dense.bias. Post-LN layers (LayerNorm after each residual sum), GELU by config.
//
//   auto bert = attn::models::BertModel::from_pretrained("models/all-MiniLM-L6-v2");
//   attn::NoGradGuard no_grad;
//   auto out = bert->forward(input_ids, attention_mask);  // out.last_hidden_state: (B, T, C)
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "attn/core/rng.h"
#include "attn/models/bert_config.h"
#include "attn/nn/container.h"
#include "attn/nn/dropout.h"
#include "attn/nn/embedding.h"
#include "attn/nn/layer_norm.h"
#include "attn/nn/linear.h"

namespace attn::models {

// x = LayerNorm(word[ids] + token_type[type_ids] + position[0..T)), then dropout.   HF BertEmbeddings
struct BertEmbeddings : nn::Module {
  BertEmbeddings(const BertConfig& c, Generator& gen);
  std::string type_name() const override { return "BertEmbeddings"; }
  // input_ids, token_type_ids: int64 (B, T) → (B, T, C)
  Tensor forward(const Tensor& input_ids, const Tensor& token_type_ids);

  nn::Embedding word_embeddings;        // (V, C), padding_idx = pad_token_id
  nn::Embedding position_embeddings;    // (max_position_embeddings, C)
  nn::Embedding token_type_embeddings;  // (type_vocab_size, C)
  nn::LayerNorm LayerNorm;              // NOLINT(readability-identifier-naming): the HF key
  nn::Dropout dropout;
};

// Multi-head self-attention: heads_h = Attention(x W_Qʰ, x W_Kʰ, x W_Vʰ), concatenated.  HF BertSelfAttention
struct BertSelfAttention : nn::Module {
  BertSelfAttention(const BertConfig& c, Generator& gen);
  std::string type_name() const override { return "BertSelfAttention"; }
  // x: (B, T, C), mask: (B, 1, 1, T) additive → (B, T, C), the heads concatenated (before attention.output)
  Tensor forward(const Tensor& x, const Tensor& mask);

  int64_t num_attention_heads, attention_head_size;  // H, D
  nn::Linear query, key, value;                      // (C, C) each
  nn::Dropout dropout;                               // p for the attention probabilities

 private:
  Generator* gen_;  // attention dropout's generator (must outlive the module, as nn::Dropout's)
};

// LayerNorm(dropout(h W + b) + input): the projection after attention and its residual.  HF BertSelfOutput
struct BertSelfOutput : nn::Module {
  BertSelfOutput(const BertConfig& c, Generator& gen);
  std::string type_name() const override { return "BertSelfOutput"; }
  Tensor forward(const Tensor& hidden, const Tensor& input);  // (B, T, C), (B, T, C) → (B, T, C)

  nn::Linear dense;
  nn::LayerNorm LayerNorm;  // NOLINT(readability-identifier-naming)
  nn::Dropout dropout;
};

struct BertAttention : nn::Module {
  BertAttention(const BertConfig& c, Generator& gen);
  std::string type_name() const override { return "BertAttention"; }
  Tensor forward(const Tensor& x, const Tensor& mask);  // (B, T, C) → (B, T, C)

  BertSelfAttention self;
  BertSelfOutput output;
};

// config.hidden_act applied to x (HF's ACT2FN[hidden_act]): the feed-forward block's and the MLM head's.
Tensor hidden_activation(HiddenAct act, const Tensor& x);

// act(x W₁ + b₁): the first half of the feed-forward block, C → intermediate_size.  HF BertIntermediate
struct BertIntermediate : nn::Module {
  BertIntermediate(const BertConfig& c, Generator& gen);
  std::string type_name() const override { return "BertIntermediate"; }
  Tensor forward(const Tensor& x);  // (B, T, C) → (B, T, I)

  HiddenAct act;
  nn::Linear dense;
};

// LayerNorm(dropout(h W₂ + b₂) + input): intermediate_size → C, and the second residual.  HF BertOutput
struct BertOutput : nn::Module {
  BertOutput(const BertConfig& c, Generator& gen);
  std::string type_name() const override { return "BertOutput"; }
  Tensor forward(const Tensor& hidden, const Tensor& input);  // (B, T, I), (B, T, C) → (B, T, C)

  nn::Linear dense;
  nn::LayerNorm LayerNorm;  // NOLINT(readability-identifier-naming)
  nn::Dropout dropout;
};

// One post-LN encoder layer: x = LN(x + SelfAttn(x)); x = LN(x + FFN(x)).  HF BertLayer
struct BertLayer : nn::Module {
  BertLayer(const BertConfig& c, Generator& gen);
  std::string type_name() const override { return "BertLayer"; }
  Tensor forward(const Tensor& x, const Tensor& mask);  // (B, T, C) → (B, T, C)

  BertAttention attention;
  BertIntermediate intermediate;
  BertOutput output;
};

struct BertEncoder : nn::Module {
  BertEncoder(const BertConfig& c, Generator& gen);
  std::string type_name() const override { return "BertEncoder"; }
  Tensor forward(const Tensor& x, const Tensor& mask);  // (B, T, C) → (B, T, C)

  nn::ModuleList layer;  // "encoder.layer.N"
};

// tanh(h[:, 0] W + b): the [CLS] summary that NSP and sequence classification read.  HF BertPooler
struct BertPooler : nn::Module {
  BertPooler(const BertConfig& c, Generator& gen);
  std::string type_name() const override { return "BertPooler"; }
  Tensor forward(const Tensor& hidden);  // (B, T, C) → (B, C)

  nn::Linear dense;
};

struct BertModelOutput {
  Tensor last_hidden_state;  // (B, T, C)
  Tensor pooler_output;      // (B, C); undefined for a model without a pooler
};

// What from_pretrained found besides the model's own tensors.
struct BertLoadInfo {
  std::string weights_path;
  bool key_prefix_bert = false;          // the checkpoint's keys started with "bert." (BertFor… models)
  bool has_pooler = true;                // false: the checkpoint had no pooler.dense.* (built without)
  std::vector<std::string> unused_keys;  // heads (cls.*, classifier.*) and other tensors not loaded
};

class BertModel : public nn::Module {
 public:
  explicit BertModel(const BertConfig& config, bool add_pooling_layer = true,
                     Generator& gen = default_generator());
  std::string type_name() const override { return "BertModel"; }

  // input_ids: int64 (B, T); attention_mask: (B, T) of 1 = token / 0 = [PAD] (int64 or Bool; undefined = all
  // ones); token_type_ids: int64 (B, T) (undefined = zeros). Positions are 0..T-1, as HF's default.
  BertModelOutput forward(const Tensor& input_ids, const Tensor& attention_mask = Tensor(),
                          const Tensor& token_type_ids = Tensor());

  // A HF BERT directory: config.json and model.safetensors (F32, or F16/BF16 converted to F32). Keys may
  // carry a "bert." prefix (BertForPreTraining, BertForSequenceClassification, …); heads are skipped and
  // listed in info->unused_keys; "embeddings.position_ids" (a buffer HF ignores) is skipped. A checkpoint
  // without pooler.dense.* gives a model without a pooler (HF would initialise one at random and warn; its
  // output would be noise). Any other missing tensor is an error naming all of them. The model is in eval
  // mode; run it under NoGradGuard for inference.
  static std::unique_ptr<BertModel> from_pretrained(const std::string& dir, BertLoadInfo* info = nullptr);

  BertConfig config;
  BertEmbeddings embeddings;
  BertEncoder encoder;
  std::unique_ptr<BertPooler> pooler;  // null without a pooling layer
};

// HF's extended attention mask: (B, T) of 1/0 → (B, 1, 1, T) float32 holding 0 for tokens and
// finfo(float32).min = −3.4028235e38 for [PAD], added to the attention scores (modeling_utils.py
// get_extended_attention_mask: (1 − mask) · finfo(dtype).min). Masked keys get exactly probability 0.
Tensor extended_attention_mask(const Tensor& attention_mask, DType dtype = DType::F32);

// "a, b, c, … (N in all)": checkpoint keys for error messages (missing or unexpected tensors).
std::string list_keys(const std::vector<std::string>& keys, size_t max_shown = 12);

}  // namespace attn::models
