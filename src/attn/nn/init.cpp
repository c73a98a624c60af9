// nn::init — torch.nn.init's formulas (torch/nn/init.py, v1.13.1) over attn::Generator.
#include "attn/nn/init.h"

#include <cmath>

#include "attn/autograd/grad_mode.h"
#include "attn/tensor/copy.h"
#include "attn/tensor/creation.h"

namespace attn::nn::init {

namespace {
thread_local bool skip_init = false;

// Writes `values` (same shape) into t's storage without recording a graph (t may be a view).
void assign(const Tensor& t, const Tensor& values) {
  NoGradGuard no_grad;
  copy_(t, values);
}

int64_t fan(const Tensor& t, FanMode mode, const char* op) {
  ATTN_CHECK(t.numel() > 0, "{}: cannot initialise an empty tensor of shape {}", op, shape_str(t.shape()));
  auto [fan_in, fan_out] = calculate_fan_in_and_fan_out(t);
  return mode == FanMode::FanIn ? fan_in : fan_out;
}
}  // namespace

double calculate_gain(Nonlinearity nonlinearity, double param) {
  switch (nonlinearity) {
    case Nonlinearity::Tanh:
      return 5.0 / 3.0;
    case Nonlinearity::ReLU:
      return std::sqrt(2.0);
    case Nonlinearity::LeakyReLU:
      return std::sqrt(2.0 / (1.0 + param * param));
    case Nonlinearity::SELU:
      return 3.0 / 4.0;  // torch: "Value found empirically" (pytorch/pytorch#50664)
    default:
      return 1.0;  // linear, conv*, sigmoid
  }
}

std::pair<int64_t, int64_t> calculate_fan_in_and_fan_out(const Tensor& t) {
  ATTN_CHECK(
      t.dim() >= 2,
      "calculate_fan_in_and_fan_out: fan in and fan out can not be computed for a tensor with fewer than "
      "2 dimensions (shape {})",
      shape_str(t.shape()));
  int64_t receptive = 1;
  for (int64_t d = 2; d < t.dim(); ++d) receptive *= t.size(d);
  return {t.size(1) * receptive, t.size(0) * receptive};
}

SkipInitGuard::SkipInitGuard() : previous_(skip_init) { skip_init = true; }
SkipInitGuard::~SkipInitGuard() { skip_init = previous_; }
bool init_skipped() { return skip_init; }

void uniform_(const Tensor& t, double a, double b, Generator& gen) {
  if (skip_init) return;
  assign(t, uniform(t.shape(), a, b, gen, t.dtype()));
}

void normal_(const Tensor& t, double mean, double std, Generator& gen) {
  if (skip_init) return;
  assign(t, normal(t.shape(), mean, std, gen, t.dtype()));
}

void trunc_normal_(const Tensor& t, double mean, double std, double a, double b, Generator& gen) {
  if (skip_init) return;
  ATTN_CHECK(a < b && std > 0, "trunc_normal_: expected a < b and std > 0, got a={} b={} std={}", a, b, std);
  std::vector<double> v(static_cast<size_t>(t.numel()));
  for (double& x : v) {
    do x = gen.normal(mean, std);
    while (x < a || x > b);
  }
  assign(t, convert(from_vector(v, t.shape()), t.dtype()));
}

void constant_(const Tensor& t, double value) {
  if (skip_init) return;
  assign(t, full(t.shape(), value, t.dtype()));
}
void zeros_(const Tensor& t) { constant_(t, 0.0); }
void ones_(const Tensor& t) { constant_(t, 1.0); }

void xavier_uniform_(const Tensor& t, double gain, Generator& gen) {
  if (skip_init) return;
  auto [fan_in, fan_out] = calculate_fan_in_and_fan_out(t);
  const double std = gain * std::sqrt(2.0 / static_cast<double>(fan_in + fan_out));
  const double a = std::sqrt(3.0) * std;  // U(−a, a) has standard deviation a/√3
  uniform_(t, -a, a, gen);
}

void xavier_normal_(const Tensor& t, double gain, Generator& gen) {
  if (skip_init) return;
  auto [fan_in, fan_out] = calculate_fan_in_and_fan_out(t);
  normal_(t, 0.0, gain * std::sqrt(2.0 / static_cast<double>(fan_in + fan_out)), gen);
}

void kaiming_uniform_(const Tensor& t, double a, FanMode mode, Nonlinearity nonlinearity, Generator& gen) {
  if (skip_init) return;
  const double std =
      calculate_gain(nonlinearity, a) / std::sqrt(static_cast<double>(fan(t, mode, "kaiming_uniform_")));
  const double bound = std::sqrt(3.0) * std;
  uniform_(t, -bound, bound, gen);
}

void kaiming_normal_(const Tensor& t, double a, FanMode mode, Nonlinearity nonlinearity, Generator& gen) {
  if (skip_init) return;
  const double std =
      calculate_gain(nonlinearity, a) / std::sqrt(static_cast<double>(fan(t, mode, "kaiming_normal_")));
  normal_(t, 0.0, std, gen);
}

}  // namespace attn::nn::init
