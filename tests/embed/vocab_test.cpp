#include "attn/embed/vocab.h"

#include <gtest/gtest.h>

#include "attn/core/error.h"
#include "embed_test_util.h"

namespace attn::embed {
namespace {

using testing::TempDir;

TEST(Vocab, SortsByCountThenFirstOccurrenceAndAppliesMinCount) {
  TempDir tmp;
  const auto path = tmp.write("v.txt", "b a c a b a\nd c e\n");
  const Vocab v = build_vocab(path, 2);
  EXPECT_EQ(v.words, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(v.counts, (std::vector<int64_t>{3, 2, 2}));
  EXPECT_EQ(v.total_words, 7);
  EXPECT_EQ(v.corpus_words, 9);
  EXPECT_EQ(v.corpus_lines, 2);
  EXPECT_EQ(v.find("c"), 2);
  EXPECT_EQ(v.find("d"), -1);
  const Vocab moved = std::move(const_cast<Vocab&>(v));  // the index survives a move
  EXPECT_EQ(moved.find("b"), 1);
}

TEST(Vocab, EmptyCorpusIsAFormatError) {
  TempDir tmp;
  const auto path = tmp.write("empty.txt", " \n\n  ");
  EXPECT_THROW(build_vocab(path, 1), Error);
}

TEST(Vocab, NoWordSurvivingMinCountIsAnError) {
  TempDir tmp;
  const auto path = tmp.write("rare.txt", "every word here is unique\n");
  try {
    build_vocab(path, 5);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("min_count=5"), std::string::npos) << e.what();
  }
}

TEST(WordIndex, FindsEveryWordOfALargeVocabulary) {
  std::vector<std::string> words;
  for (int i = 0; i < 5000; ++i) words.push_back("w" + std::to_string(i * 7919));
  WordIndex index;
  index.build(words);
  for (int i = 0; i < 5000; ++i) ASSERT_EQ(index.find(words[i], words), i);
  EXPECT_EQ(index.find("nope", words), -1);
}

}  // namespace
}  // namespace attn::embed
