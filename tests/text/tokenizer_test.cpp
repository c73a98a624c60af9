// Tokenizer behaviour beyond single texts, against HF (tests/data/text/cases.json.gz from
// tools/fixtures/text.py): pairs and type ids, every truncation strategy × stride × direction with the
// overflowing windows, padding (longest, fixed, left, multiple of 8), the seed's padded batch, decode.
#include "attn/text/tokenizer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "attn/core/error.h"
#include "golden.h"

namespace attn::text {
namespace {

using json = nlohmann::json;

const std::string kMiniLm = std::string(ATTN_MODELS_DIR) + "/all-MiniLM-L6-v2/tokenizer.json";

const json& cases() {
  static const json j = json::parse(testing::read_gz(testing::data_path("cases.json.gz")));
  return j;
}

std::vector<Span> spans(const json& j) {
  std::vector<Span> out;
  for (const auto& o : j) out.push_back({o[0].get<uint32_t>(), o[1].get<uint32_t>()});
  return out;
}

// Compares everything HF's Encoding exposes in Python, and the overflowing windows (one level).
void expect_encoding(const Encoding& e, const json& hf, const std::string& what) {
  EXPECT_EQ(e.ids, hf["ids"].get<std::vector<int32_t>>()) << what;
  EXPECT_EQ(e.type_ids, hf["type_ids"].get<std::vector<int32_t>>()) << what;
  EXPECT_EQ(e.tokens, hf["tokens"].get<std::vector<std::string>>()) << what;
  EXPECT_EQ(e.offsets, spans(hf["offsets"])) << what;
  EXPECT_EQ(e.attention_mask, hf["attention_mask"].get<std::vector<uint8_t>>()) << what;
  EXPECT_EQ(e.special_tokens_mask, hf["special_tokens_mask"].get<std::vector<uint8_t>>()) << what;
  if (hf.contains("overflowing")) {
    ASSERT_EQ(e.overflowing.size(), hf["overflowing"].size()) << what;
    for (size_t k = 0; k < e.overflowing.size(); ++k) {
      expect_encoding(e.overflowing[k], hf["overflowing"][k],
                      what + " overflowing[" + std::to_string(k) + "]");
    }
  }
}

TruncationParams truncation_from(const json& c) {
  TruncationParams t;
  t.max_length = c["max_length"].get<size_t>();
  t.stride = c["stride"].get<size_t>();
  const std::string s = c["strategy"];
  t.strategy = s == "longest_first" ? TruncationStrategy::LongestFirst
               : s == "only_first"  ? TruncationStrategy::OnlyFirst
                                    : TruncationStrategy::OnlySecond;
  t.direction = c["direction"] == "left" ? Direction::Left : Direction::Right;
  return t;
}

std::optional<PaddingParams> padding_from(const json& p) {
  if (p.is_null()) return std::nullopt;
  PaddingParams out;
  out.direction = p.value("direction", "right") == "left" ? Direction::Left : Direction::Right;
  if (p.contains("length")) out.strategy = PaddingStrategy::Fixed, out.length = p["length"].get<size_t>();
  out.pad_to_multiple_of = p.value("pad_to_multiple_of", size_t{0});
  return out;
}

TEST(Tokenizer, TruncationPaddingAndPairsLikeHf) {
  Tokenizer tok = Tokenizer::from_file(kMiniLm);
  const json& all = cases();
  size_t checked = 0;
  for (const json& config : all["configs"]) {
    tok.set_truncation(truncation_from(config["truncation"]));
    tok.set_padding(padding_from(config["padding"]));
    const std::string where = config["truncation"].dump() + " padding " + config["padding"].dump();
    for (size_t i = 0; i < all["pairs"].size(); ++i) {
      const json& hf = config["pairs"][i];
      const std::string a = all["pairs"][i][0], b = all["pairs"][i][1];
      const std::string what = where + " pair " + std::to_string(i);
      if (hf.contains("error")) {
        EXPECT_THROW(tok.encode_pair(a, b), Error) << what << " HF: " << hf["error"];
      } else {
        expect_encoding(tok.encode_pair(a, b), hf, what);
      }
      ++checked;
    }
    for (size_t i = 0; i < all["singles"].size(); ++i) {
      const json& hf = config["singles"][i];
      const std::string what = where + " single " + std::to_string(i);
      if (hf.contains("error")) {
        EXPECT_THROW(tok.encode(all["singles"][i].get<std::string>()), Error)
            << what << " HF: " << hf["error"];
      } else {
        expect_encoding(tok.encode(all["singles"][i].get<std::string>()), hf, what);
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 500u);
}

// tok.enable_padding(); tok.encode_batch(["Hello, y'all!", "How are you 😁 ?", "I'm fine thank you and you?"])
TEST(Tokenizer, SeedExamplePaddedExactlyAsHf) {
  Tokenizer tok = Tokenizer::from_file(kMiniLm);
  tok.set_truncation(std::nullopt);
  tok.set_padding(PaddingParams{});
  const json& seed = cases()["seed"];
  const auto texts = seed["texts"].get<std::vector<std::string>>();
  const std::vector<Encoding> batch = tok.encode_batch(texts);
  ASSERT_EQ(batch.size(), 3u);
  for (size_t i = 0; i < 3; ++i) expect_encoding(batch[i], seed["encodings"][i], texts[i]);
  // The same, spelled out (HF 0.20.3 output):
  EXPECT_EQ(batch[0].ids, (std::vector<int32_t>{101, 7592, 1010, 1061, 1005, 2035, 999, 102, 0, 0, 0}));
  EXPECT_EQ(batch[1].tokens, (std::vector<std::string>{"[CLS]", "how", "are", "you", "[UNK]", "?", "[SEP]",
                                                       "[PAD]", "[PAD]", "[PAD]", "[PAD]"}));
  EXPECT_EQ(batch[1].attention_mask, (std::vector<uint8_t>{1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0}));
  EXPECT_EQ(batch[2].size(), 11u);
}

TEST(Tokenizer, DecodeLikeHf) {
  Tokenizer tok = Tokenizer::from_file(kMiniLm);
  for (const json& d : cases()["decode"]) {
    const auto ids = d["ids"].get<std::vector<int32_t>>();
    EXPECT_EQ(tok.decode(ids), d["skip"].get<std::string>());
    EXPECT_EQ(tok.decode(ids, false), d["keep"].get<std::string>());
  }
}

TEST(Tokenizer, ByteOffsetsSliceTheInput) {
  Tokenizer tok = Tokenizer::from_file(kMiniLm);
  tok.set_padding(std::nullopt);
  const std::string text = "고양이가 침대 위에서 잔다 — Café!";
  const Encoding e = tok.encode(text);
  // HF check_offsets: the original slice of a token, normalized, is the token (here lowercase/accents).
  // HF: ['[CLS]', '[UNK]', 'ᄎ', '##ᅵ', '##ᆷ', … 'cafe', '!', '[SEP]'], offsets (0, 4), (5, 6), (5, 6), …
  EXPECT_EQ(text.substr(e.byte_offsets[1].begin, e.byte_offsets[1].end - e.byte_offsets[1].begin),
            "고양이가");
  EXPECT_EQ(e.offsets[1], (Span{0, 4}));
  EXPECT_EQ(e.tokens[2], "\u110E");  // ᄎ: 침 decomposed by NFD
  EXPECT_EQ(e.offsets[3], (Span{5, 6}));
  const size_t last = e.size() - 3;  // "café" before "!" and [SEP]
  EXPECT_EQ(e.tokens[last], "cafe");
  EXPECT_EQ(text.substr(e.byte_offsets[last].begin, e.byte_offsets[last].end - e.byte_offsets[last].begin),
            "Café");
}

TEST(Tokenizer, BertFromVocabTxtEqualsTokenizerJson) {
  Tokenizer a = Tokenizer::from_file(kMiniLm);
  a.set_truncation(std::nullopt);
  a.set_padding(std::nullopt);
  Tokenizer b = Tokenizer::bert_from_vocab(std::string(ATTN_MODELS_DIR) + "/all-MiniLM-L6-v2/vocab.txt");
  for (const std::string& t : testing::read_corpus()) {
    const Encoding x = a.encode(t), y = b.encode(t);
    ASSERT_EQ(x.ids, y.ids) << t;
    ASSERT_EQ(x.offsets, y.offsets) << t;
  }
}

}  // namespace
}  // namespace attn::text
