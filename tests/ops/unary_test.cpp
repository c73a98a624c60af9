// log, sqrt, rsqrt, pow, abs, clamp: gradient checks, values and gradients against PyTorch
// (tests/data/ops/pointwise.*, from tools/fixtures/ops_pointwise.py), PyTorch's subgradients at the kinks,
// and errors.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

#include "attn/ops.h"
#include "support/expect.h"
#include "support/fixtures.h"
#include "support/gradcheck.h"
#include "support/params.h"

namespace attn::test {
namespace {

using Fn = std::function<Tensor(const Tensor&)>;

// The lambdas mirror CASES in tools/fixtures/ops_pointwise.py.
const std::vector<std::pair<std::string, Fn>>& unary_torch_cases() {
  static const std::vector<std::pair<std::string, Fn>> cases = {
      {"log", [](const Tensor& x) { return log(x); }},
      {"sqrt", [](const Tensor& x) { return sqrt(x); }},
      {"rsqrt", [](const Tensor& x) { return rsqrt(x); }},
      {"pow_2", [](const Tensor& x) { return pow(x, 2.0); }},
      {"pow_3", [](const Tensor& x) { return pow(x, 3.0); }},
      {"pow_0", [](const Tensor& x) { return pow(x, 0.0); }},
      {"pow_half", [](const Tensor& x) { return pow(x, 0.5); }},
      {"pow_neg_half", [](const Tensor& x) { return pow(x, -0.5); }},
      {"pow_neg_1", [](const Tensor& x) { return pow(x, -1.0); }},
      {"pow_2_5", [](const Tensor& x) { return pow(x, 2.5); }},
      {"pow_neg_1_5", [](const Tensor& x) { return pow(x, -1.5); }},
      {"abs", [](const Tensor& x) { return abs(x); }},
      {"clamp_both", [](const Tensor& x) { return clamp(x, -0.5, 0.5); }},
      {"clamp_min", [](const Tensor& x) { return clamp(x, 0.5, std::nullopt); }},
      {"clamp_max", [](const Tensor& x) { return clamp(x, std::nullopt, -0.5); }},
      {"clamp_inverted", [](const Tensor& x) { return clamp(x, 1.0, -1.0); }},
  };
  return cases;
}

std::vector<OpCase> unary_cases() {
  auto one = [](Fn f) { return [f](std::span<const Tensor> x) { return f(x[0]); }; };
  std::vector<OpCase> cases;
  for (const auto& [name, f] : unary_torch_cases()) cases.push_back({name, {{3, 4}}, one(f)});
  cases.push_back({"log_of_transpose", {{3, 4}}, [](std::span<const Tensor> x) { return log(t(x[0])); }});
  for (OpCase& c : cases) {
    // Away from the poles (log, sqrt, rsqrt, negative powers at 0), from NaN (fractional powers of x < 0)
    // and from the kinks (abs at 0, clamp at ±0.5 and ±1): |x| in [0.6, 0.9] or, for "positive" ops, > 0.
    const bool positive =
        c.name.find("log") == 0 || c.name.find("sqrt") != std::string::npos ||
        (c.name.find("pow") == 0 && c.name != "pow_2" && c.name != "pow_3" && c.name != "pow_0");
    c.init = positive ? away_from_zero(0.5, 2.0, true) : away_from_zero(0.6, 0.9, false);
  }
  return cases;
}
INSTANTIATE_TEST_SUITE_P(Unary, GradCheck, ::testing::ValuesIn(unary_cases()), case_name);

class UnaryVsTorch : public ::testing::TestWithParam<DeviceDType> {};

TEST_P(UnaryVsTorch, ForwardAndGradientsMatch) {
  const auto [device, dtype, atol, rtol] = GetParam();
  Fixture f("ops/pointwise.safetensors");
  for (const auto& [name, fn] : unary_torch_cases()) {
    SCOPED_TRACE(name);
    Tensor x = to_dtype(f[name + ".x0"], dtype);
    x.requires_grad_();
    Tensor y = fn(x);
    EXPECT_TENSOR_NEAR(y, f[name + ".y"], atol, rtol);
    y.backward(to_dtype(f[name + ".gy"], dtype));
    EXPECT_TENSOR_NEAR(x.grad(), f[name + ".gx0"], atol, rtol);
  }
}
INSTANTIATE_TEST_SUITE_P(Ops, UnaryVsTorch, ::testing::ValuesIn(all_device_dtypes()), device_dtype_name);

// x.grad after f(x).backward(ones), for x = [-1, 0, 1, 2, nan].
std::vector<float> grad_at_kinks(const Fn& f) {
  Tensor x = from_vector<float>({-1, 0, 1, 2, std::nanf("")});
  x.requires_grad_();
  f(x).backward(ones({5}));
  return to_vector<float>(x.grad());
}

TEST(Unary, EdgeCasesFollowPyTorch) {
  const float inf = std::numeric_limits<float>::infinity(), nan = std::nanf("");
  auto same = [](const std::vector<float>& a, const std::vector<float>& e) {
    ASSERT_EQ(a.size(), e.size());
    for (size_t i = 0; i < a.size(); ++i)
      EXPECT_TRUE(a[i] == e[i] || (std::isnan(a[i]) && std::isnan(e[i])))
          << i << ": " << a[i] << " vs " << e[i];
  };
  const Tensor x = from_vector<float>({-1, 0, 1, 2, nan});
  // x = torch.tensor([-1., 0., 1., 2., nan], requires_grad=True); f(x).backward(torch.ones(5)); x.grad
  same(grad_at_kinks([](const Tensor& v) { return abs(v); }), {-1, 0, 1, 1, 0});
  same(grad_at_kinks([](const Tensor& v) { return clamp(v, -1.0, 1.0); }), {1, 1, 1, 0, 0});
  same(to_vector<float>(clamp(x, -1.0, 1.0)), {-1, 0, 1, 1, nan});
  same(grad_at_kinks([](const Tensor& v) { return clamp(v, 0.0, std::nullopt); }), {0, 1, 1, 1, 0});
  same(to_vector<float>(clamp(x, 2.0, 1.0)), {1, 1, 1, 1, nan});  // min > max: every value is max
  same(grad_at_kinks([](const Tensor& v) { return clamp(v, 2.0, 1.0); }), {0, 0, 0, 0, 0});
  same(grad_at_kinks([](const Tensor& v) { return pow(v, 0.0); }), {0, 0, 0, 0, 0});
  same(grad_at_kinks([](const Tensor& v) { return pow(v, 2.0); }), {-2, 0, 2, 4, nan});
  same(to_vector<float>(sqrt(x)), {nan, 0, 1, std::sqrt(2.f), nan});
  same(grad_at_kinks([](const Tensor& v) { return sqrt(v); }), {nan, inf, 0.5f, 0.5f / std::sqrt(2.f), nan});
  same(to_vector<float>(rsqrt(x)), {nan, inf, 1, 1 / std::sqrt(2.f), nan});
  same(to_vector<float>(log(x)), {nan, -inf, 0, std::log(2.f), nan});
  same(grad_at_kinks([](const Tensor& v) { return log(v); }), {-1, inf, 1, 0.5f, nan});
  // Integer tensors: abs and clamp keep int64, as torch.
  EXPECT_EQ(to_vector<int64_t>(abs(from_vector<int64_t>({-3, 0, 4}))), (std::vector<int64_t>{3, 0, 4}));
  EXPECT_EQ(to_vector<int64_t>(clamp(from_vector<int64_t>({-3, 0, 4}), 0.0, 2.0)),
            (std::vector<int64_t>{0, 0, 2}));
}

TEST(Unary, ErrorsNameTheOp) {
  try {
    clamp(zeros({2}), std::nullopt, std::nullopt);
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "clamp: at least one of 'min' or 'max' must be given");
  }
  try {
    log(zeros({2}, DType::I64));
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "log: expected a floating-point tensor (float32 or float64), got int64");
  }
  EXPECT_THROW(pow(zeros({2}, DType::Bool), 2.0), Error);
}

}  // namespace
}  // namespace attn::test
