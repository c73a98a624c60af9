// BertConfig::from_json — config.json → BertConfig with HF's defaults and errors that name the field.
#include "attn/models/bert_config.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "attn/core/error.h"

namespace attn::models {

std::string_view hidden_act_name(HiddenAct act) {
  switch (act) {
    case HiddenAct::Gelu:
      return "gelu";
    case HiddenAct::GeluTanh:
      return "gelu_new";
    case HiddenAct::Relu:
      return "relu";
  }
  return "?";
}

namespace {

HiddenAct parse_act(const std::string& name, const std::string& source) {
  if (name == "gelu") return HiddenAct::Gelu;
  if (name == "gelu_new" || name == "gelu_pytorch_tanh") return HiddenAct::GeluTanh;
  if (name == "relu") return HiddenAct::Relu;
  throw_error(ErrorKind::Unsupported,
              "{}: hidden_act \"{}\" is not supported (expected gelu, gelu_new, gelu_pytorch_tanh or relu)",
              source, name);
}

template <typename T>
void get(const nlohmann::json& j, const char* key, T& out, const std::string& source) {
  if (!j.contains(key) || j[key].is_null()) return;  // HF default
  try {
    out = j[key].get<T>();
  } catch (const nlohmann::json::exception& e) {
    throw_error(ErrorKind::Format, "{}: field \"{}\" has the wrong type: {}", source, key, e.what());
  }
}

void check(const BertConfig& c, const nlohmann::json& j, const std::string& source) {
  ATTN_CHECK_KIND(Unsupported, c.model_type == "bert",
                  "{}: model_type \"{}\" is not supported (attn's BertModel loads model_type \"bert\")",
                  source, c.model_type);
  for (const auto& a : c.architectures)
    ATTN_CHECK_KIND(Unsupported, a.rfind("Bert", 0) == 0,
                    "{}: architecture \"{}\" is not a BERT model (expected BertModel, BertForMaskedLM, …)",
                    source, a);
  const std::string pos = j.value("position_embedding_type", std::string("absolute"));
  ATTN_CHECK_KIND(Unsupported, pos == "absolute",
                  "{}: position_embedding_type \"{}\" is not supported (expected \"absolute\")", source, pos);
  ATTN_CHECK_KIND(Unsupported, !j.value("is_decoder", false) && !j.value("add_cross_attention", false),
                  "{}: decoder BERT (is_decoder / add_cross_attention) is not supported", source);
  ATTN_CHECK(c.hidden_size > 0 && c.num_attention_heads > 0 && c.hidden_size % c.num_attention_heads == 0,
             "{}: hidden_size {} must be a positive multiple of num_attention_heads {}", source,
             c.hidden_size, c.num_attention_heads);
  ATTN_CHECK(c.vocab_size > 0 && c.num_hidden_layers >= 0 && c.intermediate_size > 0 &&
                 c.max_position_embeddings > 0 && c.type_vocab_size > 0,
             "{}: sizes must be positive (vocab_size {}, num_hidden_layers {}, intermediate_size {}, "
             "max_position_embeddings {}, type_vocab_size {})",
             source, c.vocab_size, c.num_hidden_layers, c.intermediate_size, c.max_position_embeddings,
             c.type_vocab_size);
}

// "id2label": {"0": "NEGATIVE", "1": "POSITIVE"} → {"NEGATIVE", "POSITIVE"}; the keys must be 0..n-1.
std::vector<std::string> parse_id2label(const nlohmann::json& j, const std::string& source) {
  if (!j.contains("id2label") || j["id2label"].is_null()) return {};
  const auto& m = j["id2label"];
  ATTN_CHECK_KIND(Format, m.is_object(), "{}: field \"id2label\" must be an object {{\"0\": \"label\", …}}",
                  source);
  std::vector<std::string> labels(m.size());
  std::vector<bool> seen(m.size(), false);
  for (const auto& [key, value] : m.items()) {
    size_t id = 0, used = 0;
    try {
      id = std::stoul(key, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    ATTN_CHECK_KIND(Format, used == key.size() && id < labels.size() && !seen[id] && value.is_string(),
                    "{}: id2label must map the ids 0..{} to label strings (bad entry \"{}\")", source,
                    labels.size() - 1, key);
    seen[id] = true;
    labels[id] = value.get<std::string>();
  }
  return labels;
}

}  // namespace

std::string BertConfig::to_json() const {
  nlohmann::ordered_json j;
  if (!architectures.empty()) j["architectures"] = architectures;
  j["attention_probs_dropout_prob"] = attention_probs_dropout_prob;
  j["classifier_dropout"] = nullptr;  // null: the classifier uses hidden_dropout_prob
  if (classifier_dropout >= 0) j["classifier_dropout"] = classifier_dropout;
  j["hidden_act"] = std::string(hidden_act_name(hidden_act));
  j["hidden_dropout_prob"] = hidden_dropout_prob;
  j["hidden_size"] = hidden_size;
  if (!id2label.empty()) {
    nlohmann::ordered_json ids = nlohmann::ordered_json::object(), labels = nlohmann::ordered_json::object();
    for (size_t i = 0; i < id2label.size(); ++i) {
      ids[std::to_string(i)] = id2label[i];
      labels[id2label[i]] = i;
    }
    j["id2label"] = ids;
    j["label2id"] = labels;
  }
  j["initializer_range"] = initializer_range;
  j["intermediate_size"] = intermediate_size;
  j["layer_norm_eps"] = layer_norm_eps;
  j["max_position_embeddings"] = max_position_embeddings;
  j["model_type"] = model_type;
  j["num_attention_heads"] = num_attention_heads;
  j["num_hidden_layers"] = num_hidden_layers;
  j["pad_token_id"] = pad_token_id;
  j["position_embedding_type"] = "absolute";
  j["torch_dtype"] = "float32";
  j["type_vocab_size"] = type_vocab_size;
  j["vocab_size"] = vocab_size;
  return j.dump(2) + "\n";
}

BertConfig BertConfig::from_json(std::string_view text, const std::string& source) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw_error(ErrorKind::Format, "{}: invalid JSON at byte {}: {}", source, e.byte, e.what());
  }
  ATTN_CHECK_KIND(Format, j.is_object(), "{}: expected a JSON object", source);
  BertConfig c;
  get(j, "vocab_size", c.vocab_size, source);
  get(j, "hidden_size", c.hidden_size, source);
  get(j, "num_hidden_layers", c.num_hidden_layers, source);
  get(j, "num_attention_heads", c.num_attention_heads, source);
  get(j, "intermediate_size", c.intermediate_size, source);
  get(j, "hidden_dropout_prob", c.hidden_dropout_prob, source);
  get(j, "attention_probs_dropout_prob", c.attention_probs_dropout_prob, source);
  get(j, "max_position_embeddings", c.max_position_embeddings, source);
  get(j, "type_vocab_size", c.type_vocab_size, source);
  get(j, "initializer_range", c.initializer_range, source);
  get(j, "layer_norm_eps", c.layer_norm_eps, source);
  get(j, "pad_token_id", c.pad_token_id, source);
  get(j, "model_type", c.model_type, source);
  get(j, "architectures", c.architectures, source);
  std::string act = "gelu";
  get(j, "hidden_act", act, source);
  c.hidden_act = parse_act(act, source);
  get(j, "classifier_dropout", c.classifier_dropout, source);
  c.id2label = parse_id2label(j, source);
  check(c, j, source);
  return c;
}

BertConfig BertConfig::from_file(const std::string& path) {
  std::ifstream in(path);
  ATTN_CHECK_KIND(Io, in.good(), "BertConfig: cannot open {}", path);
  std::stringstream ss;
  ss << in.rdbuf();
  return from_json(ss.str(), path);
}

}  // namespace attn::models
