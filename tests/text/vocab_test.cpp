// Word-level vocabulary (the seed's first example) and the training batcher.
#include "attn/text/vocab.h"

#include <gtest/gtest.h>

#include "attn/core/error.h"
#include "attn/text/batch.h"
#include "attn/text/tokenizer.h"
#include "golden.h"

namespace attn::text {
namespace {

TEST(Vocab, SeedExampleIAmHappy) {
  const Vocab v = Vocab::build({"I am happy", "I am sad", "you are happy"});
  EXPECT_EQ(v.tokenize("I am happy"), (std::vector<std::string>{"i", "am", "happy"}));
  EXPECT_EQ(v.token(0), "[PAD]");
  EXPECT_EQ(v.pad_id(), 0);
  EXPECT_EQ(v.unk_id(), 1);
  // Specials first, then by frequency (am, happy, i: 2 each; ties by spelling), then the rest.
  EXPECT_EQ(v.size(), 7u + 6u);
  EXPECT_EQ(v.token(7), "am");
  EXPECT_EQ(v.encode("I am happy"), (std::vector<int32_t>{9, 7, 8}));
  EXPECT_EQ(v.encode("I am grumpy!"), (std::vector<int32_t>{9, 7, v.unk_id(), v.unk_id()}));
  EXPECT_EQ(v.decode({2, 9, 7, 8, 3, 0}), "i am happy");
}

TEST(Vocab, MinFreqMaxSizeSaveLoad) {
  const std::vector<std::string> corpus = {"a a a b b c", "a b d"};
  const Vocab v = Vocab::build(corpus, {.min_freq = 2, .max_size = 8});
  EXPECT_EQ(v.size(), 8u);  // 7 specials + "a" ("b" would be the 9th)
  EXPECT_TRUE(v.contains("a"));
  EXPECT_FALSE(v.contains("b"));
  const Vocab all = Vocab::build(corpus, {.min_freq = 2});
  EXPECT_TRUE(all.contains("b"));
  EXPECT_FALSE(all.contains("c"));
  const std::string path = ::testing::TempDir() + "vocab.txt";
  all.save(path);
  const Vocab back = Vocab::load(path);
  EXPECT_EQ(back.tokens(), all.tokens());
  EXPECT_THROW(Vocab::load(path + ".missing"), Error);
}

TEST(Batch, MakeBatchIsAPaddedRectangle) {
  Tokenizer tok = Tokenizer::from_file(std::string(ATTN_MODELS_DIR) + "/all-MiniLM-L6-v2/tokenizer.json");
  tok.set_padding(std::nullopt);
  const Batch b =
      make_batch(tok.encode_batch({"Hello, y'all!", "How are you 😁 ?", "I'm fine thank you and you?"}));
  EXPECT_EQ(b.rows, 3);
  EXPECT_EQ(b.cols, 11);
  ASSERT_EQ(b.input_ids.size(), 33u);
  EXPECT_EQ(b.input_ids[0], 101);
  EXPECT_EQ(b.input_ids[10], 0);  // [PAD] at the end of row 0
  EXPECT_EQ(b.attention_mask[10], 0);
  EXPECT_EQ(b.attention_mask[22 + 10], 1);  // row 2 is the longest
}

TEST(Batch, BucketingCutsPaddingAndRespectsTheTokenBudget) {
  std::vector<size_t> lengths;
  for (const std::string& t : testing::read_corpus()) lengths.push_back(t.size() / 4 + 1);
  const Batcher bucketed(lengths, {}, {.batch_size = 32, .shuffle = true, .seed = 1});
  const auto batches = bucketed.epoch(0);
  size_t seen = 0;
  for (const auto& b : batches) seen += b.size();
  EXPECT_EQ(seen, lengths.size());
  // Random batches of 32 in corpus order, for comparison.
  std::vector<std::vector<size_t>> plain;
  for (size_t i = 0; i < lengths.size(); i += 32) {
    plain.emplace_back();
    for (size_t j = i; j < std::min(i + 32, lengths.size()); ++j) plain.back().push_back(j);
  }
  EXPECT_LT(bucketed.padding_fraction(batches), 0.05);
  EXPECT_GT(bucketed.padding_fraction(plain), 0.3);
  EXPECT_EQ(bucketed.epoch(0), batches);  // same seed and epoch: same batches
  EXPECT_NE(bucketed.epoch(1), batches);  // next epoch: reshuffled
  const Batcher budget(lengths, lengths, {.max_tokens = 4096, .seed = 2});
  for (const auto& b : budget.epoch(0)) {
    size_t ma = 0;
    for (size_t i : b) ma = std::max(ma, lengths[i]);
    EXPECT_TRUE(b.size() == 1 || b.size() * 2 * ma <= 4096);
  }
}

}  // namespace
}  // namespace attn::text
