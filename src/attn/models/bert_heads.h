// attn/models/bert_heads.h — BERT's pretraining heads and the two models that carry them, as Hugging Face's
// modeling_bert.py (transformers 4.46.3): the masked-LM head (transform + LayerNorm + a decoder whose weight
// IS the word-embedding matrix, plus its own bias), the next-sentence head (a 2-way linear on the pooler),
// BertForPreTraining (bert + cls.predictions + cls.seq_relationship) and BertForMaskedLM (bert without the
// pooler + cls.predictions). Member names are HF's attributes, so state_dict() yields HF's keys
// (bert.embeddings…, cls.predictions.transform.dense.weight, cls.predictions.bias, cls.seq_relationship.*).
//
//   auto m = attn::models::BertForMaskedLM::from_pretrained("runs/gutenberg/model");
//   attn::NoGradGuard no_grad;
//   Tensor logits = m->forward(ids, mask);  // (B, T, V)
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "attn/models/bert.h"

namespace attn::models {

// act(h W + b), then LayerNorm: the per-token transform before the vocabulary projection.
// HF BertPredictionHeadTransform (transform_act_fn = ACT2FN[config.hidden_act])
struct BertPredictionHeadTransform : nn::Module {
  BertPredictionHeadTransform(const BertConfig& c, Generator& gen);
  std::string type_name() const override { return "BertPredictionHeadTransform"; }
  Tensor forward(const Tensor& x);  // (…, C) → (…, C)

  HiddenAct act;
  nn::Linear dense;
  nn::LayerNorm LayerNorm;  // NOLINT(readability-identifier-naming): the HF key
};

// logits = transform(h) Eᵀ + bias, with E the word-embedding matrix (V, C): the decoder is tied, as HF's
// tie_weights makes cls.predictions.decoder.weight the same Parameter as bert.embeddings.word_embeddings.
// weight, and decoder.bias the same Parameter as `bias`.   HF BertLMPredictionHead
struct BertLMPredictionHead : nn::Module {
  // word_embeddings: the (V, C) weight to tie the decoder to (shared, never copied).
  BertLMPredictionHead(const BertConfig& c, const Tensor& word_embeddings, Generator& gen);
  std::string type_name() const override { return "BertLMPredictionHead"; }
  Tensor forward(const Tensor& x);  // (…, C) → (…, V)

  BertPredictionHeadTransform transform;
  nn::Linear decoder;  // weight ≡ word embeddings (V, C); bias ≡ this->bias
  Tensor bias;         // (V)
};

struct BertOnlyMLMHead : nn::Module {  // HF BertOnlyMLMHead: "cls.predictions"
  BertOnlyMLMHead(const BertConfig& c, const Tensor& word_embeddings, Generator& gen);
  std::string type_name() const override { return "BertOnlyMLMHead"; }
  Tensor forward(const Tensor& x) { return predictions.forward(x); }  // (B, T, C) → (B, T, V)

  BertLMPredictionHead predictions;
};

struct BertOnlyNSPHead : nn::Module {  // HF BertOnlyNSPHead: "cls.seq_relationship", IsNext = 0
  BertOnlyNSPHead(const BertConfig& c, Generator& gen);
  std::string type_name() const override { return "BertOnlyNSPHead"; }
  Tensor forward(const Tensor& pooled) { return seq_relationship.forward(pooled); }  // (B, C) → (B, 2)

  nn::Linear seq_relationship;
};

struct BertPreTrainingHeads
    : nn::Module {  // HF BertPreTrainingHeads: "cls.predictions", "cls.seq_relationship"
  BertPreTrainingHeads(const BertConfig& c, const Tensor& word_embeddings, Generator& gen);
  std::string type_name() const override { return "BertPreTrainingHeads"; }

  BertLMPredictionHead predictions;
  nn::Linear seq_relationship;
};

struct BertPreTrainingOutput {
  Tensor prediction_logits;        // (B, T, V), or (M, V) at the selected positions only
  Tensor seq_relationship_logits;  // (B, 2)
  Tensor loss;                     // [] when labels were given: MLM + NSP
  Tensor mlm_loss, nsp_loss;       // []
};

// Labels of one batch: labels (B, T) int64 with −100 everywhere except the masked positions, which hold the
// original token id; next_sentence_label (B) int64, 0 = IsNext, 1 = random (HF's convention).
struct BertPreTrainingLabels {
  Tensor labels;
  Tensor next_sentence_label;
};

// What a checkpoint held besides this model's tensors (reported, not an error, as HF's warning).
struct BertHeadsLoadInfo {
  std::string weights_path;
  std::vector<std::string> unused_keys;
};

// bert + cls.{predictions, seq_relationship}.   HF BertForPreTraining
class BertForPreTraining : public nn::Module {
 public:
  explicit BertForPreTraining(const BertConfig& config, Generator& gen = default_generator());
  std::string type_name() const override { return "BertForPreTraining"; }

  // As HF: prediction_logits for every position. With labels: loss = CE(logits.view(−1, V), labels.view(−1),
  // ignore_index −100) + CE(seq_relationship_logits, next_sentence_label).
  BertPreTrainingOutput forward(const Tensor& input_ids, const Tensor& attention_mask = Tensor(),
                                const Tensor& token_type_ids = Tensor(),
                                const BertPreTrainingLabels* labels = nullptr);
  // The same loss, with the vocabulary projection computed only at the masked positions (labels ≠ −100):
  // positions HF ignores contribute nothing to its loss or gradient, so the values are equal while the
  // (B·T, C) × (C, V) product shrinks to (M, C) × (C, V). prediction_logits is then (M, V), in row-major
  // order of the masked positions. This is what pretraining runs.
  BertPreTrainingOutput forward_masked(const Tensor& input_ids, const Tensor& attention_mask,
                                       const Tensor& token_type_ids, const BertPreTrainingLabels& labels);

  // A HF directory (config.json + model.safetensors) holding bert.* and cls.* keys. The tied
  // cls.predictions.decoder.weight may be absent (save_pretrained drops it) and is ignored when present;
  // cls.predictions.decoder.bias stands in for cls.predictions.bias when only it is present. Missing tensors
  // are an error naming the directory and every key. Eval mode.
  static std::unique_ptr<BertForPreTraining> from_pretrained(const std::string& dir,
                                                             BertHeadsLoadInfo* info = nullptr);
  // The state dict as save_pretrained writes it: without the tied cls.predictions.decoder.{weight,bias}.
  nn::StateDict state_dict_for_save() const;

  BertConfig config;
  BertModel bert;
  BertPreTrainingHeads cls;
};

// bert (no pooler) + cls.predictions.   HF BertForMaskedLM
class BertForMaskedLM : public nn::Module {
 public:
  explicit BertForMaskedLM(const BertConfig& config, Generator& gen = default_generator());
  std::string type_name() const override { return "BertForMaskedLM"; }

  // (B, T) → prediction logits (B, T, V)
  Tensor forward(const Tensor& input_ids, const Tensor& attention_mask = Tensor(),
                 const Tensor& token_type_ids = Tensor());
  // CE(logits.view(−1, V), labels.view(−1), ignore_index −100), as HF's masked_lm_loss.
  Tensor loss(const Tensor& logits, const Tensor& labels) const;

  // As BertForPreTraining::from_pretrained; pooler and seq_relationship tensors are unused. A checkpoint
  // without cls.predictions.* (an encoder-only model such as all-MiniLM-L6-v2) is an error naming the
  // directory.
  static std::unique_ptr<BertForMaskedLM> from_pretrained(const std::string& dir,
                                                          BertHeadsLoadInfo* info = nullptr);
  nn::StateDict state_dict_for_save() const;

  BertConfig config;
  BertModel bert;
  BertOnlyMLMHead cls;
};

// HF's _init_weights for BERT: Linear and Embedding weights ~ N(0, initializer_range²), biases 0, the
// padding_idx row 0, LayerNorm weight 1 and bias 0, the MLM bias 0. For training from scratch.
void init_bert_weights(nn::Module& model, double initializer_range, Generator& gen);

}  // namespace attn::models
