// relu, tanh, sigmoid, gelu (none, tanh): gradient checks, values and gradients against PyTorch
// (tests/data/ops/pointwise.*, from tools/fixtures/ops_pointwise.py), relu's subgradient, errors.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "attn/ops.h"
#include "support/expect.h"
#include "support/fixtures.h"
#include "support/gradcheck.h"
#include "support/params.h"

namespace attn::test {
namespace {

using Fn = std::function<Tensor(const Tensor&)>;

// The lambdas mirror CASES in tools/fixtures/ops_pointwise.py.
const std::vector<std::pair<std::string, Fn>>& activation_torch_cases() {
  static const std::vector<std::pair<std::string, Fn>> cases = {
      {"relu", [](const Tensor& x) { return relu(x); }},
      {"tanh", [](const Tensor& x) { return tanh(x); }},
      {"sigmoid", [](const Tensor& x) { return sigmoid(x); }},
      {"gelu_none", [](const Tensor& x) { return gelu(x); }},
      {"gelu_tanh", [](const Tensor& x) { return gelu(x, GeluApprox::Tanh); }},
  };
  return cases;
}

std::vector<OpCase> activation_cases() {
  std::vector<OpCase> cases;
  for (const auto& [name, f] : activation_torch_cases())
    cases.push_back({name, {{3, 5}}, [f = f](std::span<const Tensor> x) { return f(x[0]); }});
  cases[0].init = away_from_zero(0.1, 2.0, false);  // relu: no element within eps of its kink at 0
  cases.push_back({"gelu_wide", {{4, 6}}, [](std::span<const Tensor> x) { return gelu(mul(x[0], 4.0)); }});
  cases.push_back({"tanh_of_transpose", {{3, 4}}, [](std::span<const Tensor> x) { return tanh(t(x[0])); }});
  return cases;
}
INSTANTIATE_TEST_SUITE_P(Activation, GradCheck, ::testing::ValuesIn(activation_cases()), case_name);

class ActivationVsTorch : public ::testing::TestWithParam<DeviceDType> {};

TEST_P(ActivationVsTorch, ForwardAndGradientsMatch) {
  const auto [device, dtype, atol, rtol] = GetParam();
  Fixture f("ops/pointwise.safetensors");
  for (const auto& [name, fn] : activation_torch_cases()) {
    SCOPED_TRACE(name);
    Tensor x = to_dtype(f[name + ".x0"], dtype);
    x.requires_grad_();
    Tensor y = fn(x);
    EXPECT_TENSOR_NEAR(y, f[name + ".y"], atol, rtol);
    y.backward(to_dtype(f[name + ".gy"], dtype));
    EXPECT_TENSOR_NEAR(x.grad(), f[name + ".gx0"], atol, rtol);
  }
}
INSTANTIATE_TEST_SUITE_P(Ops, ActivationVsTorch, ::testing::ValuesIn(all_device_dtypes()), device_dtype_name);

TEST(Activation, ValuesAndSubgradientsFollowPyTorch) {
  // x = torch.tensor([-1., 0., 1., 2., nan], requires_grad=True)
  Tensor x = from_vector<float>({-1, 0, 1, 2, std::nanf("")});
  x.requires_grad_();
  // torch.relu(x) → [0, 0, 1, 2, nan]; .backward(torch.ones(5)) → x.grad = [0, 0, 1, 1, 1]: relu'(0) = 0
  Tensor y = relu(x);
  const auto yv = to_vector<float>(y);
  EXPECT_EQ(std::vector<float>(yv.begin(), yv.begin() + 4), (std::vector<float>{0, 0, 1, 2}));
  EXPECT_TRUE(std::isnan(yv[4]));
  y.backward(ones({5}));
  EXPECT_EQ(to_vector<float>(x.grad()), (std::vector<float>{0, 0, 1, 1, 1}));
  // F.gelu(torch.tensor([-3., -1., 0., 1., 3.])) → [-0.0040496, -0.1586553, 0., 0.8413447, 2.9959502]
  // F.gelu(…, approximate="tanh")          → [-0.0036374, -0.1588080, 0., 0.8411920, 2.9963627]
  Tensor g = from_vector<float>({-3, -1, 0, 1, 3});
  EXPECT_TENSOR_NEAR(gelu(g), from_vector<float>({-0.0040496f, -0.1586553f, 0.f, 0.8413447f, 2.9959502f}),
                     1e-6, 1e-5);
  EXPECT_TENSOR_NEAR(gelu(g, GeluApprox::Tanh),
                     from_vector<float>({-0.0036374f, -0.1588080f, 0.f, 0.8411920f, 2.9963627f}), 1e-6, 1e-5);
  // torch.sigmoid(torch.tensor([-100., 0., 100.], dtype=torch.float64)) → [3.7201e-44, 0.5, 1.0]; attn gets
  // the subnormal right in float too (torch's float kernel computes 1/(1 + inf) = 0). torch.tanh(±100) → ±1.
  EXPECT_TENSOR_NEAR(sigmoid(from_vector<float>({-100, 0, 100})),
                     from_vector<float>({3.7201e-44f, 0.5f, 1.f}), 3e-45, 1e-6);
  EXPECT_EQ(to_vector<float>(tanh(from_vector<float>({-100, 0, 100}))), (std::vector<float>{-1, 0, 1}));
  // relu keeps int64
  EXPECT_EQ(to_vector<int64_t>(relu(from_vector<int64_t>({-2, 3}))), (std::vector<int64_t>{0, 3}));
}

TEST(Activation, ErrorsNameTheOp) {
  try {
    gelu(zeros({2}, DType::I64));
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "gelu: expected a floating-point tensor (float32 or float64), got int64");
  }
  EXPECT_THROW(sigmoid(zeros({2}, DType::Bool)), Error);
}

}  // namespace
}  // namespace attn::test
