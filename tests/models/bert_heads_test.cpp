// BERT pretraining heads vs HF transformers 4.46.3 (tools/fixtures/bert_pretraining.py): a tiny
// BertForPreTraining saved by HF's save_pretrained (tests/data/models/bert_pretraining_tiny, tied decoder
// keys absent), run by HF in float32 with dropout off on a padded batch of 3 with MLM labels and NSP labels:
//   out = BertForPreTraining.from_pretrained(dir)(input_ids, attention_mask, token_type_ids, labels=labels,
//                                                  next_sentence_label=nsp); out.loss.backward()
// attn must give the same logits, loss and the gradient of EVERY parameter (1e-4 relative), and the fill-mask
// probabilities of HF's pipeline (1e-5). And, with no reference library, the whole pretraining loss in
// float64 (Module::to) against central finite differences (tests/support/module_gradcheck.h).
#include "attn/models/bert_heads.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include "attn/autograd/grad_mode.h"
#include "attn/io/safetensors.h"
#include "attn/models/bert_save.h"
#include "attn/ops/reduce.h"
#include "attn/ops/shape.h"
#include "attn/ops/softmax.h"
#include "attn/ops/unary.h"
#include "attn/tensor/creation.h"
#include "attn/text/tokenizer.h"
#include "support/expect.h"
#include "support/fixtures.h"
#include "support/module_gradcheck.h"

namespace attn::models {
namespace {

const test::Fixture& fixture() {
  static const test::Fixture f("models/bert_pretraining.safetensors");
  return f;
}

std::string tiny_dir() { return std::string(ATTN_TEST_DATA) + "/models/bert_pretraining_tiny"; }

// |a − e| ≤ 1e-4 · (|e| + max|e|): 1e-4 relative to the element, or to the tensor's scale for elements near
// 0.
void expect_rel(const Tensor& actual, const Tensor& expected, const std::string& what) {
  const double scale = max(abs(expected)).item<double>();
  EXPECT_TENSOR_NEAR(actual, expected, 1e-4 * scale, 1e-4) << what;
}

// The key bias adds q·b_k to every score of a query row, which softmax cancels: its gradient is exactly 0,
// and both HF's and attn's values are float32 rounding noise (~1e-8) with no sign or digit in common. Checked
// instead: both are below 1e-6 of the largest gradient of the model (a real gradient here is ~1e-2 … 1).
bool is_key_bias(const std::string& name) {
  return name.find("attention.self.key.bias") != std::string::npos;
}

void expect_zero_grad(const Tensor& actual, const Tensor& expected, const std::string& what) {
  EXPECT_LT(max(abs(actual)).item<double>(), 1e-6) << what;
  EXPECT_LT(max(abs(expected)).item<double>(), 1e-6) << what << " (HF)";
}

// max |a − e| / (|e| + max|e|) over the elements: the quantity expect_rel bounds by 1e-4.
double worst_rel(const Tensor& actual, const Tensor& expected) {
  const double scale = max(abs(expected)).item<double>();
  double w = 0;
  for (int64_t i = 0; i < expected.numel(); ++i) {
    const double e = element_as<double>(expected, i), a = element_as<double>(actual, i);
    w = std::max(w, std::fabs(a - e) / (std::fabs(e) + scale));
  }
  return w;
}

BertPreTrainingLabels labels() { return {fixture()["labels"], fixture()["next_sentence_label"]}; }

TEST(BertHeads, StateDictKeysAreHfsAndTheDecoderIsTied) {
  BertForPreTraining m(BertConfig::from_file(tiny_dir() + "/config.json"));
  const auto sd = m.state_dict();
  for (const char* key :
       {"bert.embeddings.word_embeddings.weight", "bert.pooler.dense.weight", "cls.predictions.bias",
        "cls.predictions.transform.dense.weight", "cls.predictions.transform.LayerNorm.weight",
        "cls.predictions.decoder.weight", "cls.predictions.decoder.bias", "cls.seq_relationship.weight",
        "cls.seq_relationship.bias"})
    EXPECT_TRUE(sd.count(key)) << key;
  // The same storage, as HF's tie_weights: no copy that could drift apart during training.
  EXPECT_EQ(m.cls.predictions.decoder.weight.data<float>(),
            m.bert.embeddings.word_embeddings.weight.data<float>());
  EXPECT_EQ(m.cls.predictions.decoder.bias.data<float>(), m.cls.predictions.bias.data<float>());
  // Parameters count each tensor once (HF's model.parameters() as well): the fixture has one grad per
  // parameter.
  size_t n_grads = 0;
  for (const auto& [name, _] : fixture().all()) n_grads += name.rfind("grad.", 0) == 0 ? 1 : 0;
  EXPECT_EQ(m.named_parameters().size(), n_grads);
  const auto saved = m.state_dict_for_save();
  EXPECT_FALSE(saved.count("cls.predictions.decoder.weight"));
  EXPECT_FALSE(saved.count("cls.predictions.decoder.bias"));
  BertForMaskedLM mlm(BertConfig::from_file(tiny_dir() + "/config.json"));
  EXPECT_FALSE(mlm.state_dict().count("bert.pooler.dense.weight"));
  EXPECT_TRUE(mlm.state_dict().count("cls.predictions.transform.dense.bias"));
}

TEST(BertHeads, PretrainingLossAndEveryGradientEqualHf) {
  const auto& f = fixture();
  auto m = BertForPreTraining::from_pretrained(tiny_dir());  // eval: dropout off, as the fixture
  const BertPreTrainingLabels lab = labels();
  const auto out = m->forward(f["input_ids"], f["attention_mask"], f["token_type_ids"], &lab);
  expect_rel(out.prediction_logits, f["prediction_logits"], "prediction_logits");
  expect_rel(out.seq_relationship_logits, f["seq_relationship_logits"], "seq_relationship_logits");
  expect_rel(out.mlm_loss, f["mlm_loss"], "mlm_loss");
  expect_rel(out.nsp_loss, f["nsp_loss"], "nsp_loss");
  expect_rel(out.loss, f["loss"], "loss");
  out.loss.backward();
  size_t checked = 0;
  double worst = 0;
  for (const auto& [name, p] : m->named_parameters()) {
    ASSERT_TRUE(f.has("grad." + name)) << name;
    ASSERT_TRUE(p.grad().defined()) << name << " got no gradient";
    if (is_key_bias(name)) {
      expect_zero_grad(p.grad(), f["grad." + name], name);
    } else {
      expect_rel(p.grad(), f["grad." + name], "grad." + name);
      worst = std::max(worst, worst_rel(p.grad(), f["grad." + name]));
    }
    ++checked;
  }
  std::printf(
      "[ info ] loss %.7f (HF %.7f); worst gradient error %.2e of (|hf| + max|hf|) over %zu parameters\n",
      out.loss.item<double>(), f["loss"].item<double>(), worst, checked);
  EXPECT_EQ(checked, 46u);  // every parameter of the tiny model (the tied decoder counted once)
}

// The full MLM + NSP loss in float64, every parameter tensor against finite differences (padded batch,
// [PAD] keys masked with finfo(float64).min as HF does in float64).
TEST(BertHeads, Float64PretrainingGradientsMatchFiniteDifferences) {
  const auto& f = fixture();
  auto m = BertForPreTraining::from_pretrained(tiny_dir());
  m->to(DType::F64);
  const BertPreTrainingLabels lab = labels();
  const auto r = test::check_module_gradients(
      *m, [&] { return m->forward(f["input_ids"], f["attention_mask"], f["token_type_ids"], &lab).loss; });
  EXPECT_TRUE(r.ok) << r.failures;
  int64_t expected = 0;  // three entries per parameter tensor, or all of a smaller one
  for (const auto& [_, p] : m->named_parameters()) expected += std::min<int64_t>(3, p.numel());
  EXPECT_EQ(r.checked, expected);
  std::printf("[ result ] %lld entries of 46 parameters, worst rel err %.3g (%s)\n",
              static_cast<long long>(r.checked), r.worst_rel, r.worst.c_str());
}

// forward_masked projects only the masked positions: the same loss and the same gradients as HF's path.
TEST(BertHeads, MaskedPositionsOnlyGiveTheSameLossAndGradients) {
  const auto& f = fixture();
  auto full = BertForPreTraining::from_pretrained(tiny_dir());
  auto masked = BertForPreTraining::from_pretrained(tiny_dir());
  const BertPreTrainingLabels lab = labels();
  const auto a = full->forward(f["input_ids"], f["attention_mask"], f["token_type_ids"], &lab);
  const auto b = masked->forward_masked(f["input_ids"], f["attention_mask"], f["token_type_ids"], lab);
  EXPECT_EQ(b.prediction_logits.shape(), (Shape{8, 64}));  // 8 labelled positions
  EXPECT_NEAR(b.loss.item<double>(), a.loss.item<double>(), 1e-6);
  a.loss.backward();
  b.loss.backward();
  const auto pa = full->named_parameters(), pb = masked->named_parameters();
  for (size_t i = 0; i < pa.size(); ++i) {
    if (is_key_bias(pa[i].first)) {
      expect_zero_grad(pb[i].second.grad(), pa[i].second.grad(), pa[i].first);
      continue;
    }
    const double scale = max(abs(pa[i].second.grad())).item<double>();
    EXPECT_TENSOR_NEAR(pb[i].second.grad(), pa[i].second.grad(), 1e-6 * scale + 1e-12, 1e-5) << pa[i].first;
  }
}

TEST(BertHeads, MaskedLmLossIsHfsMaskedLmLoss) {
  const auto& f = fixture();
  auto m = BertForMaskedLM::from_pretrained(tiny_dir());  // pooler and seq_relationship unused
  NoGradGuard no_grad;
  const Tensor logits = m->forward(f["input_ids"], f["attention_mask"], f["token_type_ids"]);
  expect_rel(logits, f["prediction_logits"], "BertForMaskedLM logits");
  expect_rel(m->loss(logits, f["labels"]), f["mlm_loss"], "masked_lm_loss");
}

TEST(BertHeads, FillMaskProbabilitiesEqualHfPipeline) {
  const auto& f = fixture();
  auto m = BertForMaskedLM::from_pretrained(tiny_dir());
  const auto tok = text::Tokenizer::from_file(tiny_dir() + "/tokenizer.json");
  NoGradGuard no_grad;
  const std::vector<std::string> texts{"the cat sat on the [MASK] .",
                                       "the [MASK] man said to the [MASK] woman ."};
  for (size_t i = 0; i < texts.size(); ++i) {
    const auto e = tok.encode(texts[i]);
    const auto T = static_cast<int64_t>(e.ids.size());
    Tensor ids = empty({1, T}, DType::I64);
    std::vector<int64_t> where;
    for (int64_t t = 0; t < T; ++t) {
      ids.data<int64_t>()[t] = e.ids[static_cast<size_t>(t)];
      if (e.tokens[static_cast<size_t>(t)] == "[MASK]") where.push_back(t);
    }
    const Tensor probs = contiguous(softmax(m->forward(ids), -1));  // (1, T, V)
    const Tensor expected = f[fmt::format("fill.{}.probs", i)];     // (n_masks, V)
    ASSERT_EQ(static_cast<int64_t>(where.size()), expected.size(0)) << texts[i];
    const Tensor top = f[fmt::format("fill.{}.top_ids", i)], scores = f[fmt::format("fill.{}.top_scores", i)];
    for (size_t k = 0; k < where.size(); ++k) {
      const Tensor row = select(select(probs, 0, 0), 0, where[k]);  // (V)
      EXPECT_TENSOR_NEAR(row, select(expected, 0, static_cast<int64_t>(k)), 1e-5, 0.0) << texts[i];
      for (int64_t r = 0; r < top.size(1); ++r) {  // the pipeline's top-5 ids and scores
        const int64_t id = element_as<int64_t>(top, static_cast<int64_t>(k) * top.size(1) + r);
        EXPECT_NEAR(element_as<double>(row, id),
                    element_as<double>(scores, static_cast<int64_t>(k) * top.size(1) + r), 1e-5);
      }
    }
  }
}

std::string temp_dir(const std::string& name) {
  const auto d =
      std::filesystem::temp_directory_path() / fmt::format("attn_bert_heads_{}_{}", name, getpid());
  std::filesystem::remove_all(d);
  return d.string();
}

TEST(BertHeads, SavedModelLoadsBackWithoutTheTiedKeys) {
  auto m = BertForPreTraining::from_pretrained(tiny_dir());
  const std::string dir = temp_dir("save");
  save_pretrained(dir, m->config, m->state_dict_for_save(), tiny_dir());
  const auto names = io::SafetensorsFile::open(dir + "/model.safetensors").names();
  const std::set<std::string> saved(names.begin(), names.end());
  EXPECT_FALSE(saved.count("cls.predictions.decoder.weight"));
  EXPECT_TRUE(saved.count("cls.predictions.bias"));
  EXPECT_TRUE(std::filesystem::exists(dir + "/tokenizer.json"));
  auto back = BertForPreTraining::from_pretrained(dir);
  auto mlm = BertForMaskedLM::from_pretrained(dir);
  NoGradGuard no_grad;
  const auto& f = fixture();
  const auto a = m->forward(f["input_ids"], f["attention_mask"], f["token_type_ids"]);
  const auto b = back->forward(f["input_ids"], f["attention_mask"], f["token_type_ids"]);
  EXPECT_TENSOR_NEAR(b.prediction_logits, a.prediction_logits, 0.0, 0.0);
  EXPECT_TENSOR_NEAR(b.seq_relationship_logits, a.seq_relationship_logits, 0.0, 0.0);
  EXPECT_TENSOR_NEAR(mlm->forward(f["input_ids"], f["attention_mask"], f["token_type_ids"]),
                     a.prediction_logits, 0.0, 0.0);
  std::filesystem::remove_all(dir);
}

TEST(BertHeads, EncoderOnlyCheckpointIsAClearError) {
  // The encoder alone (as all-MiniLM-L6-v2 ships it): no cls.predictions.* tensors.
  auto m = BertForPreTraining::from_pretrained(tiny_dir());
  nn::StateDict encoder;
  for (const auto& [k, v] : m->state_dict_for_save())
    if (k.rfind("bert.", 0) == 0) encoder.emplace(k.substr(5), v);
  const std::string dir = temp_dir("encoder_only");
  save_pretrained(dir, m->config, encoder);
  try {
    BertForMaskedLM::from_pretrained(dir);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(dir), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("no masked-LM head"), std::string::npos) << e.what();
  }
  EXPECT_THROW(BertForPreTraining::from_pretrained(dir + "/nonexistent"), Error);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace attn::models
