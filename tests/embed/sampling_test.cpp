// word2vec.c's formulas: expected values come from a line-by-line Python transcription of word2vec.c in
// tools/fixtures/embed.py (InitUnigramTable, CreateBinaryTree, the subsampling line, expTable).
#include "attn/embed/sampling.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "embed_test_util.h"

namespace attn::embed {
namespace {

TEST(Word2VecFormulas, UnigramTableMatchesWord2VecC) {
  const auto j = testing::load_json("word2vec_c.json");
  const auto counts = j["counts"].get<std::vector<int64_t>>();
  const auto table = make_unigram_table(counts, j["table_size"].get<int64_t>());
  EXPECT_EQ(table, j["table"].get<std::vector<int32_t>>());
}

TEST(Word2VecFormulas, AliasSamplerDrawsTheTablesDistribution) {
  const auto j = testing::load_json("word2vec_c.json");
  const auto counts = j["counts"].get<std::vector<int64_t>>();
  const auto table = j["table"].get<std::vector<int32_t>>();
  const UnigramSampler sampler(counts);
  double total_pow = 0;
  for (auto c : counts) total_pow += std::pow(static_cast<double>(c), 0.75);
  double sum = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    const double p = sampler.probability(static_cast<int32_t>(i));
    sum += p;
    // Exactly count^0.75 / Σ (up to 2^-32 per column) …
    EXPECT_NEAR(p, std::pow(static_cast<double>(counts[i]), 0.75) / total_pow, 1e-8) << i;
    // … which word2vec.c's table approximates to within a few slots.
    const double slots = static_cast<double>(std::count(table.begin(), table.end(), static_cast<int32_t>(i)));
    EXPECT_NEAR(p, slots / static_cast<double>(table.size()), 2.0 / static_cast<double>(table.size())) << i;
  }
  EXPECT_NEAR(sum, 1.0, 1e-9);
  // Empirical frequencies over 10^6 draws agree too (4 standard deviations).
  std::vector<int64_t> hits(counts.size(), 0);
  Lcg rng{42};
  const int n = 1000000;
  for (int k = 0; k < n; ++k) ++hits[sampler(mix64(rng.next()))];
  for (size_t i = 0; i < counts.size(); ++i) {
    const double p = sampler.probability(static_cast<int32_t>(i));
    EXPECT_NEAR(static_cast<double>(hits[i]) / n, p, 4 * std::sqrt(p * (1 - p) / n)) << i;
  }
}

TEST(Word2VecFormulas, HuffmanCodesAndPointsMatchWord2VecC) {
  const auto j = testing::load_json("word2vec_c.json");
  const auto tree = make_huffman_tree(j["counts"].get<std::vector<int64_t>>());
  const auto codes = j["codes"].get<std::vector<std::vector<int>>>();
  const auto points = j["points"].get<std::vector<std::vector<int32_t>>>();
  ASSERT_EQ(tree.codes.size(), codes.size());
  for (size_t w = 0; w < codes.size(); ++w) {
    EXPECT_EQ(std::vector<int>(tree.codes[w].begin(), tree.codes[w].end()), codes[w]) << "word " << w;
    EXPECT_EQ(tree.points[w], points[w]) << "word " << w;
  }
  // The most frequent word gets the shortest code.
  EXPECT_LE(tree.codes.front().size(), tree.codes.back().size());
}

TEST(Word2VecFormulas, SubsamplingKeepProbabilityMatchesWord2VecC) {
  const auto j = testing::load_json("word2vec_c.json");
  const auto counts = j["counts"].get<std::vector<int64_t>>();
  const auto keep = j["keep_probability"].get<std::vector<double>>();
  int64_t total = 0;
  for (auto c : counts) total += c;
  for (size_t i = 0; i < counts.size(); ++i) {
    EXPECT_NEAR(subsample_keep_probability(counts[i], j["sample"].get<double>(), total), keep[i], 1e-12);
    const uint32_t thr = subsample_threshold(counts[i], j["sample"].get<double>(), total);
    EXPECT_EQ(thr, keep[i] >= 1 ? 65536u : static_cast<uint32_t>(std::floor(keep[i] * 65536)));
  }
  EXPECT_EQ(subsample_keep_probability(10, 0.0, 100), 1.0);
}

TEST(Word2VecFormulas, SigmoidTableMatchesExpTable) {
  const auto j = testing::load_json("word2vec_c.json");
  const auto expected = j["sigmoid_table"].get<std::vector<double>>();
  SigmoidTable sigmoid;
  for (int i = 0; i < kExpTableSize; ++i) {
    // x at the start of bucket i maps back to entry i.
    const float x = (static_cast<float>(i) + 0.5f) / (kExpTableSize / kMaxExp / 2) - kMaxExp;
    EXPECT_NEAR(sigmoid(x), expected[i], 1e-6) << i;
  }
  EXPECT_NEAR(sigmoid(0.0f), 0.5f, 0.01f);
}

TEST(Word2VecFormulas, LcgIsWord2VecCs) {
  Lcg rng{1};
  EXPECT_EQ(rng.next(), 25214903917ull + 11);
  EXPECT_EQ(rng.next(), (25214903917ull + 11) * 25214903917ull + 11);
}

}  // namespace
}  // namespace attn::embed
