// attn/models/bert_classifier.h — BERT for sequence (and sentence-pair) classification, as Hugging Face's
// BertForSequenceClassification (transformers 4.46.3, models/bert/modeling_bert.py):
//
//   logits = classifier(dropout(bert(x).pooler_output))        pooler = tanh([CLS] W + b)
//   loss   = cross_entropy(logits, labels)                     (single-label classification)
//
// with dropout p = classifier_dropout, or hidden_dropout_prob when config.json has none. Parameter names are
// HF's keys: bert.embeddings.…, bert.encoder.…, bert.pooler.dense.…, classifier.weight / classifier.bias.
// from_pretrained reads a fine-tuned HF directory (keys bert.* + classifier.*) or a base BertModel checkpoint
// (keys without the prefix); what the checkpoint lacks (the classifier, and the pooler of checkpoints saved
// without one) is initialised as HF's _init_weights does — weight ~ N(0, initializer_range²), bias 0 — and
// reported in ClassifierLoadInfo so that callers can warn about it.
//
//   auto m = attn::models::BertForSequenceClassification::from_pretrained("runs/sst2", {});
//   auto out = m->forward(input_ids, attention_mask, token_type_ids, labels);  // out.logits: (B, K)
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "attn/models/bert.h"

namespace attn::models {

struct SequenceClassifierOutput {
  Tensor logits;  // (B, K) float32
  Tensor loss;    // () mean cross-entropy over the batch; undefined without labels
};

// What from_pretrained found and did.
struct ClassifierLoadInfo {
  std::string weights_path;
  bool key_prefix_bert = false;               // the checkpoint's keys started with "bert."
  std::vector<std::string> initialized_keys;  // not in the checkpoint: drawn as HF's _init_weights
  std::vector<std::string> unused_keys;       // in the checkpoint, not in the model (cls.*, …)
};

struct ClassifierOptions {
  // Class names, index = label id. Empty: the checkpoint's id2label (a fine-tuned model), else HF's default
  // of two labels "LABEL_0", "LABEL_1". A checkpoint whose classifier has another number of classes is an
  // error (HF's ignore_mismatched_sizes is not offered).
  std::vector<std::string> labels;
};

class BertForSequenceClassification : public nn::Module {
 public:
  // config.id2label: the class names (K = id2label.size() ≥ 2); config.classifier_dropout < 0 (null) means
  // hidden_dropout_prob. The classifier is initialised as HF's _init_weights (N(0, initializer_range²), 0).
  explicit BertForSequenceClassification(const BertConfig& config, Generator& gen = default_generator());
  std::string type_name() const override { return "BertForSequenceClassification"; }

  // input_ids, attention_mask, token_type_ids as BertModel::forward; labels: int64 (B) class ids in [0, K),
  // or undefined for no loss.
  SequenceClassifierOutput forward(const Tensor& input_ids, const Tensor& attention_mask = Tensor(),
                                   const Tensor& token_type_ids = Tensor(), const Tensor& labels = Tensor());

  // A HF directory (config.json + model.safetensors). The model is in eval mode; call train() to fine-tune.
  static std::unique_ptr<BertForSequenceClassification> from_pretrained(const std::string& dir,
                                                                        const ClassifierOptions& options = {},
                                                                        ClassifierLoadInfo* info = nullptr,
                                                                        Generator& gen = default_generator());

  int64_t num_labels() const { return static_cast<int64_t>(config.id2label.size()); }

  BertConfig config;
  BertModel bert;
  nn::Dropout dropout;
  nn::Linear classifier;  // (K, C)
};

// HF's _init_weights for a Linear layer: weight ~ N(0, std²), bias = 0.
void init_linear_like_hf(nn::Linear& layer, double std, Generator& gen = default_generator());

}  // namespace attn::models
