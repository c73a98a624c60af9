// Linear, Embedding, LayerNorm, Dropout and Sequential wired to the ops: torch's weights are loaded into
// attn's modules with load_state_dict, then forward and parameter gradients are compared with torch.nn
// (tools/fixtures/nn.py → tests/data/nn/nn.safetensors "tiny.*").
#include <gtest/gtest.h>

#include <cmath>

#include "attn/autograd/grad_mode.h"
#include "attn/nn/nn.h"
#include "attn/ops/binary.h"
#include "attn/ops/linear.h"
#include "attn/ops/matmul.h"
#include "attn/ops/shape.h"
#include "attn/tensor/copy.h"
#include "attn/tensor/creation.h"
#include "support/expect.h"
#include "support/fixtures.h"

namespace attn {
namespace {

const test::Fixture& fixture() {
  static const test::Fixture f("nn/nn.safetensors");
  return f;
}

// Sum of all elements of a (…) tensor as a differentiable scalar, without needing a reduction op: dot
// with ones through linear's matmul would do too; (y ⊙ gy) summed by viewing as (1, n) · (n, 1).
Tensor weighted_sum(const Tensor& y, const Tensor& gy) {
  const Tensor flat = reshape(y * gy, {1, y.numel()});
  return reshape(matmul(flat, ones({y.numel(), 1})), {});
}

TEST(Modules, TinyModelForwardAndGradsMatchTorch) {
  // nn.Sequential(Embedding(10, 6, padding_idx=0), LayerNorm(6), Linear(6, 5), Dropout(0.3), Linear(5, 3))
  nn::Sequential model(std::make_shared<nn::Embedding>(10, 6, 0), std::make_shared<nn::LayerNorm>(6),
                       std::make_shared<nn::Linear>(6, 5), std::make_shared<nn::Dropout>(0.3),
                       std::make_shared<nn::Linear>(5, 3));
  const auto& f = fixture();
  nn::StateDict sd;
  for (const auto& [key, t] : f.all())
    if (key.rfind("tiny.state.", 0) == 0) sd[key.substr(11)] = t;
  model.load_state_dict(sd);
  model.eval();  // dropout off, as model.eval() in the script

  const Tensor y = model.forward(f["tiny.ids"]);
  EXPECT_TENSOR_NEAR(y, f["tiny.y"], 1e-6, 1e-5);
  weighted_sum(y, f["tiny.gy"]).backward();
  for (const auto& [name, p] : model.named_parameters()) {
    ASSERT_TRUE(p.grad().defined()) << name;
    EXPECT_TENSOR_NEAR(p.grad(), f["tiny.grad." + name], 1e-6, 1e-5) << name;
  }
  // The padding row (id 0 appears twice) gets no gradient.
  EXPECT_TENSOR_NEAR(select(model.at<nn::Embedding>(0).weight.grad(), 0, 0), zeros({6}), 0, 0);
}

// Linear::prepack: the same bits as the unpacked forward (rows above and below the thin kernel's 24), only
// without a graph; a weight changed in place afterwards is noticed and the unpacked path used.
TEST(Modules, PrepackedLinearGivesTheSameBitsAndNoticesAChangedWeight) {
  Generator g(3);
  nn::Linear l(300, 70, true, g);
  const Tensor x = randn({5, 40, 300}, g), few = randn({7, 300}, g);
  const Tensor y0 = l.forward(x), f0 = l.forward(few);
  l.prepack();
  {
    NoGradGuard no_grad;
    EXPECT_TENSOR_NEAR(l.forward(x), y0, 0, 0);
    EXPECT_TENSOR_NEAR(l.forward(few), f0, 0, 0);
    copy_(l.weight, mul(l.weight, 0.5));  // an in-place update, as an optimizer step
    EXPECT_TENSOR_NEAR(l.forward(x), linear(x, l.weight, l.bias), 0, 0);
  }
  const Tensor y = l.forward(x);  // with grad mode on: the ordinary op, with its graph
  EXPECT_TRUE(y.requires_grad());
  const Tensor w = l.weight.detach();  // a graph would be needed here: the packed op refuses
  const int64_t z = 0;
  const kernels::PackedB packed({w.data<float>(), &z, 1, 300}, 300, 70);
  EXPECT_THROW(linear(x, l.weight, l.bias, packed), Error);
}

TEST(Modules, DropoutFollowsTrainingFlag) {
  Generator gen(11);
  nn::Dropout drop(0.5, gen);
  const Tensor x = ones({1000});
  ASSERT_TRUE(drop.is_training());
  int64_t zeros_seen = 0;
  for (double v : to_vector<double>(drop.forward(x))) {
    EXPECT_TRUE(v == 0.0 || v == 2.0) << v;  // inverted scaling 1 / (1 − p)
    zeros_seen += v == 0.0;
  }
  EXPECT_NEAR(static_cast<double>(zeros_seen), 500.0, 5 * std::sqrt(250.0));  // Binomial(1000, 0.5)
  drop.eval();
  EXPECT_TENSOR_NEAR(drop.forward(x), x, 0, 0);
  EXPECT_THROW(nn::Dropout(1.5), Error);
}

}  // namespace
}  // namespace attn
