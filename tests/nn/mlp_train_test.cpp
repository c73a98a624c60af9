// End-to-end (the bar, llm.c's "N steps of losses equal PyTorch's"): a 2-layer MLP with torch's
// initial weights, trained 50 full-batch AdamW steps with dropout off, reproduces torch's loss at every
// step within 1e-4 (tools/fixtures/mlp.py → tests/data/nn/mlp.safetensors).
#include <gtest/gtest.h>

#include <cmath>

#include "attn/nn/nn.h"
#include "attn/ops/activation.h"
#include "attn/ops/loss.h"
#include "attn/optim/optim.h"
#include "support/expect.h"
#include "support/fixtures.h"

namespace attn {
namespace {

const test::Fixture& fixture() {
  static const test::Fixture f("nn/mlp.safetensors");
  return f;
}

struct MlpCase {
  std::string name;
  bool classification;  // cross_entropy + GELU, else mse_loss + ReLU (as the script's cases)
};

class MlpTraining : public ::testing::TestWithParam<MlpCase> {};

TEST_P(MlpTraining, FiftyAdamWStepsReproduceTorchLossCurve) {
  const auto& [name, classification] = GetParam();
  const auto& f = fixture();
  const std::string p = "mlp." + name + ".";
  // nn.Sequential(Linear(10, 32), GELU() or ReLU(), Dropout(0.2), Linear(32, n_out))
  auto act = classification ? nn::functional("GELU", [](const Tensor& x) { return gelu(x); })
                            : nn::functional("ReLU", [](const Tensor& x) { return relu(x); });
  nn::Sequential model(std::make_shared<nn::Linear>(10, 32), act, std::make_shared<nn::Dropout>(0.2),
                       std::make_shared<nn::Linear>(32, classification ? 4 : 2));
  nn::StateDict init;
  for (const auto& [key, t] : f.all())
    if (key.rfind(p + "init.", 0) == 0) init[key.substr(p.size() + 5)] = t;
  model.load_state_dict(init);
  model.eval();  // dropout off

  std::unique_ptr<optim::Optimizer> opt;
  if (classification) {
    opt = std::make_unique<optim::AdamW>(model.parameters(),
                                         optim::AdamWOptions{.lr = 1e-2, .weight_decay = 0.01});
  } else {
    opt = std::make_unique<optim::AdamW>(
        model.parameters(), optim::AdamWOptions{.lr = 5e-3, .betas = {0.9, 0.99}, .weight_decay = 0.1});
  }
  const Tensor& x = f[p + "x"];  // (64, 10)
  const Tensor& y = f[p + "y"];  // (64,) class ids, or (64, 2) targets
  const auto ref = to_vector<double>(f[p + "loss"]);
  double max_diff = 0;
  for (size_t k = 0; k < ref.size(); ++k) {
    opt->zero_grad();
    const Tensor out = model.forward(x);
    const Tensor loss = classification ? cross_entropy(out, y) : mse_loss(out, y);
    loss.backward();
    opt->step();
    const double l = loss.item<double>();
    EXPECT_NEAR(l, ref[k], 1e-4) << "loss at step " << k;
    max_diff = std::max(max_diff, std::fabs(l - ref[k]));
  }
  for (const auto& [key, t] : model.state_dict())
    EXPECT_TENSOR_NEAR(t, f[p + "final." + key], 1e-4, 1e-4) << key;
  std::cout << "[ result ] MLP " << name << ": 50 AdamW steps, loss " << ref.front() << " -> " << ref.back()
            << ", max |Δloss| vs torch = " << max_diff << "\n";
}

INSTANTIATE_TEST_SUITE_P(CPU, MlpTraining,
                         ::testing::Values(MlpCase{"ce_gelu", true}, MlpCase{"mse_relu", false}),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace attn
