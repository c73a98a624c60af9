// nn::Module: names equal torch's state_dict()/named_parameters() for the same structure, train/eval,
// zero_grad, and load_state_dict's in-place copy and its one error listing every bad key
// (names from tools/fixtures/nn.py → tests/data/nn/nn.json).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "attn/nn/nn.h"
#include "attn/ops/binary.h"
#include "attn/tensor/copy.h"
#include "attn/tensor/creation.h"
#include "support/expect.h"

namespace attn {
namespace {

const nlohmann::json& names_json() {
  static const nlohmann::json j = [] {
    std::ifstream in(std::string(ATTN_TEST_DATA) + "/nn/nn.json");
    if (!in) throw Error("tests/data/nn/nn.json is missing — run .venv/bin/python tools/fixtures/nn.py");
    return nlohmann::json::parse(in)["names"];
  }();
  return j;
}

std::vector<std::string> keys_of(const nn::StateDict& sd) {
  std::vector<std::string> out;
  for (const auto& [k, _] : sd) out.push_back(k);
  return out;
}

std::vector<std::string> names_of(const std::vector<std::pair<std::string, Tensor>>& named) {
  std::vector<std::string> out;
  for (const auto& [k, _] : named) out.push_back(k);
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// The same structure as the script's Model (a small BERT), written as STYLE P9 asks.
struct SelfAttention : nn::Module {
  nn::Linear query, key, value;
  explicit SelfAttention(int64_t C) : query(C, C), key(C, C), value(C, C) {
    register_module("query", query);
    register_module("key", key);
    register_module("value", value);
  }
};
struct SelfOutput : nn::Module {
  nn::Linear dense;
  nn::LayerNorm LayerNorm;  // NOLINT(readability-identifier-naming): the HF key
  nn::Dropout dropout;
  explicit SelfOutput(int64_t C) : dense(C, C), LayerNorm(C, 1e-12), dropout(0.1) {
    register_module("dense", dense);
    register_module("LayerNorm", LayerNorm);
    register_module("dropout", dropout);
  }
};
struct Attention : nn::Module {
  SelfAttention self;
  SelfOutput output;
  explicit Attention(int64_t C) : self(C), output(C) {
    register_module("self", self);
    register_module("output", output);
  }
};
struct Layer : nn::Module {
  Attention attention;
  explicit Layer(int64_t C) : attention(C) { register_module("attention", attention); }
};
struct Embeddings : nn::Module {
  nn::Embedding word_embeddings;
  nn::LayerNorm LayerNorm;  // NOLINT(readability-identifier-naming)
  Embeddings(int64_t V, int64_t C) : word_embeddings(V, C, 0), LayerNorm(C) {
    register_module("word_embeddings", word_embeddings);
    register_module("LayerNorm", LayerNorm);
  }
};
struct Encoder : nn::Module {
  nn::ModuleList layer;
  Encoder(int64_t C, int n) {
    for (int i = 0; i < n; ++i) layer.push_back(std::make_shared<Layer>(C));
    register_module("layer", layer);
  }
};
struct Model : nn::Module {
  Embeddings embeddings{10, 4};
  Encoder encoder{4, 2};
  nn::LayerNorm norm{4, 1e-5, false};
  Model() {
    register_module("embeddings", embeddings);
    register_module("encoder", encoder);
    register_module("norm", norm);
  }
  std::string type_name() const override { return "Model"; }
};

std::shared_ptr<nn::Sequential> make_sequential() {
  // nn.Sequential(Linear(4, 8), ReLU(), Dropout(0.1), Linear(8, 3, bias=False))
  return std::make_shared<nn::Sequential>(
      std::make_shared<nn::Linear>(4, 8), nn::functional("ReLU", [](const Tensor& x) { return x; }),
      std::make_shared<nn::Dropout>(0.1), std::make_shared<nn::Linear>(8, 3, false));
}

void expect_names_match(const nn::Module& m, const nlohmann::json& ref) {
  // torch's state_dict is ordered like named_parameters; attn's StateDict is sorted by name (module.h).
  EXPECT_EQ(keys_of(m.state_dict()), sorted(ref["state_dict"].get<std::vector<std::string>>()));
  EXPECT_EQ(names_of(m.named_parameters()), ref["named_parameters"].get<std::vector<std::string>>());
  for (const auto& [k, t] : m.state_dict()) EXPECT_EQ(t.shape(), ref["shapes"][k].get<Shape>()) << k;
}

TEST(Module, SequentialNamesMatchTorch) {
  expect_names_match(*make_sequential(), names_json()["sequential"]);
}

TEST(Module, NestedNamesMatchTorch) {
  Model m;
  expect_names_match(m, names_json()["nested"]);
  EXPECT_EQ(m.parameters().size(), 23u);
  std::cout << "[ result ] nested model: " << m.state_dict().size() << " state-dict keys equal torch's\n";
}

TEST(Module, TrainEvalPropagatesToDescendants) {
  Model m;
  EXPECT_TRUE(m.encoder.layer.at<Layer>(1).attention.output.dropout.is_training());
  m.eval();
  for (const auto& [name, sub] : m.named_modules()) EXPECT_FALSE(sub->is_training()) << name;
  m.train();
  for (const auto& [name, sub] : m.named_modules()) EXPECT_TRUE(sub->is_training()) << name;
  // "", embeddings(+2), encoder, encoder.layer, 2 × (layer, attention, self(+3), output(+3)), norm
  EXPECT_EQ(m.named_modules().size(), 1u + 3 + 2 + 2 * 10 + 1);
}

TEST(Module, ParametersRequireGradAndZeroGradDropsThem) {
  nn::Linear l(3, 2);
  for (const Tensor& p : l.parameters()) {
    EXPECT_TRUE(p.requires_grad());
    p.set_grad(ones_like(p));
  }
  l.zero_grad();
  for (const Tensor& p : l.parameters()) EXPECT_FALSE(p.grad().defined());
}

TEST(Module, TiedParametersAppearOnceInParametersButTwiceInStateDict) {
  struct Tied : nn::Module {
    nn::Embedding emb{5, 3};
    nn::Linear head{3, 5, false};
    Tied() {
      head.weight = emb.weight;  // weight tying, as BERT's decoder / word_embeddings
      register_module("emb", emb);
      register_module("head", head);
    }
  } m;
  EXPECT_EQ(m.parameters().size(), 1u);
  EXPECT_EQ(m.state_dict().size(), 2u);
}

TEST(Module, LoadStateDictCopiesInPlace) {
  nn::Linear src(3, 2), dst(3, 2);
  const Tensor w = dst.weight;  // e.g. held by an optimizer
  dst.load_state_dict(src.state_dict());
  EXPECT_TRUE(w.is_same(dst.weight));
  EXPECT_TENSOR_NEAR(dst.weight, src.weight, 0, 0);
  EXPECT_TENSOR_NEAR(dst.bias, src.bias, 0, 0);
  // state_dict tensors share storage with the module, as torch's.
  nn::StateDict sd = dst.state_dict();
  copy_(sd.at("bias"), zeros({2}));
  EXPECT_TENSOR_NEAR(dst.bias, zeros({2}), 0, 0);
  EXPECT_FALSE(sd.at("bias").requires_grad());
}

TEST(Module, LoadStateDictReportsEveryBadKeyInOneError) {
  Model m;
  nn::StateDict sd = m.state_dict();
  sd.erase("embeddings.LayerNorm.bias");
  sd.erase("encoder.layer.1.attention.self.key.weight");
  sd["encoder.layer.2.attention.self.key.weight"] = zeros({4, 4});
  sd["encoder.layer.0.attention.self.query.weight"] = zeros({4, 5});
  const Tensor before = contiguous_copy(m.embeddings.word_embeddings.weight);
  sd["embeddings.word_embeddings.weight"] = zeros({10, 4});
  try {
    m.load_state_dict(sd);
    FAIL() << "expected attn::Error";
  } catch (const Error& e) {
    const std::string msg = e.what();
    for (const char* s :
         {"Model", "missing key(s)", "\"embeddings.LayerNorm.bias\"",
          "\"encoder.layer.1.attention.self.key.weight\"", "unexpected key(s)",
          "\"encoder.layer.2.attention.self.key.weight\"",
          "size mismatch for encoder.layer.0.attention.self.query.weight", "[4, 5]", "[4, 4]"})
      EXPECT_NE(msg.find(s), std::string::npos) << "missing '" << s << "' in:\n" << msg;
    std::cout << "[ result ] load_state_dict error:\n" << msg << "\n";
  }
  // Nothing was copied: the error came before any write.
  EXPECT_TENSOR_NEAR(m.embeddings.word_embeddings.weight, before, 0, 0);

  // Strict::No reports missing/unexpected keys instead, but a shape mismatch is still an error (as torch).
  sd.erase("encoder.layer.0.attention.self.query.weight");
  const nn::LoadResult r = m.load_state_dict(sd, nn::Strict::No);
  EXPECT_EQ(r.missing_keys.size(), 3u);
  EXPECT_EQ(r.unexpected_keys, std::vector<std::string>{"encoder.layer.2.attention.self.key.weight"});
  EXPECT_TENSOR_NEAR(m.embeddings.word_embeddings.weight, zeros({10, 4}), 0, 0);
  sd["encoder.layer.0.attention.self.query.weight"] = zeros({5, 4});
  EXPECT_THROW(m.load_state_dict(sd, nn::Strict::No), Error);
}

TEST(Module, BuffersAreSavedButNotTrained) {
  struct WithBuffer : nn::Module {
    nn::Linear proj{2, 2};
    Tensor position_ids = arange(4);  // as HF BERT's embeddings.position_ids
    WithBuffer() {
      register_module("proj", proj);
      register_buffer("position_ids", position_ids);
    }
  } m;
  EXPECT_EQ(m.parameters().size(), 2u);
  EXPECT_EQ(names_of(m.named_buffers()), std::vector<std::string>{"position_ids"});
  EXPECT_EQ(keys_of(m.state_dict()), (std::vector<std::string>{"position_ids", "proj.bias", "proj.weight"}));
  EXPECT_FALSE(m.position_ids.requires_grad());
  nn::StateDict sd = m.state_dict();
  sd["position_ids"] = from_vector<int64_t>({3, 2, 1, 0});
  m.load_state_dict(sd);
  EXPECT_EQ(m.position_ids.at<int64_t>({0}), 3);
}

TEST(Module, ToConvertsFloatParametersAndBuffersKeepingTiesAndIntegerBuffers) {
  struct M : nn::Module {
    nn::Embedding emb{5, 3};
    nn::Linear head{3, 5, false};
    nn::LayerNorm norm{3};
    Tensor position_ids = arange(4);  // integer buffer: left alone
    Tensor scale = full({3}, 0.1);    // float buffer: converted
    M() {
      head.weight = emb.weight;
      register_module("emb", emb);
      register_module("head", head);
      register_module("norm", norm);
      register_buffer("position_ids", position_ids);
      register_buffer("scale", scale);
    }
  } m;
  const Tensor w32 = contiguous_copy(m.emb.weight);
  m.emb.weight.set_grad(ones_like(m.emb.weight));
  m.to(DType::F64);
  for (const auto& [name, p] : m.named_parameters()) {
    EXPECT_EQ(p.dtype(), DType::F64) << name;
    EXPECT_TRUE(p.requires_grad()) << name;
    EXPECT_FALSE(p.grad().defined()) << name;
  }
  EXPECT_TRUE(m.head.weight.is_same(m.emb.weight));  // still tied
  EXPECT_EQ(m.parameters().size(), 3u);              // emb/head weight once + norm weight, bias
  EXPECT_EQ(m.position_ids.dtype(), DType::I64);
  EXPECT_EQ(m.scale.dtype(), DType::F64);
  EXPECT_TENSOR_NEAR(convert(m.emb.weight, DType::F32), w32, 0, 0);  // float → double is exact
  // The model runs in float64: a forward through the converted modules gives float64.
  const Tensor y = m.head.forward(m.norm.forward(m.emb.forward(from_vector<int64_t>({1, 4}))));
  EXPECT_EQ(y.dtype(), DType::F64);
  m.to(DType::F32);
  EXPECT_EQ(m.head.weight.dtype(), DType::F32);
  EXPECT_TRUE(m.head.weight.is_same(m.emb.weight));
  EXPECT_TENSOR_NEAR(m.emb.weight, w32, 0, 0);
  EXPECT_THROW(m.to(DType::I64), Error);
}

TEST(Module, RegistrationErrors) {
  struct Bad : nn::Module {
    Tensor a = zeros({2}), b = zeros({2});
    nn::Linear l{2, 2};
    void dup() { register_parameter("a", b); }
    void dotted() { register_parameter("x.y", b); }
    void dup_module() { register_module("a", l); }
    Bad() { register_parameter("a", a); }
  } m;
  EXPECT_THROW(m.dup(), Error);
  EXPECT_THROW(m.dotted(), Error);
  EXPECT_THROW(m.dup_module(), Error);
}

TEST(Module, SequentialRunsChildrenInOrder) {
  nn::Sequential seq(nn::functional("Add1", [](const Tensor& x) { return x + 1.0; }),
                     nn::functional("Double", [](const Tensor& x) { return x * 2.0; }));
  EXPECT_TENSOR_NEAR(seq.forward(full({2}, 3.0)), full({2}, 8.0), 0, 0);
  EXPECT_EQ(seq[1].type_name(), "Double");
  EXPECT_THROW(seq[2], Error);
  EXPECT_THROW(seq.at<nn::Linear>(0), Error);
}

}  // namespace
}  // namespace attn

namespace attn {
namespace {

TEST(Modules, ConstructorArgumentErrors) {
  EXPECT_THROW(nn::Linear(-1, 2), Error);
  EXPECT_THROW(nn::LayerNorm(Shape{}), Error);
  EXPECT_THROW(nn::Embedding(-3, 2), Error);
  EXPECT_THROW(nn::init::trunc_normal_(zeros({3}), 0.0, 1.0, 1.0, -1.0), Error);  // a > b
  EXPECT_THROW(nn::init::kaiming_uniform_(zeros({0, 3})), Error);                 // empty: no fan
}

}  // namespace
}  // namespace attn
