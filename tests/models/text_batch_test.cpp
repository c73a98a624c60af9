// text::Batch → tensors, on the seed's three sentences padded as Hugging Face pads them:
//   tok = Tokenizer.from_file("models/all-MiniLM-L6-v2/tokenizer.json"); tok.enable_padding()  (longest)
//   e = tok.encode_batch(["Hello, y'all!", "How are you 😁 ?", "I'm fine thank you and you?"])
//   e[0].ids            → [101, 7592, 1010, 1061, 1005, 2035, 999, 102, 0, 0, 0]
//   e[1].attention_mask → [1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]
#include "attn/models/text_batch.h"

#include <gtest/gtest.h>

#include "attn/text/tokenizer.h"
#include "model_paths.h"

namespace attn {
namespace {

TEST(TextBatch, SeedSentencesBecomeInt64Tensors) {
  auto tok = text::Tokenizer::from_file(std::string(ATTN_MODELS_DIR) + "/all-MiniLM-L6-v2/tokenizer.json");
  tok.set_padding(text::PaddingParams{});  // pad to the longest in the batch, as HF's enable_padding()
  const text::Batch b =
      text::make_batch(tok.encode_batch({"Hello, y'all!", "How are you 😁 ?", "I'm fine thank you and you?"}));
  const BatchTensors t = to_tensors(b);
  EXPECT_EQ(t.input_ids.shape(), (Shape{3, 11}));
  EXPECT_EQ(t.input_ids.dtype(), DType::I64);
  std::vector<int64_t> row0;
  for (int64_t j = 0; j < 11; ++j) row0.push_back(t.input_ids.at<int64_t>({0, j}));
  EXPECT_EQ(row0, (std::vector<int64_t>{101, 7592, 1010, 1061, 1005, 2035, 999, 102, 0, 0, 0}));
  std::vector<int64_t> mask1;
  for (int64_t j = 0; j < 11; ++j) mask1.push_back(t.attention_mask.at<int64_t>({1, j}));
  EXPECT_EQ(mask1, (std::vector<int64_t>{1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0}));
  EXPECT_EQ(t.token_type_ids.at<int64_t>({2, 10}), 0);
}

TEST(TextBatch, RaggedBatchIsAnError) {
  text::Batch b;
  b.rows = 2;
  b.cols = 3;
  b.input_ids = {1, 2, 3};
  EXPECT_THROW(to_tensors(b), Error);
}

}  // namespace
}  // namespace attn
