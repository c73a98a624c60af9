// BertForSequenceClassification — HF's head over BertModel's pooled [CLS], and the loader that takes either a
// fine-tuned classifier directory or a base BERT checkpoint.
#include "attn/models/bert_classifier.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "attn/autograd/grad_mode.h"
#include "attn/io/safetensors.h"
#include "attn/nn/init.h"
#include "attn/ops/loss.h"

namespace attn::models {

void init_linear_like_hf(nn::Linear& layer, double std, Generator& gen) {
  NoGradGuard no_grad;
  nn::init::normal_(layer.weight, 0.0, std, gen);
  if (layer.bias.defined()) nn::init::zeros_(layer.bias);
}

BertForSequenceClassification::BertForSequenceClassification(const BertConfig& c, Generator& gen)
    : config(c),
      bert(c, /*add_pooling_layer=*/true, gen),
      dropout(c.classifier_dropout >= 0 ? c.classifier_dropout : c.hidden_dropout_prob, gen),
      classifier(c.hidden_size, static_cast<int64_t>(c.id2label.size()), true, gen) {
  ATTN_CHECK(c.id2label.size() >= 2,
             "BertForSequenceClassification: needs at least 2 labels, got {} (regression, num_labels = 1, is "
             "not supported)",
             c.id2label.size());
  register_module("bert", bert);
  register_module("dropout", dropout);
  register_module("classifier", classifier);
  init_linear_like_hf(classifier, c.initializer_range, gen);
}

SequenceClassifierOutput BertForSequenceClassification::forward(const Tensor& input_ids,
                                                                const Tensor& attention_mask,
                                                                const Tensor& token_type_ids,
                                                                const Tensor& labels) {
  const BertModelOutput h = bert.forward(input_ids, attention_mask, token_type_ids);
  SequenceClassifierOutput out;
  out.logits = classifier.forward(dropout.forward(h.pooler_output));  // (B, C) → (B, K)
  if (labels.defined()) {
    ATTN_CHECK_KIND(ShapeMismatch,
                    labels.dtype() == DType::I64 && labels.dim() == 1 && labels.size(0) == input_ids.size(0),
                    "BertForSequenceClassification: labels must be int64 (B) = ({}), got {} {}",
                    input_ids.size(0), dtype_name(labels.dtype()), shape_str(labels.shape()));
    out.loss = cross_entropy(out.logits, labels);  // mean over the batch, as HF's CrossEntropyLoss()
  }
  return out;
}

namespace {

std::string join_names(const std::vector<std::string>& keys) {
  std::string s;
  for (size_t i = 0; i < keys.size() && i < 12; ++i) s += (i ? ", " : "") + keys[i];
  if (keys.size() > 12) s += fmt::format(", … ({} in all)", keys.size());
  return s;
}

// The model key a checkpoint tensor goes to: BertFor… checkpoints already say "bert."; a base BertModel
// checkpoint's keys get it added (its heads, if any, are then simply unused).
std::string model_key(const std::string& name, bool prefixed) {
  if (prefixed || name.rfind("classifier.", 0) == 0) return name;
  return "bert." + name;
}

}  // namespace

std::unique_ptr<BertForSequenceClassification> BertForSequenceClassification::from_pretrained(
    const std::string& dir_str, const ClassifierOptions& options, ClassifierLoadInfo* info, Generator& gen) {
  const std::filesystem::path dir(dir_str);
  ATTN_CHECK_KIND(Io, std::filesystem::is_directory(dir),
                  "BertForSequenceClassification: model directory '{}' not found (for all-MiniLM-L6-v2: run "
                  "scripts/setup to fetch models/all-MiniLM-L6-v2)",
                  dir_str);
  const auto config_path = (dir / "config.json").string();
  ATTN_CHECK_KIND(Io, std::filesystem::exists(config_path),
                  "BertForSequenceClassification: {} has no config.json", dir_str);
  BertConfig config = BertConfig::from_file(config_path);
  if (!options.labels.empty()) config.id2label = options.labels;
  if (config.id2label.empty()) config.id2label = {"LABEL_0", "LABEL_1"};  // HF PretrainedConfig's default

  ClassifierLoadInfo local;
  ClassifierLoadInfo& li = info ? *info : local;
  li.weights_path = (dir / "model.safetensors").string();
  ATTN_CHECK_KIND(Io, std::filesystem::exists(li.weights_path),
                  "BertForSequenceClassification: {} has no model.safetensors", dir_str);
  const auto file = io::SafetensorsFile::open(li.weights_path);
  const auto names = file.names();
  li.key_prefix_bert = std::any_of(names.begin(), names.end(),
                                   [](const std::string& n) { return n.rfind("bert.embeddings.", 0) == 0; });

  auto model = std::make_unique<BertForSequenceClassification>(config, gen);
  const nn::StateDict own = model->state_dict();
  nn::StateDict sd;
  li.unused_keys.clear();
  for (const auto& name : names) {
    const std::string key = model_key(name, li.key_prefix_bert);
    if (key == "bert.embeddings.position_ids") continue;  // a buffer HF ignores on load
    if (own.count(key))
      sd.emplace(key, file.tensor(name));
    else
      li.unused_keys.push_back(name);
  }
  if (sd.count("classifier.weight"))
    ATTN_CHECK_KIND(
        ShapeMismatch, sd.at("classifier.weight").shape() == own.at("classifier.weight").shape(),
        "BertForSequenceClassification: {}'s classifier.weight is {} ({} classes) but the model has "
        "{} labels",
        li.weights_path, shape_str(sd.at("classifier.weight").shape()), sd.at("classifier.weight").size(0),
        config.id2label.size());
  // Only the heads HF would initialise may be missing: the classifier and the pooler.
  static const std::set<std::string> may_miss = {"bert.pooler.dense.weight", "bert.pooler.dense.bias",
                                                 "classifier.weight", "classifier.bias"};
  std::vector<std::string> missing, fatal;
  for (const auto& [key, _] : own)
    if (!sd.count(key)) (may_miss.count(key) ? missing : fatal).push_back(key);
  ATTN_CHECK_KIND(Format, fatal.empty(),
                  "BertForSequenceClassification: {} lacks {} tensor(s) the config asks for: {}",
                  li.weights_path, fatal.size(), join_names(fatal));
  model->load_state_dict(sd, nn::Strict::No);  // shape mismatches: one error naming every key
  if (std::count(missing.begin(), missing.end(), "bert.pooler.dense.weight"))
    init_linear_like_hf(model->bert.pooler->dense, config.initializer_range, gen);
  li.initialized_keys = std::move(missing);  // the classifier was drawn in the constructor
  model->eval();
  return model;
}

}  // namespace attn::models
