// BertConfig::to_json and models::save_pretrained: a config survives the round trip field for field
// (id2label included), a saved all-MiniLM-L6-v2 directory loads back into the same model — bitwise the same
// outputs — with its tokenizer files beside it, and broken id2label maps are named errors.
#include "attn/models/bert_save.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "attn/autograd/grad_mode.h"
#include "attn/core/error.h"
#include "attn/models/bert.h"
#include "attn/tensor/creation.h"
#include "model_paths.h"

namespace attn {
namespace {

namespace fs = std::filesystem;
using models::BertConfig;

void expect_same_config(const BertConfig& a, const BertConfig& b) {
  EXPECT_EQ(a.vocab_size, b.vocab_size);
  EXPECT_EQ(a.hidden_size, b.hidden_size);
  EXPECT_EQ(a.num_hidden_layers, b.num_hidden_layers);
  EXPECT_EQ(a.num_attention_heads, b.num_attention_heads);
  EXPECT_EQ(a.intermediate_size, b.intermediate_size);
  EXPECT_EQ(a.hidden_act, b.hidden_act);
  EXPECT_EQ(a.hidden_dropout_prob, b.hidden_dropout_prob);
  EXPECT_EQ(a.attention_probs_dropout_prob, b.attention_probs_dropout_prob);
  EXPECT_EQ(a.max_position_embeddings, b.max_position_embeddings);
  EXPECT_EQ(a.type_vocab_size, b.type_vocab_size);
  EXPECT_EQ(a.initializer_range, b.initializer_range);
  EXPECT_EQ(a.layer_norm_eps, b.layer_norm_eps);
  EXPECT_EQ(a.pad_token_id, b.pad_token_id);
  EXPECT_EQ(a.model_type, b.model_type);
  EXPECT_EQ(a.architectures, b.architectures);
  EXPECT_EQ(a.id2label, b.id2label);
  EXPECT_EQ(a.classifier_dropout, b.classifier_dropout);
}

TEST(BertConfigJson, RoundTripsEveryField) {
  BertConfig c;
  c.vocab_size = 1234;
  c.hidden_size = 48;
  c.num_hidden_layers = 3;
  c.num_attention_heads = 4;
  c.intermediate_size = 96;
  c.hidden_act = models::HiddenAct::Relu;
  c.hidden_dropout_prob = 0.25;
  c.layer_norm_eps = 1e-7;
  c.architectures = {"BertForSequenceClassification"};
  c.id2label = {"negative", "positive", "neutral"};
  c.classifier_dropout = 0.3;
  expect_same_config(BertConfig::from_json(c.to_json()), c);
  expect_same_config(BertConfig::from_json(BertConfig().to_json()), BertConfig());
}

TEST(BertConfigJson, Id2LabelMustCoverTheIds) {
  for (const char* bad : {R"({"id2label": {"0": "a", "2": "b"}})", R"({"id2label": {"x": "a"}})",
                          R"({"id2label": {"0": 7}})", R"({"id2label": ["a", "b"]})"}) {
    try {
      BertConfig::from_json(bad, "cfg.json");
      ADD_FAILURE() << "accepted " << bad;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("cfg.json: "), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("id2label"), std::string::npos) << e.what();
    }
  }
}

TEST(SavePretrained, MiniLMSavesAndLoadsBackBitwise) {
  ATTN_REQUIRE_MODEL(test::minilm_dir());
  const auto bert = models::BertModel::from_pretrained(test::minilm_dir());
  const fs::path dir = fs::temp_directory_path() / ("attn_save_test_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  models::save_pretrained(dir.string(), bert->config, bert->state_dict(), test::minilm_dir());
  models::save_pretrained(dir.string(), bert->config, bert->state_dict(), test::minilm_dir());  // over it
  EXPECT_TRUE(fs::exists(dir / "tokenizer.json"));
  EXPECT_TRUE(fs::exists(dir / "vocab.txt"));
  EXPECT_FALSE(fs::exists(dir.string() + ".tmp"));
  EXPECT_FALSE(fs::exists(dir.string() + ".old"));

  const auto back = models::BertModel::from_pretrained(dir.string());
  expect_same_config(back->config, bert->config);
  const Tensor ids = from_vector<int64_t>({101, 7592, 2088, 2003, 1037, 3231, 102, 0}, {2, 4});
  const Tensor mask = from_vector<int64_t>({1, 1, 1, 1, 1, 1, 1, 0}, {2, 4});
  NoGradGuard no_grad;
  const auto a = bert->forward(ids, mask), b = back->forward(ids, mask);
  EXPECT_EQ(to_vector<float>(a.last_hidden_state), to_vector<float>(b.last_hidden_state));
  EXPECT_EQ(to_vector<float>(a.pooler_output), to_vector<float>(b.pooler_output));
  fs::remove_all(dir);
}

TEST(SavePretrained, RefusesNonFloatTensorsAndMissingTokenizer) {
  const fs::path dir = fs::temp_directory_path() / ("attn_save_bad_" + std::to_string(::getpid()));
  EXPECT_THROW(models::save_pretrained(dir.string(), BertConfig(), {{"x", zeros({2}, DType::F64)}}), Error);
  EXPECT_THROW(models::save_pretrained(dir.string(), BertConfig(), {{"x", zeros({2})}}, "/nonexistent_tok"),
               Error);
  EXPECT_FALSE(fs::exists(dir));
  EXPECT_FALSE(fs::exists(dir.string() + ".tmp"));
}

}  // namespace
}  // namespace attn
