// attn/text/tokenizer_json.cpp — the factory that builds a Tokenizer from HF's tokenizer.json.
//
// tokenizer.json (HF tokenizers ≥ 0.9) is one JSON object: {"version", "truncation", "padding",
// "added_tokens": [{id, content, special, normalized, …}], "normalizer", "pre_tokenizer", "model",
// "post_processor", "decoder"}; each component is an object whose "type" names its class. Unknown types
// are rejected by name (STYLE P12); every error names the file, the JSON path and what was expected.
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "attn/core/error.h"
#include "attn/text/decoders/byte_level.h"
#include "attn/text/decoders/wordpiece.h"
#include "attn/text/models/bpe.h"
#include "attn/text/models/wordpiece.h"
#include "attn/text/normalizers/bert.h"
#include "attn/text/post_processors/template.h"
#include "attn/text/pre_tokenizers/bert.h"
#include "attn/text/pre_tokenizers/byte_level.h"
#include "attn/text/tokenizer.h"

namespace attn::text {
namespace {

using json = nlohmann::json;

// Sanity limits against hostile files: no real vocabulary has 10 M tokens, no model 16 M positions.
constexpr int64_t kMaxId = 10'000'000;
constexpr size_t kMaxLength = size_t{1} << 24;

// Reads fields with errors of the form "tokenizer.json: model.vocab: expected an object, got array".
struct Reader {
  std::string source;

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw_error(ErrorKind::Format, "{}: {}: {}", source, path, what);
  }
  const json& field(const json& obj, const std::string& path, const char* key) const {
    if (!obj.is_object()) fail(path, fmt::format("expected an object, got {}", obj.type_name()));
    auto it = obj.find(key);
    if (it == obj.end()) fail(path, fmt::format("missing field '{}'", key));
    return *it;
  }
  template <class T>
  T get(const json& obj, const std::string& path, const char* key) const {
    const json& v = field(obj, path, key);
    try {
      return v.get<T>();
    } catch (const json::exception&) {
      fail(path + "." + key, fmt::format("unexpected {} value {}", v.type_name(), v.dump().substr(0, 60)));
    }
  }
  template <class T>
  T get_or(const json& obj, const std::string& path, const char* key, T fallback) const {
    if (!obj.is_object() || !obj.contains(key) || obj.at(key).is_null()) return fallback;
    return get<T>(obj, path, key);
  }
  std::string type(const json& obj, const std::string& path) const {
    return get<std::string>(obj, path, "type");
  }
};

std::unique_ptr<Normalizer> make_normalizer(const Reader& r, const json& j, const std::string& path);

class SequenceNormalizer : public Normalizer {
 public:
  std::vector<std::unique_ptr<Normalizer>> steps;
  void normalize(NormalizedString& s) const override {
    for (const auto& n : steps) n->normalize(s);
  }
};

std::unique_ptr<Normalizer> make_normalizer(const Reader& r, const json& j, const std::string& path) {
  const std::string type = r.type(j, path);
  if (type == "BertNormalizer") {
    BertNormalizerOptions o;
    o.clean_text = r.get_or<bool>(j, path, "clean_text", true);
    o.handle_chinese_chars = r.get_or<bool>(j, path, "handle_chinese_chars", true);
    if (j.contains("strip_accents") && !j["strip_accents"].is_null()) {
      o.strip_accents = r.get<bool>(j, path, "strip_accents");
    }
    o.lowercase = r.get_or<bool>(j, path, "lowercase", true);
    return std::make_unique<BertNormalizer>(o);
  }
  if (type == "NFD") return std::make_unique<NfdNormalizer>();
  if (type == "Lowercase") return std::make_unique<LowercaseNormalizer>();
  if (type == "StripAccents") return std::make_unique<StripAccentsNormalizer>();
  if (type == "Sequence") {
    auto seq = std::make_unique<SequenceNormalizer>();
    const json& items = r.field(j, path, "normalizers");
    if (!items.is_array()) r.fail(path + ".normalizers", "expected an array");
    for (size_t i = 0; i < items.size(); ++i) {
      seq->steps.push_back(make_normalizer(r, items[i], fmt::format("{}.normalizers[{}]", path, i)));
    }
    return seq;
  }
  r.fail(path + ".type", fmt::format("unsupported normalizer type '{}' (attn supports BertNormalizer, NFD, "
                                     "Lowercase, StripAccents, Sequence)",
                                     type));
}

std::unique_ptr<PreTokenizer> make_pre_tokenizer(const Reader& r, const json& j, const std::string& path) {
  const std::string type = r.type(j, path);
  if (type == "BertPreTokenizer") return std::make_unique<BertPreTokenizer>();
  if (type == "WhitespaceSplit") return std::make_unique<WhitespaceSplit>();
  if (type == "ByteLevel") {
    return std::make_unique<ByteLevelPreTokenizer>(r.get_or<bool>(j, path, "add_prefix_space", false),
                                                   r.get_or<bool>(j, path, "use_regex", true));
  }
  r.fail(path + ".type", fmt::format("unsupported pre_tokenizer type '{}' (attn supports BertPreTokenizer, "
                                     "WhitespaceSplit, ByteLevel)",
                                     type));
}

std::vector<std::string> read_vocab(const Reader& r, const json& j, const std::string& path) {
  const json& v = r.field(j, path, "vocab");
  if (!v.is_object())
    r.fail(path + ".vocab", fmt::format("expected an object token → id, got {}", v.type_name()));
  std::vector<std::string> vocab(v.size());
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (!it.value().is_number_integer())
      r.fail(path + ".vocab", fmt::format("id of '{}' is not an integer", it.key()));
    const auto id = it.value().get<int64_t>();
    if (id < 0 || id > kMaxId)
      r.fail(path + ".vocab", fmt::format("id {} of '{}' is out of range", id, it.key()));
    if (static_cast<size_t>(id) >= vocab.size()) vocab.resize(static_cast<size_t>(id) + 1);
    vocab[static_cast<size_t>(id)] = it.key();
  }
  return vocab;
}

std::unique_ptr<Model> make_model(const Reader& r, const json& j, const std::string& path) {
  const std::string type =
      j.is_object() && !j.contains("type") && j.contains("merges") ? "BPE" : r.type(j, path);
  if (type == "WordPiece") {
    WordPieceOptions o;
    o.unk_token = r.get_or<std::string>(j, path, "unk_token", "[UNK]");
    o.continuing_subword_prefix = r.get_or<std::string>(j, path, "continuing_subword_prefix", "##");
    o.max_input_chars_per_word = r.get_or<size_t>(j, path, "max_input_chars_per_word", 100);
    return std::make_unique<WordPiece>(read_vocab(r, j, path), o);
  }
  if (type == "BPE") {
    BpeOptions o;
    o.unk_token = r.get_or<std::string>(j, path, "unk_token", "");
    o.continuing_subword_prefix = r.get_or<std::string>(j, path, "continuing_subword_prefix", "");
    o.end_of_word_suffix = r.get_or<std::string>(j, path, "end_of_word_suffix", "");
    o.fuse_unk = r.get_or<bool>(j, path, "fuse_unk", false);
    o.byte_fallback = r.get_or<bool>(j, path, "byte_fallback", false);
    if (j.contains("dropout") && !j["dropout"].is_null())
      r.fail(path + ".dropout", "BPE dropout is not supported");
    const json& m = r.field(j, path, "merges");
    if (!m.is_array()) r.fail(path + ".merges", "expected an array");
    std::vector<std::pair<std::string, std::string>> merges;
    merges.reserve(m.size());
    for (size_t i = 0; i < m.size(); ++i) {
      if (m[i].is_string()) {  // "a b" (tokenizers < 0.20 format)
        const std::string s = m[i].get<std::string>();
        const size_t sp = s.find(' ');
        if (sp == std::string::npos) r.fail(fmt::format("{}.merges[{}]", path, i), "expected \"left right\"");
        merges.emplace_back(s.substr(0, sp), s.substr(sp + 1));
      } else if (m[i].is_array() && m[i].size() == 2 && m[i][0].is_string() && m[i][1].is_string()) {
        merges.emplace_back(m[i][0].get<std::string>(), m[i][1].get<std::string>());
      } else {
        r.fail(fmt::format("{}.merges[{}]", path, i), "expected \"left right\" or [left, right]");
      }
    }
    return std::make_unique<Bpe>(read_vocab(r, j, path), std::move(merges), o);
  }
  r.fail(path + ".type", fmt::format("unsupported model type '{}' (attn supports WordPiece, BPE)", type));
}

std::vector<TemplatePiece> read_template(const Reader& r, const json& j, const std::string& path) {
  if (!j.is_array()) r.fail(path, "expected an array of pieces");
  std::vector<TemplatePiece> pieces;
  for (size_t i = 0; i < j.size(); ++i) {
    const std::string p = fmt::format("{}[{}]", path, i);
    if (j[i].is_object() && j[i].contains("Sequence")) {
      const json& s = j[i]["Sequence"];
      const std::string id = r.get<std::string>(s, p + ".Sequence", "id");
      if (id != "A" && id != "B")
        r.fail(p + ".Sequence.id", fmt::format("expected \"A\" or \"B\", got '{}'", id));
      pieces.push_back({true, id == "A" ? 0 : 1, "", r.get<int32_t>(s, p + ".Sequence", "type_id")});
    } else if (j[i].is_object() && j[i].contains("SpecialToken")) {
      const json& s = j[i]["SpecialToken"];
      pieces.push_back({false, 0, r.get<std::string>(s, p + ".SpecialToken", "id"),
                        r.get<int32_t>(s, p + ".SpecialToken", "type_id")});
    } else {
      r.fail(p, "expected {\"Sequence\": …} or {\"SpecialToken\": …}");
    }
  }
  return pieces;
}

std::unique_ptr<PostProcessor> make_post_processor(const Reader& r, const json& j, const std::string& path) {
  const std::string type = r.type(j, path);
  if (type == "TemplateProcessing") {
    std::map<std::string, SpecialTokenIds> specials;
    const json& st = r.field(j, path, "special_tokens");
    if (!st.is_object()) r.fail(path + ".special_tokens", "expected an object");
    for (auto it = st.begin(); it != st.end(); ++it) {
      const std::string p = path + ".special_tokens." + it.key();
      SpecialTokenIds s{r.get<std::vector<int32_t>>(it.value(), p, "ids"),
                        r.get<std::vector<std::string>>(it.value(), p, "tokens")};
      if (s.ids.size() != s.tokens.size()) r.fail(p, "ids and tokens differ in length");
      specials[it.key()] = std::move(s);
    }
    try {
      return std::make_unique<TemplateProcessing>(
          read_template(r, r.field(j, path, "single"), path + ".single"),
          read_template(r, r.field(j, path, "pair"), path + ".pair"), std::move(specials));
    } catch (const Error& e) {
      r.fail(path, e.what());
    }
  }
  if (type == "BertProcessing") {
    const json& sep = r.field(j, path, "sep");
    const json& cls = r.field(j, path, "cls");
    if (!sep.is_array() || sep.size() != 2 || !cls.is_array() || cls.size() != 2) {
      r.fail(path, "expected \"sep\" and \"cls\" as [token, id]");
    }
    return std::make_unique<TemplateProcessing>(TemplateProcessing::bert(
        cls[0].get<std::string>(), cls[1].get<int32_t>(), sep[0].get<std::string>(), sep[1].get<int32_t>()));
  }
  if (type == "ByteLevel") {
    return std::make_unique<ByteLevelPostProcessor>(r.get_or<bool>(j, path, "trim_offsets", true),
                                                    r.get_or<bool>(j, path, "add_prefix_space", true));
  }
  r.fail(path + ".type",
         fmt::format("unsupported post_processor type '{}' (attn supports TemplateProcessing, "
                     "BertProcessing, ByteLevel)",
                     type));
}

std::unique_ptr<Decoder> make_decoder(const Reader& r, const json& j, const std::string& path) {
  const std::string type = r.type(j, path);
  if (type == "WordPiece") {
    return std::make_unique<WordPieceDecoder>(r.get_or<std::string>(j, path, "prefix", "##"),
                                              r.get_or<bool>(j, path, "cleanup", true));
  }
  if (type == "ByteLevel") return std::make_unique<ByteLevelDecoder>();
  r.fail(path + ".type",
         fmt::format("unsupported decoder type '{}' (attn supports WordPiece, ByteLevel)", type));
}

Direction read_direction(const Reader& r, const json& j, const std::string& path) {
  const std::string d = r.get_or<std::string>(j, path, "direction", "Right");
  if (d != "Right" && d != "Left")
    r.fail(path + ".direction", fmt::format("expected Right or Left, got '{}'", d));
  return d == "Right" ? Direction::Right : Direction::Left;
}

TruncationParams read_truncation(const Reader& r, const json& j, const std::string& path) {
  TruncationParams t;
  t.max_length = r.get<size_t>(j, path, "max_length");
  t.stride = r.get_or<size_t>(j, path, "stride", 0);
  if (t.max_length > kMaxLength || t.stride > kMaxLength) {
    r.fail(path,
           fmt::format("max_length {} / stride {} over the limit {}", t.max_length, t.stride, kMaxLength));
  }
  const std::string s = r.get_or<std::string>(j, path, "strategy", "LongestFirst");
  if (s == "LongestFirst") {
    t.strategy = TruncationStrategy::LongestFirst;
  } else if (s == "OnlyFirst") {
    t.strategy = TruncationStrategy::OnlyFirst;
  } else if (s == "OnlySecond") {
    t.strategy = TruncationStrategy::OnlySecond;
  } else {
    r.fail(path + ".strategy", fmt::format("unknown truncation strategy '{}'", s));
  }
  t.direction = read_direction(r, j, path);
  return t;
}

PaddingParams read_padding(const Reader& r, const json& j, const std::string& path) {
  PaddingParams p;
  const json& s = r.field(j, path, "strategy");
  if (s.is_string() && s.get<std::string>() == "BatchLongest") {
    p.strategy = PaddingStrategy::BatchLongest;
  } else if (s.is_object() && s.contains("Fixed") && s["Fixed"].is_number_unsigned()) {
    p.strategy = PaddingStrategy::Fixed;
    p.length = s["Fixed"].get<size_t>();
  } else {
    r.fail(path + ".strategy",
           fmt::format("expected \"BatchLongest\" or {{\"Fixed\": n}}, got {}", s.dump()));
  }
  p.direction = read_direction(r, j, path);
  p.pad_to_multiple_of = r.get_or<size_t>(j, path, "pad_to_multiple_of", 0);
  if (p.length > kMaxLength || p.pad_to_multiple_of > kMaxLength) {
    r.fail(path, fmt::format("padding length over the limit {}", kMaxLength));
  }
  p.pad_id = r.get_or<int32_t>(j, path, "pad_id", 0);
  p.pad_type_id = r.get_or<int32_t>(j, path, "pad_type_id", 0);
  p.pad_token = r.get_or<std::string>(j, path, "pad_token", "[PAD]");
  return p;
}

std::vector<AddedToken> read_added_tokens(const Reader& r, const json& j, bool has_normalizer) {
  if (j.is_null()) return {};
  if (!j.is_array()) r.fail("added_tokens", "expected an array");
  std::vector<AddedToken> out;
  for (size_t i = 0; i < j.size(); ++i) {
    const std::string p = fmt::format("added_tokens[{}]", i);
    AddedToken a;
    a.id = r.get<int32_t>(j[i], p, "id");
    a.content = r.get<std::string>(j[i], p, "content");
    a.special = r.get_or<bool>(j[i], p, "special", false);
    a.normalized = r.get_or<bool>(j[i], p, "normalized", !a.special);
    if (a.content.empty()) r.fail(p + ".content", "empty token");
    for (const char* flag : {"lstrip", "rstrip", "single_word"}) {
      if (r.get_or<bool>(j[i], p, flag, false)) {
        r.fail(p + "." + flag, fmt::format("'{}' is not supported by attn (token '{}')", flag, a.content));
      }
    }
    if (a.normalized && has_normalizer) {
      r.fail(
          p + ".normalized",
          fmt::format("added token '{}' is matched after normalization; attn matches added tokens in the raw "
                      "text only",
                      a.content));
    }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace

Tokenizer Tokenizer::from_json(std::string_view text, const std::string& source) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw_error(ErrorKind::Format, "{}: not valid JSON at byte {}: {}", source, e.byte, e.what());
  }
  Reader r{source};
  if (!j.is_object())
    r.fail("(root)", fmt::format("expected a tokenizer.json object, got {}", j.type_name()));
  std::unique_ptr<Model> model = make_model(r, r.field(j, "(root)", "model"), "model");
  const json* pre =
      j.contains("pre_tokenizer") && !j["pre_tokenizer"].is_null() ? &j["pre_tokenizer"] : nullptr;
  if (auto* bpe = dynamic_cast<Bpe*>(model.get()); bpe && pre && pre->value("type", "") == "ByteLevel") {
    bpe->set_byte_level(true);  // ByteLevel's byte alphabet is applied inside the model (byte_level.h)
  }
  Tokenizer t(std::move(model));
  const bool has_normalizer = j.contains("normalizer") && !j["normalizer"].is_null();
  if (has_normalizer) t.set_normalizer(make_normalizer(r, j["normalizer"], "normalizer"));
  if (pre) t.set_pre_tokenizer(make_pre_tokenizer(r, *pre, "pre_tokenizer"));
  if (j.contains("post_processor") && !j["post_processor"].is_null()) {
    t.set_post_processor(make_post_processor(r, j["post_processor"], "post_processor"));
  }
  if (j.contains("decoder") && !j["decoder"].is_null())
    t.set_decoder(make_decoder(r, j["decoder"], "decoder"));
  if (j.contains("truncation") && !j["truncation"].is_null()) {
    t.set_truncation(read_truncation(r, j["truncation"], "truncation"));
  }
  if (j.contains("padding") && !j["padding"].is_null())
    t.set_padding(read_padding(r, j["padding"], "padding"));
  t.add_tokens(read_added_tokens(r, j.value("added_tokens", json()), has_normalizer));
  return t;
}

Tokenizer Tokenizer::from_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  ATTN_CHECK_KIND(Io, in.good(), "{}: cannot open tokenizer.json (hint: run scripts/setup to fetch models/)",
                  path);
  std::stringstream ss;
  ss << in.rdbuf();
  return from_json(ss.str(), path);
}

}  // namespace attn::text

// ---- writing tokenizer.json (the same layout HF 0.20.3 writes, so HF can load what attn saves) ----
namespace attn::text {
namespace {

json vocab_json(const std::vector<std::string>& vocab) {
  json v = json::object();
  for (size_t i = 0; i < vocab.size(); ++i) v[vocab[i]] = i;
  return v;
}

json normalizer_json(const Normalizer* n) {
  if (!n) return nullptr;
  if (auto* b = dynamic_cast<const BertNormalizer*>(n)) {
    const BertNormalizerOptions& o = b->options();
    return {{"type", "BertNormalizer"},
            {"clean_text", o.clean_text},
            {"handle_chinese_chars", o.handle_chinese_chars},
            {"strip_accents", o.strip_accents ? json(*o.strip_accents) : json(nullptr)},
            {"lowercase", o.lowercase}};
  }
  if (dynamic_cast<const NfdNormalizer*>(n)) return {{"type", "NFD"}};
  if (dynamic_cast<const LowercaseNormalizer*>(n)) return {{"type", "Lowercase"}};
  if (dynamic_cast<const StripAccentsNormalizer*>(n)) return {{"type", "StripAccents"}};
  if (auto* s = dynamic_cast<const SequenceNormalizer*>(n)) {
    json items = json::array();
    for (const auto& step : s->steps) items.push_back(normalizer_json(step.get()));
    return {{"type", "Sequence"}, {"normalizers", items}};
  }
  throw_error(ErrorKind::Unsupported, "Tokenizer::to_json: unknown normalizer class");
}

json pre_tokenizer_json(const PreTokenizer* p) {
  if (!p) return nullptr;
  if (dynamic_cast<const BertPreTokenizer*>(p)) return {{"type", "BertPreTokenizer"}};
  if (dynamic_cast<const WhitespaceSplit*>(p)) return {{"type", "WhitespaceSplit"}};
  if (auto* b = dynamic_cast<const ByteLevelPreTokenizer*>(p)) {
    return {{"type", "ByteLevel"},
            {"add_prefix_space", b->add_prefix_space()},
            {"trim_offsets", true},
            {"use_regex", b->use_regex()}};
  }
  throw_error(ErrorKind::Unsupported, "Tokenizer::to_json: unknown pre-tokenizer class");
}

json model_json(const Model& m) {
  if (auto* w = dynamic_cast<const WordPiece*>(&m)) {
    return {{"type", "WordPiece"},
            {"unk_token", w->options().unk_token},
            {"continuing_subword_prefix", w->options().continuing_subword_prefix},
            {"max_input_chars_per_word", w->options().max_input_chars_per_word},
            {"vocab", vocab_json(w->vocab())}};
  }
  if (auto* b = dynamic_cast<const Bpe*>(&m)) {
    const BpeOptions& o = b->options();
    auto opt = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
    json merges = json::array();
    for (const auto& [l, r] : b->merges()) merges.push_back({l, r});
    return {{"type", "BPE"},
            {"dropout", nullptr},
            {"unk_token", opt(o.unk_token)},
            {"continuing_subword_prefix", opt(o.continuing_subword_prefix)},
            {"end_of_word_suffix", opt(o.end_of_word_suffix)},
            {"fuse_unk", o.fuse_unk},
            {"byte_fallback", o.byte_fallback},
            {"ignore_merges", false},
            {"vocab", vocab_json(b->vocab())},
            {"merges", merges}};
  }
  throw_error(ErrorKind::Unsupported, "Tokenizer::to_json: unknown model class");
}

json template_json(const std::vector<TemplatePiece>& pieces) {
  json out = json::array();
  for (const TemplatePiece& p : pieces) {
    if (p.is_sequence) {
      out.push_back({{"Sequence", {{"id", p.sequence == 0 ? "A" : "B"}, {"type_id", p.type_id}}}});
    } else {
      out.push_back({{"SpecialToken", {{"id", p.special}, {"type_id", p.type_id}}}});
    }
  }
  return out;
}

json post_processor_json(const PostProcessor* p) {
  if (!p) return nullptr;
  if (auto* t = dynamic_cast<const TemplateProcessing*>(p)) {
    json specials = json::object();
    for (const auto& [name, s] : t->special_tokens())
      specials[name] = {{"id", name}, {"ids", s.ids}, {"tokens", s.tokens}};
    return {{"type", "TemplateProcessing"},
            {"single", template_json(t->single())},
            {"pair", template_json(t->pair())},
            {"special_tokens", specials}};
  }
  if (auto* b = dynamic_cast<const ByteLevelPostProcessor*>(p)) {
    return {{"type", "ByteLevel"},
            {"add_prefix_space", b->add_prefix_space()},
            {"trim_offsets", b->trim_offsets()},
            {"use_regex", true}};
  }
  throw_error(ErrorKind::Unsupported, "Tokenizer::to_json: unknown post-processor class");
}

json decoder_json(const Decoder* d) {
  if (!d) return nullptr;
  if (auto* w = dynamic_cast<const WordPieceDecoder*>(d)) {
    return {{"type", "WordPiece"}, {"prefix", w->prefix()}, {"cleanup", w->cleanup()}};
  }
  if (dynamic_cast<const ByteLevelDecoder*>(d)) {
    return {{"type", "ByteLevel"}, {"add_prefix_space", true}, {"trim_offsets", true}, {"use_regex", true}};
  }
  throw_error(ErrorKind::Unsupported, "Tokenizer::to_json: unknown decoder class");
}

const char* direction_name(Direction d) { return d == Direction::Right ? "Right" : "Left"; }

}  // namespace

std::string Tokenizer::to_json() const {
  json j;
  j["version"] = "1.0";
  if (truncation_) {
    const char* s = truncation_->strategy == TruncationStrategy::LongestFirst ? "LongestFirst"
                    : truncation_->strategy == TruncationStrategy::OnlyFirst  ? "OnlyFirst"
                                                                              : "OnlySecond";
    j["truncation"] = {{"direction", direction_name(truncation_->direction)},
                       {"max_length", truncation_->max_length},
                       {"strategy", s},
                       {"stride", truncation_->stride}};
  } else {
    j["truncation"] = nullptr;
  }
  if (padding_) {
    j["padding"] = {
        {"strategy", padding_->strategy == PaddingStrategy::Fixed ? json{{"Fixed", padding_->length}}
                                                                  : json("BatchLongest")},
        {"direction", direction_name(padding_->direction)},
        {"pad_to_multiple_of",
         padding_->pad_to_multiple_of ? json(padding_->pad_to_multiple_of) : json(nullptr)},
        {"pad_id", padding_->pad_id},
        {"pad_type_id", padding_->pad_type_id},
        {"pad_token", padding_->pad_token}};
  } else {
    j["padding"] = nullptr;
  }
  json added = json::array();
  for (const AddedToken& a : added_) {
    added.push_back({{"id", a.id},
                     {"content", a.content},
                     {"single_word", false},
                     {"lstrip", false},
                     {"rstrip", false},
                     {"normalized", a.normalized},
                     {"special", a.special}});
  }
  j["added_tokens"] = added;
  j["normalizer"] = normalizer_json(normalizer_.get());
  j["pre_tokenizer"] = pre_tokenizer_json(pre_tokenizer_.get());
  j["post_processor"] = post_processor_json(post_processor_.get());
  j["decoder"] = decoder_json(decoder_.get());
  j["model"] = model_json(*model_);
  return j.dump(2);
}

void Tokenizer::save(const std::string& path) const {
  std::ofstream out(path, std::ios::binary);
  ATTN_CHECK_KIND(Io, out.good(), "{}: cannot write tokenizer.json", path);
  out << to_json() << '\n';
  ATTN_CHECK_KIND(Io, out.good(), "{}: write failed", path);
}

}  // namespace attn::text
