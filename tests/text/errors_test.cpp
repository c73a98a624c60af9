// Bad input: broken or hostile tokenizer.json / vocab files give an attn::Error that names the file, the
// JSON path and what was expected; invalid UTF-8 never throws (each bad sequence is one U+FFFD, one code
// point in the offsets); a huge single line tokenizes in linear time.
#include <gtest/gtest.h>

#include <fstream>

#include "attn/core/error.h"
#include "attn/text/tokenizer.h"
#include "attn/text/vocab.h"
#include "golden.h"

namespace attn::text {
namespace {

const std::string kMiniLm = std::string(ATTN_MODELS_DIR) + "/all-MiniLM-L6-v2/tokenizer.json";

// The message of the attn::Error thrown by f, or "" if none.
template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

const char* kMinimal = R"({"model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "a": 1}}})";

std::string with(const std::string& field, const std::string& value) {
  return R"({"model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "a": 1}}, ")" + field + "\": " + value +
         "}";
}

TEST(Errors, MinimalTokenizerJsonLoads) {
  const Tokenizer t = Tokenizer::from_json(kMinimal);
  EXPECT_EQ(t.encode("a").ids, (std::vector<int32_t>{1}));
  EXPECT_EQ(t.encode("a b").ids, (std::vector<int32_t>{0}));  // no pre-tokenizer: "a b" is one word → [UNK]
}

TEST(Errors, MalformedJsonNamesFileAndByte) {
  const std::string m = error_of([] { Tokenizer::from_json("{\"model\": [1, 2", "broken.json"); });
  EXPECT_NE(m.find("broken.json"), std::string::npos) << m;
  EXPECT_NE(m.find("byte"), std::string::npos) << m;
  EXPECT_NE(error_of([] { Tokenizer::from_json("[]", "x.json"); }).find("expected a tokenizer.json object"),
            std::string::npos);
}

TEST(Errors, UnknownComponentTypeIsNamed) {
  for (const auto& [field, type] :
       std::vector<std::pair<std::string, std::string>>{{"normalizer", "NFKC"},
                                                        {"pre_tokenizer", "Metaspace"},
                                                        {"post_processor", "RobertaProcessing"},
                                                        {"decoder", "Metaspace"}}) {
    const std::string m =
        error_of([&] { Tokenizer::from_json(with(field, "{\"type\": \"" + type + "\"}"), "t.json"); });
    EXPECT_NE(m.find("'" + type + "'"), std::string::npos) << m;
    EXPECT_NE(m.find("t.json: " + field + ".type"), std::string::npos) << m;
  }
  const std::string m =
      error_of([] { Tokenizer::from_json(R"({"model": {"type": "Unigram", "vocab": []}})"); });
  EXPECT_NE(m.find("unsupported model type 'Unigram'"), std::string::npos) << m;
}

TEST(Errors, MissingOrMistypedFieldsAreNamed) {
  auto message = [](const std::string& json) {
    return error_of([&] { Tokenizer::from_json(json, "t.json"); });
  };
  EXPECT_NE(message("{}").find("missing field 'model'"), std::string::npos);
  EXPECT_NE(message(R"({"model": {"vocab": {}}})").find("model: missing field 'type'"), std::string::npos);
  EXPECT_NE(message(R"({"model": {"type": "WordPiece"}})").find("missing field 'vocab'"), std::string::npos);
  EXPECT_NE(
      message(R"({"model": {"type": "WordPiece", "vocab": [1]}})").find("model.vocab: expected an object"),
      std::string::npos);
  EXPECT_NE(message(R"({"model": {"type": "WordPiece", "vocab": {"a": "x"}}})").find("not an integer"),
            std::string::npos);
  EXPECT_NE(message(R"({"model": {"type": "WordPiece", "vocab": {"a": -5}}})").find("out of range"),
            std::string::npos);
  EXPECT_NE(message(with("normalizer", R"({"type": "BertNormalizer", "lowercase": "yes"})"))
                .find("normalizer.lowercase"),
            std::string::npos);
  EXPECT_NE(message(with("truncation", R"({"strategy": "LongestFirst"})")).find("missing field 'max_length'"),
            std::string::npos);
  EXPECT_NE(message(with("padding", R"({"strategy": "Shortest"})")).find("padding.strategy"),
            std::string::npos);
  const std::string bad_template =
      R"({"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "[CLS]",
      "type_id": 0}}], "pair": [], "special_tokens": {}})";
  EXPECT_NE(message(with("post_processor", bad_template)).find("'[CLS]'"), std::string::npos);
  EXPECT_NE(
      message(R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [["a", "b"]]}})").find("merge 0"),
      std::string::npos);
  EXPECT_NE(message(with("added_tokens", R"([{"id": 5, "content": "x", "lstrip": true}])")).find("lstrip"),
            std::string::npos);
}

TEST(Errors, MissingFilesNameThePath) {
  const std::string m = error_of([] { Tokenizer::from_file("/nonexistent/tokenizer.json"); });
  EXPECT_NE(m.find("/nonexistent/tokenizer.json"), std::string::npos);
  EXPECT_NE(m.find("scripts/setup"), std::string::npos);  // the known fix
  EXPECT_THROW(Tokenizer::bert_from_vocab("/nonexistent/vocab.txt"), Error);
  EXPECT_THROW(Vocab::load("/nonexistent/vocab.txt"), Error);
}

TEST(Errors, InvalidUtf8BecomesOneReplacementCharacterPerBadSequence) {
  Tokenizer tok = Tokenizer::from_file(kMiniLm);
  tok.set_padding(std::nullopt);
  // HF, given the same text decoded with errors="replace" ("a\ufffdb c"): ['[CLS]', 'ab', 'c', '[SEP]'],
  // offsets [(0, 0), (0, 3), (4, 5), (0, 0)].
  const Encoding e = tok.encode(
      "a\xFF"
      "b c");
  EXPECT_EQ(e.tokens, (std::vector<std::string>{"[CLS]", "ab", "c", "[SEP]"}));
  EXPECT_EQ(e.offsets, (std::vector<Span>{{0, 0}, {0, 3}, {4, 5}, {0, 0}}));
  EXPECT_EQ(e.byte_offsets[2], (Span{4, 5}));
  // A truncated 4-byte sequence is one replacement character: "\ufffdx" → x at (1, 2).
  EXPECT_EQ(tok.encode("\xF0\x9F\x98x").offsets[1], (Span{1, 2}));
  for (int b = 0x80; b < 0x100; ++b) EXPECT_NO_THROW(tok.encode(std::string(3, static_cast<char>(b)) + "ok"));
}

TEST(Errors, HugeSingleLineEncodesWhole) {
  Tokenizer tok = Tokenizer::from_file(kMiniLm);
  tok.set_truncation(std::nullopt);
  tok.set_padding(std::nullopt);
  std::string unit = "The cat sat on the mat, 고양이가 잔다 😁! ";
  std::string small, big;
  while (small.size() < (1u << 20)) small += unit;
  for (int i = 0; i < 8; ++i) big += small;
  // No timing here (speed belongs in bench/; docs/text.md has the 10/30/100 MB figures): an 8 MiB line
  // encodes without deep recursion into exactly 8× the 1 MiB line's tokens.
  const Encoding es = tok.encode(small), eb = tok.encode(big);
  EXPECT_EQ(eb.size() - 2, 8 * (es.size() - 2));
  // One 4 MiB "word" (no spaces): counted once, becomes a single [UNK].
  const Encoding w = tok.encode(std::string(4u << 20, 'x'));
  EXPECT_EQ(w.tokens, (std::vector<std::string>{"[CLS]", "[UNK]", "[SEP]"}));
  EXPECT_EQ(w.offsets[1], (Span{0, 4u << 20}));
}

}  // namespace
}  // namespace attn::text
