// Vocabulary learning: WordPiece (HF WordPieceTrainer's algorithm) and byte-level BPE (HF BpeTrainer),
// compared with the vocabularies HF learned on the same lines (tests/data/text/*_tokenizer.json). HF's
// trainers break frequency ties in hash-map order, so two HF runs differ too (meta.json records by how
// much); attn's are deterministic. Plus: byte-level round trip on random bytes, tokenizer.json save/load.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <set>

#include "attn/text/models/bpe.h"
#include "attn/text/models/wordpiece.h"
#include "attn/text/trainers/bpe_trainer.h"
#include "attn/text/unicode.h"
#include "golden.h"

namespace attn::text {
namespace {

// The fixture's training lines: texts[:9000] with Python's `t.strip()` non-empty.
std::vector<std::string> training_lines() {
  auto py_space = [](char32_t c) {
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
           c == 0x3000;
  };
  std::vector<std::string> texts = testing::read_corpus(), out;
  texts.resize(9000);
  for (const std::string& t : texts) {
    bool blank = true;
    for (size_t i = 0; i < t.size() && blank;) blank = py_space(decode_utf8(t, i));
    if (!blank) out.push_back(t);
  }
  return out;
}

std::vector<std::string> vocab_of(const Tokenizer& t) {
  if (auto* w = dynamic_cast<const WordPiece*>(&t.model())) return w->vocab();
  return dynamic_cast<const Bpe&>(t.model()).vocab();
}

double same_ids(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  size_t n = 0;
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) n += a[i] == b[i];
  return static_cast<double>(n) / static_cast<double>(b.size());
}

double overlap(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::set<std::string> sa(a.begin(), a.end());
  size_t n = 0;
  for (const std::string& t : b) n += sa.count(t);
  return static_cast<double>(n) / static_cast<double>(b.size());
}

TEST(Trainers, WordPieceVocabularyCloseToHfTrainer) {
  BpeTrainerOptions o;
  o.vocab_size = 6000;
  o.limit_alphabet = 1500;
  BertOptions cased;
  cased.lowercase = false;
  cased.strip_accents = false;
  const Tokenizer ours = train_wordpiece(training_lines(), o, cased);
  const Tokenizer hf = Tokenizer::from_file(testing::data_path("cased_tokenizer.json"));
  const auto a = vocab_of(ours), b = vocab_of(hf);
  EXPECT_EQ(a.size(), b.size());
  EXPECT_EQ(std::vector<std::string>(a.begin(), a.begin() + 5),
            std::vector<std::string>(b.begin(), b.begin() + 5));
  const double same = overlap(a, b);
  std::printf("[ wordpiece trainer ] %zu tokens, %.2f%% also in HF's vocabulary, %.2f%% with the same id\n",
              a.size(), 100 * same, 100 * same_ids(a, b));
  EXPECT_GT(same, 0.97);
  // Deterministic: the same corpus gives the same vocabulary.
  EXPECT_EQ(vocab_of(train_wordpiece(training_lines(), o, cased)), a);
}

TEST(Trainers, ByteLevelBpeCloseToHfTrainer) {
  BpeTrainerOptions o;
  o.vocab_size = 3000;
  o.special_tokens = {"<|endoftext|>"};
  const Tokenizer ours = train_byte_level_bpe(training_lines(), o);
  const Tokenizer hf = Tokenizer::from_file(testing::data_path("bpe_tokenizer.json"));
  const auto a = vocab_of(ours), b = vocab_of(hf);
  EXPECT_EQ(a.size(), b.size());
  const double same = overlap(a, b);
  std::printf("[ bpe trainer ] %zu tokens, %.2f%% also in HF's vocabulary, %.2f%% with the same id\n",
              a.size(), 100 * same, 100 * same_ids(a, b));
  const auto& ma = dynamic_cast<const Bpe&>(ours.model()).merges();
  const auto& mb = dynamic_cast<const Bpe&>(hf.model()).merges();
  std::printf("[ bpe trainer ] merges identical to HF's: %s\n", ma == mb ? "yes" : "no");
  EXPECT_EQ(ma, mb);  // byte-level: the alphabet is fixed, so HF's tie order does not show here
  EXPECT_GT(same, 0.97);
}

TEST(Trainers, ByteLevelRoundTripsRandomBytes) {
  const Tokenizer tok = Tokenizer::from_file(testing::data_path("bpe_tokenizer.json"));
  std::mt19937 rng(7);
  for (int trial = 0; trial < 2000; ++trial) {
    std::string bytes(rng() % 64, '\0');
    for (char& c : bytes)
      c = static_cast<char>(trial % 2 ? rng() % 256 : " aé\xF0\x9F\x98\x81\n\t"[rng() % 11]);
    const Encoding e = tok.encode(bytes);
    ASSERT_EQ(tok.decode(e.ids), bytes) << "trial " << trial;
  }
}

TEST(Trainers, SavedTokenizerJsonLoadsBackIdentical) {
  BpeTrainerOptions o;
  o.vocab_size = 800;
  const std::vector<std::string> lines = training_lines();
  for (bool bpe : {false, true}) {
    const Tokenizer t = bpe ? train_byte_level_bpe(lines, o) : train_wordpiece(lines, o);
    const std::string path = ::testing::TempDir() + (bpe ? "bpe.json" : "wp.json");
    t.save(path);
    const Tokenizer u = Tokenizer::from_file(path);
    for (size_t i = 0; i < 300; ++i) {
      const Encoding x = t.encode(lines[i]), y = u.encode(lines[i]);
      ASSERT_EQ(x.ids, y.ids) << lines[i];
      ASSERT_EQ(x.offsets, y.offsets) << lines[i];
    }
    EXPECT_EQ(u.to_json(), t.to_json());
  }
}

}  // namespace
}  // namespace attn::text
