// GloVe: co-occurrence counts vs a Python transcription of cooccur.c (also when memory forces spills), the
// shuffle keeps every record, one AdaGrad step vs a numpy transcription of glove.c, and training lowers cost.
#include "attn/embed/glove.h"

#include <gtest/gtest.h>

#include <map>

#include "attn/core/error.h"
#include "attn/embed/cooccurrence.h"
#include "embed_test_util.h"

namespace attn::embed {
namespace {

using testing::fixture;
using testing::TempDir;

std::map<std::pair<std::string, std::string>, double> counted(const Vocab& v, const std::string& path) {
  std::map<std::pair<std::string, std::string>, double> m;
  for (const auto& r : read_cooccurrences(path)) m[{v.words[r.w1], v.words[r.w2]}] += r.x;
  return m;
}

TEST(Cooccurrence, MatchesReferenceCounts) {
  const auto j = testing::load_json("glove.json");
  TempDir tmp;
  const Vocab v = build_vocab(fixture("cooc_corpus.txt"), 1);
  CooccurrenceOptions o;
  o.window = j["window"].get<int>();
  o.temp_dir = tmp.file("");
  const auto stats = count_cooccurrences(fixture("cooc_corpus.txt"), v, o, tmp.file("cooc.bin"));
  const auto got = counted(v, tmp.file("cooc.bin"));
  const auto want = j["cooccurrence"];
  EXPECT_EQ(got.size(), want.size());
  EXPECT_EQ(stats.records, static_cast<int64_t>(want.size()));
  for (const auto& e : want) {
    const auto key = std::make_pair(e[0].get<std::string>(), e[1].get<std::string>());
    ASSERT_TRUE(got.count(key)) << key.first << " " << key.second;
    EXPECT_NEAR(got.at(key), e[2].get<double>(), 1e-12) << key.first << " " << key.second;
  }
  // The output is sorted by (w1, w2).
  const auto recs = read_cooccurrences(tmp.file("cooc.bin"));
  for (size_t i = 1; i < recs.size(); ++i)
    EXPECT_TRUE(std::make_pair(recs[i - 1].w1, recs[i - 1].w2) < std::make_pair(recs[i].w1, recs[i].w2));
}

TEST(Cooccurrence, SpillsUnderATinyBudgetAndStillCountsRight) {
  TempDir tmp;
  std::string text;
  for (int i = 0; i < 3000; ++i) text += "w" + std::to_string(i % 97) + (i % 13 == 12 ? "\n" : " ");
  const auto corpus = tmp.write("c.txt", text);
  const Vocab v = build_vocab(corpus, 1);
  CooccurrenceOptions big, small;
  big.temp_dir = small.temp_dir = tmp.file("");
  small.memory_bytes = 1;  // the floor: 1024 entries
  const auto a = count_cooccurrences(corpus, v, big, tmp.file("a.bin"));
  const auto b = count_cooccurrences(corpus, v, small, tmp.file("b.bin"));
  EXPECT_EQ(a.spills, 1);
  EXPECT_GT(b.spills, 5);
  EXPECT_EQ(a.records, b.records);
  const auto ra = counted(v, tmp.file("a.bin"));
  const auto rb = counted(v, tmp.file("b.bin"));
  ASSERT_EQ(ra.size(), rb.size());
  for (const auto& [k, x] : ra) EXPECT_NEAR(rb.at(k), x, 1e-9);

  shuffle_cooccurrences(tmp.file("b.bin"), tmp.file("s.bin"), 1, 3, tmp.file(""));
  const auto shuffled = read_cooccurrences(tmp.file("s.bin"));
  const auto sorted = read_cooccurrences(tmp.file("b.bin"));
  ASSERT_EQ(shuffled.size(), sorted.size());
  EXPECT_FALSE(std::equal(shuffled.begin(), shuffled.end(), sorted.begin(),
                          [](const auto& p, const auto& q) { return p.w1 == q.w1 && p.w2 == q.w2; }));
  EXPECT_EQ(counted(v, tmp.file("s.bin")), rb);
}

TEST(GloveAdaGrad, OneStepMatchesNumpy) {
  const auto j = testing::load_json("glove.json")["step"];
  const int64_t D = j["dim"].get<int64_t>();
  for (const auto& after : j["after"]) {
    auto w = j["w"].get<std::vector<float>>();
    auto c = j["c"].get<std::vector<float>>();
    auto gw = j["gw"].get<std::vector<float>>();
    auto gc = j["gc"].get<std::vector<float>>();
    const double cost =
        glove_adagrad_step(w.data(), c.data(), gw.data(), gc.data(), D, after["x"].get<double>(),
                           j["x_max"].get<double>(), j["alpha"].get<double>(), j["eta"].get<double>());
    EXPECT_NEAR(cost, after["cost"].get<double>(), 1e-5 * (1 + std::abs(after["cost"].get<double>())));
    const auto ew = after["w"].get<std::vector<double>>(), ec = after["c"].get<std::vector<double>>();
    const auto egw = after["gw"].get<std::vector<double>>(), egc = after["gc"].get<std::vector<double>>();
    for (int64_t d = 0; d <= D; ++d) {
      EXPECT_NEAR(w[d], ew[d], 1e-5) << "w[" << d << "] x=" << after["x"];
      EXPECT_NEAR(c[d], ec[d], 1e-5) << "c[" << d << "]";
      EXPECT_NEAR(gw[d], egw[d], 1e-5) << "gw[" << d << "]";
      EXPECT_NEAR(gc[d], egc[d], 1e-5) << "gc[" << d << "]";
    }
  }
}

TEST(Glove, TrainingLowersTheCostAndWritesEveryWord) {
  TempDir tmp;
  std::string text;
  for (int i = 0; i < 400; ++i) text += (i % 2 ? "red green blue red green\n" : "one two three two one\n");
  const auto corpus = tmp.write("g.txt", text);
  GloveOptions o;
  o.dim = 8;
  o.min_count = 1;
  o.epochs = 10;
  o.threads = 2;
  o.progress = false;
  o.temp_dir = tmp.file("");
  const auto r = train_glove(corpus, o);
  EXPECT_EQ(r.vectors.size(), 6);
  ASSERT_EQ(r.stats.epoch_cost.size(), 10u);
  EXPECT_LT(r.stats.epoch_cost.back(), 0.5 * r.stats.epoch_cost.front());
  EXPECT_GT(r.vectors.similarity("red", "green"), r.vectors.similarity("red", "two"));
}

TEST(Glove, BadInputIsAClearError) {
  TempDir tmp;
  GloveOptions o;
  o.progress = false;
  o.temp_dir = tmp.file("");
  EXPECT_THROW(train_glove("/nonexistent/corpus.txt", o), Error);
  EXPECT_THROW(train_glove(tmp.write("empty.txt", "\n\n"), o), Error);
  EXPECT_THROW(train_glove(tmp.write("rare.txt", "all words rare\n"), o), Error);
}

}  // namespace
}  // namespace attn::embed
