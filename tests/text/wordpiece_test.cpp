// WordPiece's trie walk (tokenize) against HF's greedy loop kept as the reference (tokenize_reference), on
// every word of the corpus and on random words glued from vocabulary pieces and stray characters.
#include "attn/text/models/wordpiece.h"

#include <gtest/gtest.h>

#include <random>

#include "attn/text/tokenizer.h"
#include "golden.h"

namespace attn::text {
namespace {

void expect_same(const WordPiece& wp, std::string_view word) {
  std::vector<ModelToken> fast, ref;
  wp.tokenize(word, fast);
  wp.tokenize_reference(word, ref);
  ASSERT_EQ(fast.size(), ref.size()) << word;
  for (size_t i = 0; i < fast.size(); ++i) {
    ASSERT_EQ(fast[i].id, ref[i].id) << word;
    ASSERT_EQ(fast[i].begin, ref[i].begin) << word;
    ASSERT_EQ(fast[i].end, ref[i].end) << word;
  }
}

TEST(WordPiece, TrieEqualsGreedyReference) {
  for (const std::string& path : {std::string(ATTN_MODELS_DIR) + "/all-MiniLM-L6-v2/tokenizer.json",
                                  testing::data_path("cased_tokenizer.json")}) {
    const Tokenizer tok = Tokenizer::from_file(path);
    const auto& wp = dynamic_cast<const WordPiece&>(tok.model());
    size_t words = 0;
    for (const std::string& text : testing::read_corpus()) {
      for (const std::string& w : tok.pre_tokenize_words(text)) expect_same(wp, w), ++words;
    }
    std::mt19937 rng(3);
    const auto& vocab = wp.vocab();
    for (int i = 0; i < 20000; ++i) {
      std::string w;
      for (int k = rng() % 6; k >= 0; --k) {
        const std::string& piece = vocab[rng() % vocab.size()];
        w += piece.rfind("##", 0) == 0 ? piece.substr(2) : piece;
        static const char* kStray[] = {"é", "한", "x", "##"};
        if (rng() % 4 == 0) w += kStray[rng() % 4];
      }
      expect_same(wp, w);
    }
    EXPECT_GT(words, 100000u);
  }
}

}  // namespace
}  // namespace attn::text
