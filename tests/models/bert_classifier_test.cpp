// BertForSequenceClassification vs HF transformers 4.46.3 (tools/fixtures/bert_classifier.py →
// tests/data/models/bert_classifier.safetensors): logits, loss and the gradient of every parameter on a tiny
// config with dropout off, on a padded batch of sentence pairs (token_type_ids); loading a fine-tuned HF
// directory and a base BertModel checkpoint (classifier, and a missing pooler, initialised as HF does).
#include "attn/models/bert_classifier.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "attn/io/safetensors.h"
#include "attn/tensor/creation.h"
#include "support/fixtures.h"

namespace attn {
namespace {

namespace fs = std::filesystem;
using models::BertForSequenceClassification;
using models::ClassifierLoadInfo;

const test::Fixture& fixture() {
  static const test::Fixture f("models/bert_classifier.safetensors");
  return f;
}

// The HF config the fixture was made with (bert_classifier.json "config"), as config.json text.
std::string fixture_config() {
  std::ifstream in(std::string(ATTN_TEST_DATA) + "/models/bert_classifier.json");
  return nlohmann::json::parse(in).at("config").dump(1);
}

// A HF directory in a fresh temporary folder: config.json + model.safetensors holding `tensors`.
struct TempModelDir {
  fs::path dir;
  TempModelDir(const std::string& name, const std::string& config,
               const std::map<std::string, Tensor>& tensors) {
    dir = fs::temp_directory_path() / ("attn_cls_" + name + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "config.json") << config;
    io::save_safetensors((dir / "model.safetensors").string(), tensors, {{"format", "pt"}});
  }
  ~TempModelDir() { fs::remove_all(dir); }
};

// The fixture's weights under their HF keys; `strip_bert` drops the "bert." prefix (a base checkpoint), and
// keys starting with any of `drop` are left out.
std::map<std::string, Tensor> fixture_weights(bool strip_bert, const std::vector<std::string>& drop = {}) {
  std::map<std::string, Tensor> out;
  for (const auto& [name, t] : fixture().all()) {
    if (name.rfind("weight.", 0) != 0) continue;
    std::string key = name.substr(7);
    bool skip = false;
    for (const auto& d : drop) skip = skip || key.rfind(d, 0) == 0;
    if (skip) continue;
    if (strip_bert && key.rfind("bert.", 0) == 0) key = key.substr(5);
    out.emplace(key, t);
  }
  return out;
}

// max |a − b| / max |b|: the error relative to the reference tensor's scale (attn float32, HF float64).
double rel_err(const Tensor& a, const Tensor& b) {
  const auto x = to_vector<double>(a), y = to_vector<double>(b);
  EXPECT_EQ(x.size(), y.size());
  double diff = 0, scale = 0;
  for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
    diff = std::max(diff, std::abs(x[i] - y[i]));
    scale = std::max(scale, std::abs(y[i]));
  }
  return diff / std::max(scale, 1e-30);
}

double max_abs(const Tensor& t) {
  double m = 0;
  for (double x : to_vector<double>(t)) m = std::max(m, std::abs(x));
  return m;
}

// The bar: logits, loss and ALL gradients within 1e-4 relative of HF's (float64 reference).
TEST(BertForSequenceClassification, LogitsLossAndAllGradientsMatchTransformers) {
  const auto& f = fixture();
  TempModelDir d("hf", fixture_config(), fixture_weights(false));
  ClassifierLoadInfo info;
  auto model = BertForSequenceClassification::from_pretrained(d.dir.string(), {}, &info);
  EXPECT_TRUE(info.key_prefix_bert);
  EXPECT_TRUE(info.initialized_keys.empty());
  EXPECT_EQ(model->config.id2label, (std::vector<std::string>{"negative", "neutral", "positive"}));
  const auto out = model->forward(f["input_ids"], f["attention_mask"], f["token_type_ids"], f["labels"]);
  ASSERT_EQ(out.logits.shape(), f["logits"].shape());
  const double el = rel_err(out.logits, f["logits"]), eloss = rel_err(out.loss, f["loss"]);
  std::printf("[ bert_classifier ] logits rel err %.3g, loss rel err %.3g\n", el, eloss);
  EXPECT_LE(el, 1e-4);
  EXPECT_LE(eloss, 1e-4);
  out.loss.backward();
  double worst = 0;
  std::string worst_name;
  size_t checked = 0;
  for (const auto& [name, p] : model->named_parameters()) {
    ASSERT_TRUE(p.grad().defined()) << name << " got no gradient";
    double e = rel_err(p.grad(), f["grad." + name]);
    const std::string suffix = "attention.self.key.bias";
    if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix) {
      // d loss / d key bias is exactly 0: the bias adds q·b_k to every score of a query's row, and softmax
      // ignores a shift of the whole row. HF's float64 value is rounding noise (~1e-17), so compare both
      // with 0 on the scale of the key weight's gradient instead.
      const std::string w = name.substr(0, name.size() - 4) + "weight";
      const double scale = max_abs(f["grad." + w]);
      EXPECT_LE(max_abs(f["grad." + name]), 1e-12 * scale) << name << ": the reference is not 0";
      e = max_abs(p.grad()) / scale;
    }
    EXPECT_LE(e, 1e-4) << name;
    if (e > worst) worst = e, worst_name = name;
    ++checked;
  }
  size_t want = 0;
  for (const auto& [name, _] : f.all()) want += name.rfind("grad.", 0) == 0;
  EXPECT_EQ(checked, want);  // every parameter HF has, and no other
  std::printf("[ bert_classifier ] %zu gradients, worst rel err %.3g (%s)\n", checked, worst,
              worst_name.c_str());
}

TEST(BertForSequenceClassification, ParameterNamesAreHFKeys) {
  const auto& f = fixture();
  BertForSequenceClassification model(models::BertConfig::from_json(fixture_config()));
  size_t n = 0;
  for (const auto& [name, t] : model.state_dict()) {
    ASSERT_TRUE(f.has("weight." + name)) << name;
    EXPECT_EQ(t.shape(), f["weight." + name].shape()) << name;
    ++n;
  }
  EXPECT_EQ(n, fixture_weights(false).size());
}

// A base BertModel checkpoint (keys without "bert.", no classifier): the encoder is loaded, the classifier is
// drawn as HF's _init_weights: weight ~ N(0, initializer_range²), bias 0.
TEST(BertForSequenceClassification, FromBaseCheckpointInitialisesTheClassifierAsHF) {
  TempModelDir d("base", fixture_config(), fixture_weights(true, {"classifier."}));
  ClassifierLoadInfo info;
  auto model = BertForSequenceClassification::from_pretrained(d.dir.string(), {.labels = {"a", "b"}}, &info);
  EXPECT_FALSE(info.key_prefix_bert);
  EXPECT_EQ(info.initialized_keys, (std::vector<std::string>{"classifier.bias", "classifier.weight"}));
  EXPECT_EQ(model->num_labels(), 2);
  EXPECT_EQ(to_vector<float>(model->bert.embeddings.word_embeddings.weight),
            to_vector<float>(fixture()["weight.bert.embeddings.word_embeddings.weight"]));
  EXPECT_EQ(to_vector<float>(model->bert.pooler->dense.weight),
            to_vector<float>(fixture()["weight.bert.pooler.dense.weight"]));
  for (float b : to_vector<float>(model->classifier.bias)) EXPECT_EQ(b, 0.0f);
  const auto w = to_vector<double>(model->classifier.weight);  // 2 × 16 draws from N(0, 0.3²)
  double ss = 0;
  for (double x : w) ss += x * x;
  const double sd = std::sqrt(ss / w.size());
  EXPECT_GT(sd, 0.3 * 0.6);  // a kaiming-uniform Linear would give 1/√(3·16) ≈ 0.14
  EXPECT_LT(sd, 0.3 * 1.5);
}

// Without pooler.dense.* HF initialises a pooler at random (and warns); so do we, and say so in the info.
TEST(BertForSequenceClassification, MissingPoolerIsInitialisedAndReported) {
  TempModelDir d("nopool", fixture_config(), fixture_weights(true, {"classifier.", "bert.pooler."}));
  ClassifierLoadInfo info;
  auto model = BertForSequenceClassification::from_pretrained(d.dir.string(), {}, &info);
  EXPECT_EQ(info.initialized_keys,
            (std::vector<std::string>{"bert.pooler.dense.bias", "bert.pooler.dense.weight", "classifier.bias",
                                      "classifier.weight"}));
  for (float b : to_vector<float>(model->bert.pooler->dense.bias)) EXPECT_EQ(b, 0.0f);
  EXPECT_EQ(model->num_labels(), 3);  // the config's id2label
}

TEST(BertForSequenceClassification, Errors) {
  // A classifier of another size than the labels asked for.
  TempModelDir d("mismatch", fixture_config(), fixture_weights(false));
  try {
    BertForSequenceClassification::from_pretrained(d.dir.string(), {.labels = {"x", "y"}});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("(3 classes) but the model has 2 labels"), std::string::npos)
        << e.what();
  }
  // An encoder tensor missing: named in the error.
  auto w = fixture_weights(false);
  w.erase("bert.encoder.layer.1.output.dense.bias");
  TempModelDir d2("missing", fixture_config(), w);
  try {
    BertForSequenceClassification::from_pretrained(d2.dir.string());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("bert.encoder.layer.1.output.dense.bias"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(BertForSequenceClassification::from_pretrained("/nonexistent/model"), Error);
  // Labels of the wrong shape.
  auto model = BertForSequenceClassification::from_pretrained(d.dir.string());
  const auto& f = fixture();
  EXPECT_THROW(
      model->forward(f["input_ids"], f["attention_mask"], f["token_type_ids"], zeros({2}, DType::I64)),
      Error);
  models::BertConfig one = model->config;
  one.id2label = {"only"};
  EXPECT_THROW(BertForSequenceClassification m(one), Error);
}

}  // namespace
}  // namespace attn
