// Fine-tuning (train/finetune.h): three steps equal to HF Trainer's (AdamW with its parameter groups, linear
// warm-up/decay, clip_grad_norm_ 1.0) against tools/fixtures/bert_classifier.py; the labelled-table reader
// (TSV, CSV quoting, columns, labels) and its errors, which name file and line.
#include "attn/train/finetune.h"

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

struct TempDir {
  fs::path dir;
  explicit TempDir(const std::string& name) {
    dir = fs::temp_directory_path() / ("attn_ft_" + name + std::to_string(::getpid()));
    fs::create_directories(dir);
  }
  ~TempDir() { fs::remove_all(dir); }
  std::string write(const std::string& file, const std::string& text) const {
    std::ofstream(dir / file, std::ios::binary) << text;
    return (dir / file).string();
  }
};

// The fixture row r (input_ids/token_type_ids without its [PAD]s) as a tokenizer would have produced it.
text::Encoding fixture_row(const test::Fixture& f, int64_t r) {
  const auto ids = to_vector<int64_t>(f["input_ids"]), types = to_vector<int64_t>(f["token_type_ids"]),
             mask = to_vector<int64_t>(f["attention_mask"]);
  const int64_t T = f["input_ids"].size(1);
  text::Encoding e;
  for (int64_t t = 0; t < T; ++t)
    if (mask[r * T + t])
      e.push(static_cast<int32_t>(ids[r * T + t]), "t", {}, {}, static_cast<int32_t>(types[r * T + t]), false,
             0);
  return e;
}

double rel_err(const Tensor& a, const Tensor& b) {
  const auto x = to_vector<double>(a), y = to_vector<double>(b);
  double diff = 0, scale = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    diff = std::max(diff, std::abs(x[i] - y[i]));
    scale = std::max(scale, std::abs(y[i]));
  }
  return diff / std::max(scale, 1e-30);
}

// llm.c's "train N steps, equal to PyTorch": the losses of 3 steps and every parameter afterwards.
TEST(Finetune, ThreeStepsEqualHFTrainersOptimisation) {
  const test::Fixture f("models/bert_classifier.safetensors");
  std::ifstream in(std::string(ATTN_TEST_DATA) + "/models/bert_classifier.json");
  auto config = nlohmann::json::parse(in).at("config");
  config["hidden_dropout_prob"] = 0.0;  // deterministic steps, as the fixture's
  config["attention_probs_dropout_prob"] = 0.0;
  TempDir d("steps");
  d.write("config.json", config.dump(1));
  std::map<std::string, Tensor> w;
  for (const auto& [name, t] : f.all())
    if (name.rfind("train.weight.", 0) == 0) w.emplace(name.substr(13), t);
  io::save_safetensors((d.dir / "model.safetensors").string(), w, {{"format", "pt"}});
  auto model = models::BertForSequenceClassification::from_pretrained(d.dir.string());

  train::ClassificationData data;
  for (int64_t r = 0; r < 3; ++r) data.encodings.push_back(fixture_row(f, r));
  data.labels = to_vector<int64_t>(f["labels"]);
  // One batch of all 3 rows per epoch (shuffling only reorders rows inside it); ceil(0.2 · 3) = 1 warm-up
  // step.
  const auto r = train::finetune_classifier(*model, data, {},
                                            {.epochs = 3,
                                             .lr = 1e-2,
                                             .batch_size = 3,
                                             .warmup_ratio = 0.2,
                                             .weight_decay = 0.1,
                                             .progress = false});
  ASSERT_EQ(r.steps, 3);
  const auto want = to_vector<double>(f["train.loss"]);
  for (size_t i = 0; i < 3; ++i)
    EXPECT_NEAR(r.step_losses[i], want[i], 1e-4 * std::abs(want[i])) << "step " << i;
  EXPECT_EQ(r.step_lrs, (std::vector<double>{0.0, 1e-2, 5e-3}));  // HF's λ: 0/1, then (3−1)/2, (3−2)/2
  double worst = 0;
  for (const auto& [name, p] : model->named_parameters()) {
    // d loss / d key bias is exactly 0 (softmax ignores a shift of a whole row), so Adam's update of it is
    // driven by rounding noise in both libraries (f32 here, f64 there): it has no reference to compare with.
    if (name.find("attention.self.key.bias") != std::string::npos) continue;
    const double e = rel_err(p, f["train.final." + name]);
    EXPECT_LE(e, 1e-4) << name;
    worst = std::max(worst, e);
  }
  std::printf("[ finetune ] losses %.6f %.6f %.6f (HF %.6f %.6f %.6f), worst parameter rel err %.3g\n",
              r.step_losses[0], r.step_losses[1], r.step_losses[2], want[0], want[1], want[2], worst);
}

TEST(LabelledTable, TsvAndCsvWithQuotes) {
  TempDir d("tables");
  const auto tsv =
      train::read_labelled_table(d.write("a.tsv", "label\tsentence\r\npos\tgood , fun\r\n\nneg\tbad\n"),
                                 {.text = "sentence", .label = "label"});
  EXPECT_EQ(tsv.texts, (std::vector<std::string>{"good , fun", "bad"}));
  EXPECT_EQ(tsv.labels, (std::vector<std::string>{"pos", "neg"}));
  EXPECT_EQ(tsv.lines, (std::vector<int64_t>{2, 4}));
  EXPECT_EQ(train::label_set(tsv), (std::vector<std::string>{"neg", "pos"}));
  const auto csv = train::read_labelled_table(
      d.write("b.csv", "premise,hypothesis,y\n\"a, b\",\"say \"\"hi\"\"\",1\nc,d,0\n"),
      {.text = "premise", .pair = "hypothesis", .label = "y"}, 1);
  EXPECT_EQ(csv.texts, (std::vector<std::string>{"a, b"}));
  EXPECT_EQ(csv.pairs, (std::vector<std::string>{"say \"hi\""}));
}

void expect_error(const std::function<void()>& fn, const std::string& part) {
  try {
    fn();
    ADD_FAILURE() << "expected an error containing: " << part;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

TEST(LabelledTable, ErrorsNameFileAndLine) {
  TempDir d("errors");
  const train::TableColumns cols{.text = "sentence", .label = "label"};
  const auto empty = d.write("empty.tsv", "");
  expect_error([&] { train::read_labelled_table(empty, cols); }, "empty.tsv: empty file");
  const auto nocol = d.write("nocol.tsv", "text\tlabel\nx\t1\n");
  expect_error([&] { train::read_labelled_table(nocol, cols); },
               "nocol.tsv:1: no column \"sentence\" in the header (columns: \"text\", \"label\")");
  const auto short_row = d.write("short.tsv", "sentence\tlabel\nx\t1\ny\n");
  expect_error([&] { train::read_labelled_table(short_row, cols); }, "short.tsv:3: 1 field(s), expected 2");
  const auto header_only = d.write("header.tsv", "sentence\tlabel\n");
  expect_error([&] { train::read_labelled_table(header_only, cols); }, "header.tsv: no rows");
  const auto quote = d.write("q.csv", "sentence,label\n\"open,1\n");
  expect_error([&] { train::read_labelled_table(quote, cols); }, "q.csv:2: unterminated quoted field");
  expect_error([&] { train::read_labelled_table((d.dir / "none.tsv").string(), cols); }, "cannot open");
  // A dev label the model does not know.
  const auto dev = train::read_labelled_table(d.write("dev.tsv", "sentence\tlabel\na\t0\nb\t7\n"), cols);
  const auto tok = text::Tokenizer::from_json(
      R"({"model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "a": 1, "b": 2}, "unk_token": "[UNK]"}})");
  expect_error(
      [&] {
        train::encode_table(tok, dev, {"0", "1"});
      },
      "dev.tsv:3: unknown label \"7\" (the model's labels: \"0\", \"1\")");
}

}  // namespace
}  // namespace attn
