// SentenceEncoder on all-MiniLM-L6-v2: embeddings vs sentence-transformers 3.2.1 (tools/fixtures/bert.py),
// defaults from the checkpoint's sentence-transformers files, the batch-independence guarantee, over-long
// input (reported truncation, or chunked windows), and the other pooling modes.
#include "attn/models/sentence_encoder.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "attn/autograd/grad_mode.h"
#include "attn/core/threads.h"
#include "attn/ops/shape.h"
#include "attn/tensor/creation.h"
#include "model_paths.h"
#include "support/fixtures.h"

namespace attn {
namespace {

using models::Pooling;
using models::SentenceEncoder;

const SentenceEncoder& minilm() {
  static const SentenceEncoder enc = SentenceEncoder::from_pretrained(test::minilm_dir());
  return enc;
}

std::vector<std::string> fixture_texts(const std::string& batch) {
  std::ifstream in(std::string(ATTN_TEST_DATA) + "/bert/bert.json");
  return nlohmann::json::parse(in)["texts"][batch].get<std::vector<std::string>>();
}

std::vector<float> row(const Tensor& t, int64_t i) { return to_vector<float>(select(t, 0, i)); }

TEST(SentenceEncoder, DefaultsComeFromTheSentenceTransformersConfig) {
  ATTN_REQUIRE_MODEL(test::minilm_dir());
  EXPECT_EQ(minilm().pooling(), Pooling::Mean);  // 1_Pooling/config.json: pooling_mode_mean_tokens
  EXPECT_TRUE(minilm().normalize());             // modules.json lists sentence_transformers.models.Normalize
  EXPECT_EQ(minilm().max_seq_length(), 256);     // sentence_bert_config.json
  EXPECT_EQ(minilm().dimension(), 384);
}

class VsSentenceTransformers : public ::testing::TestWithParam<std::string> {};

// The bar: cosine ≥ 0.99999 with sentence-transformers' embedding of every sentence.
TEST_P(VsSentenceTransformers, CosineAtLeast0_99999) {
  ATTN_REQUIRE_MODEL(test::minilm_dir());
  const test::Fixture f("bert/bert.safetensors");
  const auto texts = fixture_texts(GetParam());
  const auto r = minilm().encode(texts);
  const Tensor& want = f[GetParam() + ".sentence_embedding"];
  double worst = 1.0, max_abs = 0.0;
  for (int64_t i = 0; i < static_cast<int64_t>(texts.size()); ++i) {
    const auto a = row(r.embeddings, i), b = row(want, i);
    worst = std::min(worst, models::cosine_similarity(a.data(), b.data(), 384));
    for (size_t c = 0; c < a.size(); ++c)
      max_abs = std::max(max_abs, static_cast<double>(std::abs(a[c] - b[c])));
  }
  std::printf("[ bert ] %s: min cosine vs sentence-transformers %.9f, max-abs %.3g over %zu sentences\n",
              GetParam().c_str(), worst, max_abs, texts.size());
  EXPECT_GE(worst, 0.99999);
}

INSTANTIATE_TEST_SUITE_P(MiniLM, VsSentenceTransformers, ::testing::Values("en", "ko"));

// A text's embedding is the same alone or inside any batch: compared bit for bit.
TEST(SentenceEncoder, EmbeddingDoesNotDependOnTheBatch) {
  ATTN_REQUIRE_MODEL(test::minilm_dir());
  auto texts = fixture_texts("en");
  for (const auto& t : fixture_texts("ko")) texts.push_back(t);
  texts.push_back(texts[0]);  // a duplicate: same length as its twin, so they share a forward pass
  // Three short texts of one length (5 tokens): 5-row products, thinner than the GEMM's 12-row register tile.
  for (const char* s : {"a cat.", "a dog.", "the sun."}) texts.emplace_back(s);
  const Tensor together = minilm().encode(texts).embeddings;  // (N, 384)
  std::vector<std::string> reversed(texts.rbegin(), texts.rend());
  const Tensor backwards = minilm().encode(reversed).embeddings;
  double max_abs = 0;
  size_t differing = 0;
  const auto n = static_cast<int64_t>(texts.size());
  for (int64_t i = 0; i < n; ++i) {
    const auto alone = row(minilm().encode({texts[static_cast<size_t>(i)]}).embeddings, 0);
    for (const auto& other : {row(together, i), row(backwards, n - 1 - i)}) {
      for (size_t c = 0; c < alone.size(); ++c)
        max_abs = std::max(max_abs, static_cast<double>(std::abs(alone[c] - other[c])));
      differing += std::memcmp(alone.data(), other.data(), alone.size() * sizeof(float)) != 0;
    }
  }
  std::printf("[ bert ] alone vs batched: max-abs %.3g, %zu of %lld rows not bitwise equal\n", max_abs,
              differing, static_cast<long long>(2 * n));
  EXPECT_LE(max_abs, 1e-6);
  EXPECT_EQ(differing, 0u);
}

TEST(SentenceEncoder, EmbeddingDoesNotDependOnTheThreadCount) {
  ATTN_REQUIRE_MODEL(test::minilm_dir());
  const auto texts = fixture_texts("ko");
  const int saved = get_num_threads();
  set_num_threads(1);
  const auto one = to_vector<float>(minilm().encode(texts).embeddings);
  set_num_threads(2);
  const auto two = to_vector<float>(minilm().encode(texts).embeddings);
  set_num_threads(saved);
  EXPECT_EQ(one, two);
}

TEST(SentenceEncoder, OverLongInputIsReportedNeverCutSilently) {
  ATTN_REQUIRE_MODEL(test::minilm_dir());
  std::string long_text;
  for (int i = 0; i < 60; ++i) long_text += "the expressive power of the camera ";  // 6 tokens each
  const auto r = minilm().encode({"short", long_text});
  ASSERT_EQ(r.truncated.size(), 1u);
  EXPECT_EQ(r.truncated[0].index, 1u);
  EXPECT_EQ(r.truncated[0].num_tokens, 362);  // 360 + [CLS] + [SEP]
  EXPECT_EQ(r.truncated[0].kept, 256);
}

TEST(SentenceEncoder, ChunkAveragesOverlappingWindows) {
  ATTN_REQUIRE_MODEL(test::minilm_dir());
  models::SentenceEncoderOptions o;
  o.chunk = true;
  o.chunk_overlap = 32;
  const auto enc = SentenceEncoder::from_pretrained(test::minilm_dir(), o);
  std::string long_text;
  for (int i = 0; i < 60; ++i) long_text += "the expressive power of the camera ";
  const auto r = enc.encode({long_text, "short"});
  EXPECT_TRUE(r.truncated.empty());
  EXPECT_EQ(r.num_windows, (std::vector<int64_t>{2, 1}));  // 360 tokens: 254 + (360 − 254 + 32) in 2 windows
  const auto v = row(r.embeddings, 0);
  EXPECT_NEAR(models::cosine_similarity(v.data(), v.data(), 384), 1.0, 1e-9);
  double norm = 0;
  for (float x : v) norm += static_cast<double>(x) * x;
  EXPECT_NEAR(norm, 1.0, 1e-5);
  // The short text is unaffected by chunking.
  const auto s = row(minilm().encode({"short"}).embeddings, 0), s2 = row(r.embeddings, 1);
  EXPECT_EQ(std::memcmp(s.data(), s2.data(), s.size() * sizeof(float)), 0);
}

TEST(SentenceEncoder, ClsAndMaxPoolingWithoutNormalisation) {
  ATTN_REQUIRE_MODEL(test::minilm_dir());
  const test::Fixture f("bert/bert.safetensors");
  const auto texts = fixture_texts("en");
  // HF's last_hidden_state of text 0 (its real tokens are a prefix of the padded row).
  const Tensor mask = f["en.attention_mask"];
  int64_t len = 0;
  while (len < mask.size(1) && mask.at<int64_t>({0, len}) == 1) ++len;
  const Tensor h = narrow(select(f["en.last_hidden_state"], 0, 0), 0, 0, len);  // (T, C)
  for (const Pooling p : {Pooling::Cls, Pooling::Max}) {
    models::SentenceEncoderOptions o;
    o.pooling = p;
    o.normalize = false;
    const auto got =
        row(SentenceEncoder::from_pretrained(test::minilm_dir(), o).encode({texts[0]}).embeddings, 0);
    for (int64_t c = 0; c < 384; ++c) {
      double want = p == Pooling::Cls ? h.at<float>({0, c}) : -1e30;
      if (p == Pooling::Max)
        for (int64_t t = 0; t < len; ++t) want = std::max(want, static_cast<double>(h.at<float>({t, c})));
      ASSERT_NEAR(got[static_cast<size_t>(c)], want, 1e-4) << models::pooling_name(p) << " channel " << c;
    }
  }
  EXPECT_THROW(models::pooling_from_name("sum"), Error);
}

}  // namespace
}  // namespace attn
