// Spearman's rho vs scipy.stats.spearmanr, word-pair evaluation vs gensim's evaluate_word_pairs, analogy
// answers vs gensim's most_similar (3CosAdd) and a numpy 3CosMul (fixtures: tools/fixtures/embed.py).
#include "attn/embed/evaluate.h"

#include <gtest/gtest.h>

#include "attn/core/error.h"
#include "attn/embed/formats.h"
#include "embed_test_util.h"

namespace attn::embed {
namespace {

using testing::fixture;

TEST(Spearman, MatchesScipyWithTies) {
  const auto j = testing::load_json("evaluate.json")["spearman"];
  const auto x = j["x"].get<std::vector<double>>();
  const auto y = j["y"].get<std::vector<double>>();
  EXPECT_NEAR(spearman(x, y), j["rho"].get<double>(), 1e-12);
}

TEST(Spearman, RanksAverageTies) {
  const std::vector<double> x = {10, 20, 20, 5};
  EXPECT_EQ(rank_average(x), (std::vector<double>{2, 3.5, 3.5, 1}));
  EXPECT_THROW(spearman(std::vector<double>{1}, std::vector<double>{2}), Error);
}

TEST(WordPairs, MatchesGensimEvaluateWordPairs) {
  const auto j = testing::load_json("evaluate.json")["word_pairs"];
  const auto kv = load_word2vec_format(fixture("analogy_vectors.bin"));
  const auto r = evaluate_word_pairs(kv, fixture("word_pairs.txt"));
  EXPECT_EQ(r.pairs, j["pairs"].get<int64_t>());
  EXPECT_NEAR(100.0 * r.oov / r.pairs, j["oov_ratio_percent"].get<double>(), 1e-9);
  EXPECT_NEAR(r.spearman, j["spearman"].get<double>(), 1e-6);
}

TEST(Analogy, CosAddMatchesGensimPerQuestionAndPerSection) {
  const auto j = testing::load_json("evaluate.json")["analogy"];
  const auto kv = load_word2vec_format(fixture("analogy_vectors.bin"));
  const auto r = evaluate_analogies(kv, fixture("analogy_questions.txt"), AnalogyMethod::CosAdd,
                                    j["restrict_vocab"].get<int64_t>());
  EXPECT_EQ(r.predictions, j["cosadd_predictions"].get<std::vector<int32_t>>());
  const auto& sections = j["sections"];
  ASSERT_EQ(r.sections.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(r.sections[i].name, sections[i]["name"].get<std::string>());
    EXPECT_EQ(r.sections[i].correct, sections[i]["correct"].get<int64_t>());
    EXPECT_EQ(r.sections[i].seen - r.sections[i].correct, sections[i]["incorrect"].get<int64_t>());
  }
  EXPECT_NEAR(r.total.accuracy(), j["total_accuracy"].get<double>(), 1e-12);
  EXPECT_EQ(r.semantic.seen + r.syntactic.seen, r.total.seen);
  EXPECT_EQ(r.total.questions, 51);
}

TEST(Analogy, CosMulMatchesLevyGoldberg) {
  const auto j = testing::load_json("evaluate.json")["analogy"];
  const auto kv = load_word2vec_format(fixture("analogy_vectors.bin"));
  const auto r = evaluate_analogies(kv, fixture("analogy_questions.txt"), AnalogyMethod::CosMul,
                                    j["restrict_vocab"].get<int64_t>());
  EXPECT_EQ(r.predictions, j["cosmul_predictions"].get<std::vector<int32_t>>());
}

TEST(KeyedVectors, MostSimilarExcludesTheWordAndRanksByCosine) {
  const auto kv = load_word2vec_format(fixture("analogy_vectors.bin"));
  const auto ns = kv.most_similar("france", 5);
  ASSERT_EQ(ns.size(), 5u);
  for (size_t i = 0; i < ns.size(); ++i) {
    EXPECT_NE(ns[i].word, "france");
    EXPECT_NEAR(ns[i].score, kv.similarity("france", ns[i].word), 1e-5);
    if (i > 0) {
      EXPECT_GE(ns[i - 1].score, ns[i].score);
    }
  }
  EXPECT_THROW(kv.most_similar("atlantis", 3), Error);
}

TEST(Evaluate, MissingFilesAreIoErrors) {
  const auto kv = load_word2vec_format(fixture("analogy_vectors.bin"));
  EXPECT_THROW(evaluate_word_pairs(kv, "/nonexistent/ws.txt"), Error);
  EXPECT_THROW(evaluate_analogies(kv, "/nonexistent/q.txt", AnalogyMethod::CosAdd), Error);
}

}  // namespace
}  // namespace attn::embed
