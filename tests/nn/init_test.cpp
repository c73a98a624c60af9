// Default initialisations: our samples against torch's formulas (bounds, moments) and torch's own sample
// statistics for the same modules (tools/fixtures/nn.py → tests/data/nn/nn.safetensors "init.*").
// Tolerances are 5 standard errors of the estimate: 5σ/√n for the mean, 5σ/√(2n) for the std.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "attn/nn/nn.h"
#include "attn/ops/shape.h"
#include "attn/tensor/creation.h"
#include "support/expect.h"
#include "support/fixtures.h"

namespace attn {
namespace {

const test::Fixture& fixture() {
  static const test::Fixture f("nn/nn.safetensors");
  return f;
}

struct Stats {
  double min, max, mean, std;
  int64_t n;
};

Stats stats(const Tensor& t) {
  const auto v = to_vector<double>(t);
  Stats s{v[0], v[0], 0, 0, static_cast<int64_t>(v.size())};
  for (double x : v) {
    s.min = std::min(s.min, x);
    s.max = std::max(s.max, x);
    s.mean += x;
  }
  s.mean /= static_cast<double>(v.size());
  for (double x : v) s.std += (x - s.mean) * (x - s.mean);
  s.std = std::sqrt(s.std / static_cast<double>(v.size() - 1));  // unbiased, as torch.std
  return s;
}

// U(−bound, bound): σ = bound/√3; our sample and torch's both fit it.
void expect_uniform(const Tensor& t, double bound, const std::string& torch_key) {
  const Stats s = stats(t);
  const double sigma = bound / std::sqrt(3.0), n = static_cast<double>(s.n);
  EXPECT_LE(s.max, bound);
  EXPECT_GE(s.min, -bound);
  EXPECT_GT(s.max, bound * (1 - 20.0 / n));  // the largest of n uniforms is within ~bound/n of the edge
  EXPECT_LT(s.min, -bound * (1 - 20.0 / n));
  EXPECT_NEAR(s.mean, 0.0, 5 * sigma / std::sqrt(n));
  EXPECT_NEAR(s.std, sigma, 5 * sigma / std::sqrt(2 * n));
  const auto& f = fixture();
  EXPECT_NEAR(f[torch_key + ".std"].item<double>(), sigma, 5 * sigma / std::sqrt(2 * n))
      << "torch's own sample";
  EXPECT_LE(f[torch_key + ".max"].item<double>(), bound);
  std::cout << "[ result ] " << torch_key << ": bound " << bound << ", std attn " << s.std << " torch "
            << f[torch_key + ".std"].item<double>() << " formula " << sigma << "\n";
}

void expect_normal(const Tensor& t, double sigma, const std::string& torch_key) {
  const Stats s = stats(t);
  const double n = static_cast<double>(s.n);
  EXPECT_NEAR(s.mean, 0.0, 5 * sigma / std::sqrt(n));
  EXPECT_NEAR(s.std, sigma, 5 * sigma / std::sqrt(2 * n));
  EXPECT_NEAR(fixture()[torch_key + ".std"].item<double>(), sigma, 5 * sigma / std::sqrt(2 * n));
  std::cout << "[ result ] " << torch_key << ": std attn " << s.std << " torch "
            << fixture()[torch_key + ".std"].item<double>() << " formula " << sigma << "\n";
}

TEST(Init, LinearIsKaimingUniformSqrt5) {
  Generator gen(1);
  nn::Linear l(300, 200, true, gen);
  expect_uniform(l.weight, 1 / std::sqrt(300.0), "init.linear_300_200.weight");
  const Stats b = stats(l.bias);
  EXPECT_LE(std::max(-b.min, b.max), 1 / std::sqrt(300.0));
  EXPECT_LE(fixture()["init.linear_300_200.bias.max"].item<double>(), 1 / std::sqrt(300.0));
}

TEST(Init, EmbeddingIsStandardNormalWithZeroPaddingRow) {
  Generator gen(2);
  nn::Embedding e(1000, 64, 3, gen);
  EXPECT_TENSOR_NEAR(select(e.weight, 0, 3), zeros({64}), 0, 0);
  // torch's statistics include the zero row too: compare over the whole table (the row shifts σ by 0.05 %).
  expect_normal(e.weight, 1.0, "init.embedding_1000_64.weight");
  nn::Embedding neg(10, 4, -1);  // counts from the end, as torch
  EXPECT_EQ(neg.padding_idx, 9);
  EXPECT_TENSOR_NEAR(select(neg.weight, 0, 9), zeros({4}), 0, 0);
  EXPECT_THROW(nn::Embedding(10, 4, 10), Error);
}

TEST(Init, LayerNormIsOnesAndZeros) {
  nn::LayerNorm ln(64);
  EXPECT_TENSOR_NEAR(ln.weight, ones({64}), 0, 0);
  EXPECT_TENSOR_NEAR(ln.bias, zeros({64}), 0, 0);
  EXPECT_EQ(fixture()["init.layer_norm_64.weight.min"].item<double>(), 1.0);
  EXPECT_FALSE(nn::LayerNorm(64, 1e-5, false).weight.defined());
}

// A (256, 128, 3) tensor: fan_in = 128·3 = 384, fan_out = 256·3 = 768, as in the script.
TEST(Init, XavierAndKaimingFollowTorchFanAndGainRules) {
  Generator gen(3);
  Tensor t = empty({256, 128, 3});
  EXPECT_EQ(nn::init::calculate_fan_in_and_fan_out(t), (std::pair<int64_t, int64_t>{384, 768}));
  nn::init::xavier_uniform_(t, 2.0, gen);
  expect_uniform(t, 2.0 * std::sqrt(6.0 / (384 + 768)), "init.xavier_uniform");
  nn::init::xavier_normal_(t, 1.0, gen);
  expect_normal(t, std::sqrt(2.0 / (384 + 768)), "init.xavier_normal");
  nn::init::kaiming_uniform_(t, 0.0, nn::init::FanMode::FanOut, nn::init::Nonlinearity::ReLU, gen);
  expect_uniform(t, std::sqrt(2.0) * std::sqrt(3.0 / 768), "init.kaiming_uniform_relu_fan_out");
  nn::init::kaiming_normal_(t, 0.0, nn::init::FanMode::FanIn, nn::init::Nonlinearity::LeakyReLU, gen);
  expect_normal(t, std::sqrt(2.0) / std::sqrt(384.0), "init.kaiming_normal");
  EXPECT_THROW(nn::init::xavier_uniform_(empty({5})), Error);  // needs 2 dims
}

TEST(Init, GainsEqualTorchCalculateGain) {
  std::ifstream in(std::string(ATTN_TEST_DATA) + "/nn/nn.json");
  const auto gains = nlohmann::json::parse(in)["init"]["gains"];
  using nn::init::Nonlinearity;
  EXPECT_DOUBLE_EQ(nn::init::calculate_gain(Nonlinearity::Linear), gains["linear"].get<double>());
  EXPECT_DOUBLE_EQ(nn::init::calculate_gain(Nonlinearity::Sigmoid), gains["sigmoid"].get<double>());
  EXPECT_DOUBLE_EQ(nn::init::calculate_gain(Nonlinearity::Tanh), gains["tanh"].get<double>());
  EXPECT_DOUBLE_EQ(nn::init::calculate_gain(Nonlinearity::ReLU), gains["relu"].get<double>());
  EXPECT_DOUBLE_EQ(nn::init::calculate_gain(Nonlinearity::LeakyReLU), gains["leaky_relu"].get<double>());
  EXPECT_DOUBLE_EQ(nn::init::calculate_gain(Nonlinearity::SELU), gains["selu"].get<double>());
  EXPECT_DOUBLE_EQ(nn::init::calculate_gain(Nonlinearity::LeakyReLU, std::sqrt(5.0)),
                   gains["leaky_relu_sqrt5"].get<double>());
}

TEST(Init, TruncNormalStaysInBoundsAndFillsViews) {
  Generator gen(4);
  Tensor t = zeros({100, 100});
  nn::init::trunc_normal_(t, 0.0, 1.0, -0.5, 0.5, gen);
  const Stats s = stats(t);
  EXPECT_GE(s.min, -0.5);
  EXPECT_LE(s.max, 0.5);
  // Writing through a view reaches the base tensor's storage.
  nn::init::constant_(select(t, 1, 7), 3.0);
  EXPECT_EQ(t.at<double>({42, 7}), 3.0);
}

TEST(Init, SameSeedSameValues) {
  Generator g1(7), g2(7);
  nn::Linear a(5, 4, true, g1), b(5, 4, true, g2);
  EXPECT_TENSOR_NEAR(a.weight, b.weight, 0, 0);
  EXPECT_TENSOR_NEAR(a.bias, b.bias, 0, 0);
}

}  // namespace
}  // namespace attn

namespace attn {
namespace {

// SkipInitGuard (HF's no_init_weights): inside it every init function leaves the tensor alone; it nests and
// ends with its scope.
TEST(Init, SkipInitGuardLeavesTensorsAloneUntilItEnds) {
  const Tensor t = full({3, 4}, 7.0);
  {
    nn::init::SkipInitGuard outer;
    {
      nn::init::SkipInitGuard inner;
      nn::init::normal_(t);
    }
    EXPECT_TRUE(nn::init::init_skipped());  // still inside `outer`
    nn::init::kaiming_uniform_(t);
    nn::init::ones_(t);
    EXPECT_EQ(to_vector<float>(t), std::vector<float>(12, 7.f));
  }
  EXPECT_FALSE(nn::init::init_skipped());
  nn::init::ones_(t);
  EXPECT_EQ(to_vector<float>(t), std::vector<float>(12, 1.f));
}

}  // namespace
}  // namespace attn
