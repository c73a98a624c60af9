// Word2Vec learns planted structure: a synthetic corpus whose lines each draw words from one of four
// topics. After training, a word's nearest neighbours must come from its own topic — for skip-gram and CBOW,
// with negative sampling and with hierarchical softmax.
#include "attn/embed/word2vec.h"

#include <gtest/gtest.h>

#include "attn/core/error.h"
#include "attn/core/rng.h"
#include "embed_test_util.h"

namespace attn::embed {
namespace {

using testing::TempDir;

constexpr int kTopics = 4;
constexpr int kWordsPerTopic = 8;

std::string topic_word(int t, int i) { return "t" + std::to_string(t) + "w" + std::to_string(i); }

std::string planted_corpus(int lines) {
  Generator gen(7);
  std::string text;
  for (int l = 0; l < lines; ++l) {
    const int t = static_cast<int>(gen.randint(kTopics));
    for (int k = 0; k < 12; ++k) text += topic_word(t, static_cast<int>(gen.randint(kWordsPerTopic))) + " ";
    text += "\n";
  }
  return text;
}

// Fraction of (word, top-3 neighbour) pairs that share a topic.
double topic_purity(const KeyedVectors& kv) {
  int good = 0, all = 0;
  for (int t = 0; t < kTopics; ++t) {
    for (int i = 0; i < kWordsPerTopic; ++i) {
      for (const auto& n : kv.most_similar(topic_word(t, i), 3)) {
        good += n.word.substr(0, 2) == "t" + std::to_string(t);
        ++all;
      }
    }
  }
  return static_cast<double>(good) / all;
}

struct Case {
  Word2VecModel model;
  int negative;
  bool hs;
};

class Word2VecLearns : public ::testing::TestWithParam<Case> {};

TEST_P(Word2VecLearns, NeighboursShareTheirTopic) {
  TempDir tmp;
  const auto corpus = tmp.write("planted.txt", planted_corpus(1500));
  Word2VecOptions o;
  o.model = GetParam().model;
  o.negative = GetParam().negative;
  o.hs = GetParam().hs;
  o.dim = 16;
  o.window = 3;
  o.epochs = 3;
  o.min_count = 1;
  o.sample = 0;
  o.threads = 2;
  o.progress = false;
  const auto r = train_word2vec(corpus, o);
  EXPECT_EQ(r.vectors.size(), kTopics * kWordsPerTopic);
  EXPECT_EQ(r.stats.trained_words, 3 * 1500 * 12);
  EXPECT_GE(topic_purity(r.vectors), 0.95);
}

INSTANTIATE_TEST_SUITE_P(
    Models, Word2VecLearns,
    ::testing::Values(Case{Word2VecModel::SkipGram, 5, false}, Case{Word2VecModel::Cbow, 5, false},
                      Case{Word2VecModel::SkipGram, 0, true}, Case{Word2VecModel::Cbow, 0, true}),
    [](const auto& p) { return std::string(model_name(p.param.model)) + (p.param.hs ? "_hs" : "_neg"); });

TEST(Word2Vec, OneThreadWithASeedIsRepeatable) {
  TempDir tmp;
  const auto corpus = tmp.write("planted.txt", planted_corpus(200));
  Word2VecOptions o;
  o.dim = 8;
  o.min_count = 1;
  o.epochs = 1;
  o.threads = 1;
  o.progress = false;
  const auto a = train_word2vec(corpus, o);
  const auto b = train_word2vec(corpus, o);
  ASSERT_EQ(a.vectors.data().size(), b.vectors.data().size());
  EXPECT_TRUE(std::equal(a.vectors.data().begin(), a.vectors.data().end(), b.vectors.data().begin()));
  o.seed = 2;
  const auto c = train_word2vec(corpus, o);
  EXPECT_FALSE(std::equal(a.vectors.data().begin(), a.vectors.data().end(), c.vectors.data().begin()));
}

TEST(Word2Vec, SubsamplingDropsFrequentWords) {
  TempDir tmp;
  const auto corpus = tmp.write("planted.txt", planted_corpus(200));
  Word2VecOptions o;
  o.dim = 8;
  o.min_count = 1;
  o.epochs = 1;
  o.sample = 1e-3;  // every word here is frequent: (sqrt(f/t)+1)·t/f ≈ 0.25 for f = 1/32
  o.threads = 1;
  o.progress = false;
  EXPECT_NO_THROW(train_word2vec(corpus, o));
}

TEST(Word2Vec, BadInputIsAClearError) {
  TempDir tmp;
  Word2VecOptions o;
  o.progress = false;
  EXPECT_THROW(train_word2vec("/nonexistent/corpus.txt", o), Error);
  EXPECT_THROW(train_word2vec(tmp.write("empty.txt", ""), o), Error);
  EXPECT_THROW(train_word2vec(tmp.write("rare.txt", "only rare words here\n"), o), Error);  // min_count 5
  o.negative = 0;
  o.hs = false;
  EXPECT_THROW(train_word2vec(tmp.write("ok.txt", "a a a a a a\n"), o), Error);
}

}  // namespace
}  // namespace attn::embed
