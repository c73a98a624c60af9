// attn/nn/init.h — in-place parameter initialisation, as torch.nn.init (same names, gains and fan rules).
//
// Every function fills its tensor in place (storage shared with the module), without recording a graph,
// and draws from an attn::Generator. The values follow the same distributions as PyTorch's, not the same
// stream of numbers (core/rng.h). Reference: https://pytorch.org/docs/1.13/nn.init.html and
// torch/nn/init.py at v1.13.1.
#pragma once

#include <utility>

#include "attn/core/rng.h"
#include "attn/tensor/tensor.h"

namespace attn::nn::init {

enum class Nonlinearity { Linear, Conv1d, Conv2d, Conv3d, Sigmoid, Tanh, ReLU, LeakyReLU, SELU };
enum class FanMode { FanIn, FanOut };

// The recommended gain for a nonlinearity (torch.nn.init.calculate_gain): 1 for linear/conv/sigmoid,
// 5/3 for tanh, √2 for relu, √(2 / (1 + slope²)) for leaky_relu (slope = param, default 0.01), 3/4 for selu.
double calculate_gain(Nonlinearity nonlinearity, double param = 0.01);
// (fan_in, fan_out) = (size(1)·r, size(0)·r) with r the product of dims ≥ 2; needs dim ≥ 2.
std::pair<int64_t, int64_t> calculate_fan_in_and_fan_out(const Tensor& t);

// While a SkipInitGuard lives on this thread, every function below leaves its tensor as it is (HF's
// no_init_weights): for a model built only to have every parameter overwritten by a checkpoint, where the
// random draws would be wasted work (half of `attn embed`'s start-up for all-MiniLM-L6-v2).
class SkipInitGuard {
 public:
  SkipInitGuard();
  ~SkipInitGuard();
  SkipInitGuard(const SkipInitGuard&) = delete;
  SkipInitGuard& operator=(const SkipInitGuard&) = delete;

 private:
  bool previous_;
};
bool init_skipped();  // whether a SkipInitGuard is alive on this thread

void uniform_(const Tensor& t, double a = 0.0, double b = 1.0,
              Generator& gen = default_generator());  // U(a, b)
void normal_(const Tensor& t, double mean = 0.0, double std = 1.0, Generator& gen = default_generator());
// N(mean, std²) redrawn until inside [a, b] (torch's trunc_normal_ draws by inverse CDF; same distribution).
void trunc_normal_(const Tensor& t, double mean = 0.0, double std = 1.0, double a = -2.0, double b = 2.0,
                   Generator& gen = default_generator());
void constant_(const Tensor& t, double value);
void zeros_(const Tensor& t);
void ones_(const Tensor& t);

// U(−a, a), a = gain · √(6 / (fan_in + fan_out))      (Glorot & Bengio 2010)
void xavier_uniform_(const Tensor& t, double gain = 1.0, Generator& gen = default_generator());
// N(0, std²), std = gain · √(2 / (fan_in + fan_out))
void xavier_normal_(const Tensor& t, double gain = 1.0, Generator& gen = default_generator());
// U(−b, b), b = gain(nonlinearity, a) · √(3 / fan)     (He et al. 2015); fan = fan_in or fan_out by mode.
// Linear's default init is kaiming_uniform_(w, a = √5), i.e. U(−1/√fan_in, 1/√fan_in).
void kaiming_uniform_(const Tensor& t, double a = 0.0, FanMode mode = FanMode::FanIn,
                      Nonlinearity nonlinearity = Nonlinearity::LeakyReLU,
                      Generator& gen = default_generator());
// N(0, std²), std = gain(nonlinearity, a) / √fan
void kaiming_normal_(const Tensor& t, double a = 0.0, FanMode mode = FanMode::FanIn,
                     Nonlinearity nonlinearity = Nonlinearity::LeakyReLU,
                     Generator& gen = default_generator());

}  // namespace attn::nn::init
