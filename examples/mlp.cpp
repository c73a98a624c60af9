// examples/mlp.cpp — train a 2-layer MLP with attn's nn and optim layers, PyTorch-style, then save the
// weights as safetensors and load them into a fresh model.
//
// The task: points x ∈ R² drawn from N(0, I), labelled by quadrant parity (x₀·x₁ > 0), which no linear
// model can separate. Run: build/<dir>/examples/mlp
#include <cstdio>
#include <iostream>

#include "attn/io/safetensors.h"
#include "attn/nn/nn.h"
#include "attn/ops.h"
#include "attn/ops/activation.h"
#include "attn/ops/loss.h"
#include "attn/optim/optim.h"

using namespace attn;

// Fraction of rows whose largest logit is the label. logits: (N, 2), y: (N)
double accuracy(const Tensor& logits, const Tensor& y) {
  const auto l = to_vector<float>(logits);
  const auto t = to_vector<int64_t>(y);
  int64_t right = 0;
  for (size_t i = 0; i < t.size(); ++i) right += (l[2 * i + 1] > l[2 * i]) == (t[i] == 1);
  return static_cast<double>(right) / static_cast<double>(t.size());
}

std::shared_ptr<nn::Sequential> make_mlp(Generator& gen) {
  // torch: nn.Sequential(nn.Linear(2, 64), nn.GELU(), nn.Dropout(0.1), nn.Linear(64, 2))
  return std::make_shared<nn::Sequential>(std::make_shared<nn::Linear>(2, 64, true, gen),
                                          nn::functional("GELU", [](const Tensor& x) { return gelu(x); }),
                                          std::make_shared<nn::Dropout>(0.1, gen),
                                          std::make_shared<nn::Linear>(64, 2, true, gen));
}

int main() {
  Generator gen(0);
  const int64_t N = 512;
  Tensor x = randn({N, 2}, gen);  // (N, 2)
  std::vector<int64_t> labels(N);
  for (int64_t i = 0; i < N; ++i) labels[i] = x.at<float>({i, 0}) * x.at<float>({i, 1}) > 0;
  Tensor y = from_vector(labels, {N});  // (N) class ids

  auto model = make_mlp(gen);
  for (const auto& [name, p] : model->named_parameters())
    std::cout << name << " " << shape_str(p.shape()) << "\n";

  const int64_t steps = 300;
  optim::AdamW opt(model->parameters(), {.lr = 3e-2, .weight_decay = 0.01});
  auto sched = optim::linear_schedule_with_warmup(opt, /*num_warmup_steps=*/20, /*num_training_steps=*/steps);
  model->train();
  for (int64_t step = 1; step <= steps; ++step) {
    opt.zero_grad();
    Tensor loss = cross_entropy(model->forward(x), y);  // scalar
    loss.backward();
    const double norm = optim::clip_grad_norm_(model->parameters(), 1.0);
    opt.step();
    sched.step();
    if (step == 1 || step % 50 == 0)
      std::printf("step %3lld  loss %.4f  grad-norm %.3f  lr %.5f\n", static_cast<long long>(step),
                  loss.item<double>(), norm, opt.lr());
  }

  model->eval();  // dropout off
  NoGradGuard no_grad;
  const Tensor logits = model->forward(x);
  std::printf("train accuracy %.3f\n", accuracy(logits, y));

  // Checkpoint: the state dict is a name → tensor map, exactly what safetensors stores.
  const std::string path = "/tmp/attn_mlp_example.safetensors";
  io::save_safetensors(path, model->state_dict());
  auto restored = make_mlp(gen);  // fresh random weights
  restored->load_state_dict(io::load_safetensors(path));
  restored->eval();
  std::printf("restored model, same accuracy: %.3f\n", accuracy(restored->forward(x), y));
  return 0;
}
