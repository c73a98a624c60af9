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

}  // namespace

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
