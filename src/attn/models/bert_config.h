// attn/models/bert_config.h — BertConfig: the hyper-parameters of a BERT model, field for field as HF's
// config.json (transformers 4.46.3, models/bert/configuration_bert.py:
// https://github.com/huggingface/transformers/blob/v4.46.3/src/transformers/models/bert/configuration_bert.py),
// with HF's defaults (bert-base-uncased). from_json is the only place a config.json is read (STYLE P10).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace attn::models {

// config.json "hidden_act": HF's ACT2FN names that BERT checkpoints use.
enum class HiddenAct {
  Gelu,      // "gelu": x·Φ(x) with erf (torch's exact GELU)
  GeluTanh,  // "gelu_new", "gelu_pytorch_tanh": 0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))
  Relu,      // "relu"
};

struct BertConfig {
  int64_t vocab_size = 30522;
  int64_t hidden_size = 768;
  int64_t num_hidden_layers = 12;
  int64_t num_attention_heads = 12;
  int64_t intermediate_size = 3072;
  HiddenAct hidden_act = HiddenAct::Gelu;
  double hidden_dropout_prob = 0.1;
  double attention_probs_dropout_prob = 0.1;
  int64_t max_position_embeddings = 512;
  int64_t type_vocab_size = 2;
  double initializer_range = 0.02;
  double layer_norm_eps = 1e-12;
  int64_t pad_token_id = 0;
  std::string model_type = "bert";
  std::vector<std::string> architectures;  // e.g. {"BertModel"}; informational, checked by from_json
  // Classification heads (config.json "id2label" {"0": "negative", …}; label2id is its inverse and is
  // derived): the label names, index = class id. Empty for models without a classifier.
  std::vector<std::string> id2label;
  double classifier_dropout = -1.0;  // config.json "classifier_dropout"; < 0 (null) = hidden_dropout_prob

  int64_t head_size() const { return hidden_size / num_attention_heads; }  // D

  // Parses config.json text. Unknown keys are ignored (HF keeps them as attributes); these are errors that
  // name the field: a model_type other than "bert", an architecture that is not a BERT class ("Bert…"), a
  // hidden_act outside gelu/gelu_new/gelu_pytorch_tanh/relu, a position_embedding_type other than
  // "absolute", is_decoder/add_cross_attention (not supported), and sizes that do not fit together
  // (hidden_size % num_attention_heads).
  static BertConfig from_json(std::string_view json, const std::string& source = "<config.json>");
  static BertConfig from_file(const std::string& path);

  // config.json text as HF's save_pretrained writes it (every field above, id2label/label2id when set,
  // "position_embedding_type": "absolute", "torch_dtype": "float32"); from_json(to_json()) == *this.
  std::string to_json() const;
};

std::string_view hidden_act_name(HiddenAct act);

}  // namespace attn::models
