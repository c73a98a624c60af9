// BERT's MLM / NSP heads, BertForPreTraining and BertForMaskedLM — modeling_bert.py (transformers 4.46.3)
// in HF's order of operations, and their loader for HF checkpoint directories.
#include "attn/models/bert_heads.h"

#include <algorithm>
#include <filesystem>

#include "attn/autograd/grad_mode.h"
#include "attn/io/safetensors.h"
#include "attn/nn/init.h"
#include "attn/ops/binary.h"
#include "attn/ops/embedding.h"
#include "attn/ops/loss.h"
#include "attn/ops/shape.h"
#include "attn/tensor/creation.h"

namespace attn::models {

// ---- heads ----

BertPredictionHeadTransform::BertPredictionHeadTransform(const BertConfig& c, Generator& gen)
    : act(c.hidden_act),
      dense(c.hidden_size, c.hidden_size, true, gen),
      LayerNorm(c.hidden_size, c.layer_norm_eps) {
  register_module("dense", dense);
  register_module("LayerNorm", LayerNorm);
}

Tensor BertPredictionHeadTransform::forward(const Tensor& x) {
  return LayerNorm.forward(hidden_activation(act, dense.forward(x)));  // (…, C)
}

BertLMPredictionHead::BertLMPredictionHead(const BertConfig& c, const Tensor& word_embeddings, Generator& gen)
    : transform(c, gen), decoder(c.hidden_size, c.vocab_size, true, gen), bias(zeros({c.vocab_size})) {
  ATTN_CHECK_KIND(
      ShapeMismatch, word_embeddings.shape() == Shape({c.vocab_size, c.hidden_size}),
      "BertLMPredictionHead: word embeddings must be (vocab_size, hidden_size) = ({}, {}), got {}",
      c.vocab_size, c.hidden_size, shape_str(word_embeddings.shape()));
  // Tied as HF's tie_weights / `self.decoder.bias = self.bias`: the same tensors, not copies, so the
  // decoder's gradient lands in the word embeddings and in `bias`.
  decoder.weight = word_embeddings;
  decoder.bias = bias;
  register_module("transform", transform);
  register_module("decoder", decoder);
  register_parameter("bias", bias);
}

Tensor BertLMPredictionHead::forward(const Tensor& x) {
  return decoder.forward(transform.forward(x));  // (…, C) → (…, V)
}

BertOnlyMLMHead::BertOnlyMLMHead(const BertConfig& c, const Tensor& word_embeddings, Generator& gen)
    : predictions(c, word_embeddings, gen) {
  register_module("predictions", predictions);
}

BertOnlyNSPHead::BertOnlyNSPHead(const BertConfig& c, Generator& gen)
    : seq_relationship(c.hidden_size, 2, true, gen) {
  register_module("seq_relationship", seq_relationship);
}

BertPreTrainingHeads::BertPreTrainingHeads(const BertConfig& c, const Tensor& word_embeddings, Generator& gen)
    : predictions(c, word_embeddings, gen), seq_relationship(c.hidden_size, 2, true, gen) {
  register_module("predictions", predictions);
  register_module("seq_relationship", seq_relationship);
}

// ---- BertForPreTraining ----

BertForPreTraining::BertForPreTraining(const BertConfig& c, Generator& gen)
    : config(c),
      bert(c, /*add_pooling_layer=*/true, gen),
      cls(c, bert.embeddings.word_embeddings.weight, gen) {
  register_module("bert", bert);
  register_module("cls", cls);
}

BertPreTrainingOutput BertForPreTraining::forward(const Tensor& input_ids, const Tensor& attention_mask,
                                                  const Tensor& token_type_ids,
                                                  const BertPreTrainingLabels* labels) {
  const BertModelOutput h = bert.forward(input_ids, attention_mask, token_type_ids);
  BertPreTrainingOutput out;
  out.prediction_logits = cls.predictions.forward(h.last_hidden_state);         // (B, T, V)
  out.seq_relationship_logits = cls.seq_relationship.forward(h.pooler_output);  // (B, 2)
  if (labels) {
    const int64_t V = config.vocab_size;
    out.mlm_loss = cross_entropy(reshape(out.prediction_logits, {-1, V}), reshape(labels->labels, {-1}));
    out.nsp_loss = cross_entropy(out.seq_relationship_logits, reshape(labels->next_sentence_label, {-1}));
    out.loss = add(out.mlm_loss, out.nsp_loss);  // HF: total_loss = masked_lm_loss + next_sentence_loss
  }
  return out;
}

BertPreTrainingOutput BertForPreTraining::forward_masked(const Tensor& input_ids,
                                                         const Tensor& attention_mask,
                                                         const Tensor& token_type_ids,
                                                         const BertPreTrainingLabels& labels) {
  ATTN_CHECK_KIND(
      ShapeMismatch, labels.labels.shape() == input_ids.shape() && labels.labels.dtype() == DType::I64,
      "BertForPreTraining: labels must be int64 {} like input_ids, got {} {}", shape_str(input_ids.shape()),
      dtype_name(labels.labels.dtype()), shape_str(labels.labels.shape()));
  const BertModelOutput h = bert.forward(input_ids, attention_mask, token_type_ids);
  const int64_t B = input_ids.size(0), T = input_ids.size(1), C = config.hidden_size;
  // The masked positions (row-major) and their targets: (M) each.
  const Tensor flat_labels = contiguous(labels.labels);
  const int64_t* lab = flat_labels.data<int64_t>();
  std::vector<int64_t> pos, tgt;
  for (int64_t i = 0; i < B * T; ++i)
    if (lab[i] != -100) pos.push_back(i), tgt.push_back(lab[i]);
  const auto M = static_cast<int64_t>(pos.size());
  ATTN_CHECK(M > 0, "BertForPreTraining: no masked position in the batch (labels are all −100)");
  Tensor pos_t = empty({M}, DType::I64), tgt_t = empty({M}, DType::I64);
  std::copy(pos.begin(), pos.end(), pos_t.data<int64_t>());
  std::copy(tgt.begin(), tgt.end(), tgt_t.data<int64_t>());
  // Gather rows of the (B·T, C) hidden states: the embedding op is a differentiable row gather.
  const Tensor selected = embedding(reshape(h.last_hidden_state, {B * T, C}), pos_t);  // (M, C)

  BertPreTrainingOutput out;
  out.prediction_logits = cls.predictions.forward(selected);                    // (M, V)
  out.seq_relationship_logits = cls.seq_relationship.forward(h.pooler_output);  // (B, 2)
  out.mlm_loss = cross_entropy(out.prediction_logits, tgt_t);
  out.nsp_loss = cross_entropy(out.seq_relationship_logits, reshape(labels.next_sentence_label, {-1}));
  out.loss = add(out.mlm_loss, out.nsp_loss);
  return out;
}

// ---- BertForMaskedLM ----

BertForMaskedLM::BertForMaskedLM(const BertConfig& c, Generator& gen)
    : config(c),
      bert(c, /*add_pooling_layer=*/false, gen),
      cls(c, bert.embeddings.word_embeddings.weight, gen) {
  register_module("bert", bert);
  register_module("cls", cls);
}

Tensor BertForMaskedLM::forward(const Tensor& input_ids, const Tensor& attention_mask,
                                const Tensor& token_type_ids) {
  return cls.forward(bert.forward(input_ids, attention_mask, token_type_ids).last_hidden_state);  // (B, T, V)
}

Tensor BertForMaskedLM::loss(const Tensor& logits, const Tensor& labels) const {
  return cross_entropy(reshape(logits, {-1, config.vocab_size}), reshape(labels, {-1}));
}

// ---- initialisation (HF BertPreTrainedModel._init_weights) ----

void init_bert_weights(nn::Module& model, double initializer_range, Generator& gen) {
  NoGradGuard no_grad;
  for (auto& [name, m] : model.named_modules()) {
    if (auto* lin = dynamic_cast<nn::Linear*>(m)) {
      nn::init::normal_(lin->weight, 0.0, initializer_range, gen);
      if (lin->bias.defined()) nn::init::zeros_(lin->bias);
    } else if (auto* emb = dynamic_cast<nn::Embedding*>(m)) {
      nn::init::normal_(emb->weight, 0.0, initializer_range, gen);
      if (emb->padding_idx) nn::init::zeros_(select(emb->weight, 0, *emb->padding_idx));
    } else if (auto* ln = dynamic_cast<nn::LayerNorm*>(m)) {
      if (ln->weight.defined()) nn::init::ones_(ln->weight);
      if (ln->bias.defined()) nn::init::zeros_(ln->bias);
    } else if (auto* head = dynamic_cast<BertLMPredictionHead*>(m)) {
      nn::init::zeros_(head->bias);
    }
  }
  // The decoder (a Linear visited after the embeddings) re-drew the tied word-embedding matrix: zero the
  // padding row again, as HF's Embedding branch leaves it.
  for (auto& [name, m] : model.named_modules())
    if (auto* emb = dynamic_cast<nn::Embedding*>(m); emb && emb->padding_idx)
      nn::init::zeros_(select(emb->weight, 0, *emb->padding_idx));
}

// ---- loading and saving ----

namespace {

bool is_tied_key(const std::string& key) {
  return key == "cls.predictions.decoder.weight" || key == "cls.predictions.decoder.bias";
}

// Fills `model` (whose keys are bert.* and cls.*) from DIR/model.safetensors, as HF's from_pretrained with
// tied weights: the decoder keys are never read (they are the word embeddings and cls.predictions.bias).
void load_with_heads(nn::Module& model, const std::filesystem::path& dir, const char* what,
                     BertHeadsLoadInfo& info) {
  info.weights_path = (dir / "model.safetensors").string();
  ATTN_CHECK_KIND(Io, std::filesystem::exists(info.weights_path), "{}: {} has no model.safetensors", what,
                  dir.string());
  const auto file = io::SafetensorsFile::open(info.weights_path);
  ATTN_CHECK_KIND(Format, file.contains("cls.predictions.transform.dense.weight"),
                  "{}: {} has no masked-LM head (no cls.predictions.* tensors): it is an encoder-only "
                  "checkpoint; fill-mask needs a model saved with its MLM head (e.g. by attn pretrain bert)",
                  what, dir.string());
  // A base-model file (keys without "bert.", as BertModel saves them) gets the prefix, as HF adds it.
  const auto names = file.names();
  const bool bare =
      std::none_of(names.begin(), names.end(), [](const std::string& n) { return n.rfind("bert.", 0) == 0; });
  const nn::StateDict own = model.state_dict();
  nn::StateDict sd;
  for (const auto& name : names) {
    const std::string key = bare && name.rfind("cls.", 0) != 0 ? "bert." + name : name;
    if (own.count(key) && !is_tied_key(key))
      sd.emplace(key, file.tensor(name));
    else if (key != "bert.embeddings.position_ids" && !is_tied_key(key))
      info.unused_keys.push_back(name);
  }
  // Old checkpoints carry the MLM bias only as decoder.bias (HF re-ties it to cls.predictions.bias).
  if (!sd.count("cls.predictions.bias") && file.contains("cls.predictions.decoder.bias"))
    sd.emplace("cls.predictions.bias", file.tensor("cls.predictions.decoder.bias"));
  std::vector<std::string> missing;
  for (const auto& [key, _] : own)
    if (!sd.count(key) && !is_tied_key(key)) missing.push_back(key);
  ATTN_CHECK_KIND(Format, missing.empty(), "{}: {} lacks {} tensor(s) the config asks for: {}", what,
                  info.weights_path, missing.size(), list_keys(missing));
  model.load_state_dict(sd, nn::Strict::No);  // the tied decoder keys are filled through their aliases
  model.eval();
}

BertConfig read_config(const std::filesystem::path& dir, const char* what) {
  ATTN_CHECK_KIND(Io, std::filesystem::is_directory(dir), "{}: model directory '{}' not found", what,
                  dir.string());
  ATTN_CHECK_KIND(Io, std::filesystem::exists(dir / "config.json"), "{}: {} has no config.json", what,
                  dir.string());
  return BertConfig::from_file((dir / "config.json").string());
}

nn::StateDict without_tied(nn::StateDict sd) {
  sd.erase("cls.predictions.decoder.weight");
  sd.erase("cls.predictions.decoder.bias");
  return sd;
}

}  // namespace

std::unique_ptr<BertForPreTraining> BertForPreTraining::from_pretrained(const std::string& dir,
                                                                        BertHeadsLoadInfo* info) {
  std::unique_ptr<BertForPreTraining> model;
  {
    nn::init::SkipInitGuard no_init;  // every parameter is loaded below (a missing one is an error)
    model = std::make_unique<BertForPreTraining>(read_config(dir, "BertForPreTraining"));
  }
  BertHeadsLoadInfo local;
  load_with_heads(*model, dir, "BertForPreTraining", info ? *info : local);
  return model;
}

std::unique_ptr<BertForMaskedLM> BertForMaskedLM::from_pretrained(const std::string& dir,
                                                                  BertHeadsLoadInfo* info) {
  std::unique_ptr<BertForMaskedLM> model;
  {
    nn::init::SkipInitGuard no_init;  // every parameter is loaded below (a missing one is an error)
    model = std::make_unique<BertForMaskedLM>(read_config(dir, "BertForMaskedLM"));
  }
  BertHeadsLoadInfo local;
  load_with_heads(*model, dir, "BertForMaskedLM", info ? *info : local);
  return model;
}

nn::StateDict BertForPreTraining::state_dict_for_save() const { return without_tied(state_dict()); }
nn::StateDict BertForMaskedLM::state_dict_for_save() const { return without_tied(state_dict()); }

}  // namespace attn::models
