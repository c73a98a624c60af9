// cross_entropy, nll_loss, mse_loss vs torch.nn.functional for every option combination
// (tools/fixtures/ops_loss.py: reductions × label_smoothing × ignore_index with padding targets, extra
// dimensions, all-ignored mean, 1-D input), finite differences, and errors.
#include <gtest/gtest.h>

#include <cmath>

#include "attn/ops.h"
#include "attn/tensor/copy.h"
#include "support/expect.h"
#include "support/fixtures.h"
#include "support/gradcheck.h"

namespace attn::test {
namespace {

// Input 1 is a class-target tensor in [0, C) with every third position set to `ignore` (padding).
std::function<Tensor(size_t, const Shape&, Generator&)> with_targets(int64_t C, int64_t ignore) {
  return [=](size_t i, const Shape& s, Generator& g) {
    if (i == 0) return randn(s, g, DType::F64);
    Tensor t = randint(0, C, s, g);
    for (int64_t k = 0; k < t.numel(); k += 3) t.data<int64_t>()[k] = ignore;
    return t;
  };
}

OpCase ce_case(std::string name, Shape x, Shape t, CrossEntropyOptions o, int64_t ignore_fill) {
  OpCase c{
      std::move(name), {x, t}, [o](std::span<const Tensor> in) { return cross_entropy(in[0], in[1], o); }};
  c.init = with_targets(x[1], ignore_fill);
  c.differentiable = {true, false};
  return c;
}

std::vector<OpCase> loss_cases() {
  std::vector<OpCase> cases = {
      ce_case("ce_mean", {5, 4}, {5}, {}, -100),
      ce_case("ce_sum_smoothing", {5, 4}, {5}, {-100, 0.1, Reduction::Sum}, -100),
      ce_case("ce_none_4d_smoothing_ignore2", {2, 4, 3, 2}, {2, 3, 2}, {2, 0.2, Reduction::None}, 2),
      ce_case("ce_mean_4d_smoothing", {2, 3, 5}, {2, 5}, {-100, 0.3, Reduction::Mean}, -100),
  };
  OpCase composed{"ce_composed_sum_smoothing", {{5, 4}, {5}}, [](std::span<const Tensor> in) {
                    return detail::cross_entropy_composed(in[0], in[1], {-100, 0.1, Reduction::Sum});
                  }};
  composed.init = with_targets(4, -100);
  composed.differentiable = {true, false};
  cases.push_back(composed);
  OpCase nll{"nll_mean_ignore", {{6, 3}, {6}}, [](std::span<const Tensor> in) {
               return nll_loss(in[0], in[1], {1, Reduction::Mean});
             }};
  nll.init = with_targets(3, 1);
  nll.differentiable = {true, false};
  cases.push_back(nll);
  for (auto [name, r] :
       {std::pair{"mse_mean", Reduction::Mean}, {"mse_sum", Reduction::Sum}, {"mse_none", Reduction::None}})
    cases.push_back(
        {name, {{3, 4}, {3, 4}}, [r](std::span<const Tensor> in) { return mse_loss(in[0], in[1], r); }});
  return cases;
}
INSTANTIATE_TEST_SUITE_P(Loss, GradCheck, ::testing::ValuesIn(loss_cases()), case_name);

class LossTorch : public ::testing::TestWithParam<std::string> {};

Reduction reduction_of(const std::string& r) {
  return r == "mean" ? Reduction::Mean : r == "sum" ? Reduction::Sum : Reduction::None;
}

// Forward and dL/dx of `loss(x)` against the fixture entries under prefix p.
template <typename F>
void expect_loss(const Fixture& f, const std::string& p, F loss, double atol, double rtol) {
  SCOPED_TRACE(p);
  Tensor x = f[p + "x"].detach().requires_grad_();
  Tensor y = loss(x);
  EXPECT_TENSOR_NEAR(y, f[p + "y"], atol, rtol);
  y.backward(f[p + "gy"]);
  EXPECT_TENSOR_NEAR(x.grad(), f[p + "grad_x"], atol, rtol);
}

TEST_P(LossTorch, CrossEntropyAndNllMatchPyTorchForEveryOption) {
  const Fixture f("ops/loss.safetensors");
  const std::string tag = GetParam();
  const double rtol = tag == "f32" ? 1e-5 : 1e-12, atol = tag == "f32" ? 1e-6 : 1e-13;
  int checked = 0;
  for (const char* shape : {"2d", "4d"}) {
    for (const char* red : {"mean", "sum", "none"}) {
      for (int64_t ignore : {-100, 2}) {
        for (const char* ls : {"0.0", "0.1"}) {
          const std::string p = fmt::format("loss.{}.ce.{}.{}.ls{}.ig{}.", tag, shape, red, ls, ignore);
          const CrossEntropyOptions o{ignore, std::stod(ls), reduction_of(red)};
          expect_loss(
              f, p, [&](const Tensor& x) { return cross_entropy(x, f[p + "target"], o); }, atol, rtol);
          ++checked;
        }
        const std::string p = fmt::format("loss.{}.nll.{}.{}.ig{}.", tag, shape, red, ignore);
        const NllLossOptions o{ignore, reduction_of(red)};
        expect_loss(
            f, p, [&](const Tensor& x) { return nll_loss(x, f[p + "target"], o); }, atol, rtol);
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 36);
  const std::string one = "loss." + tag + ".ce.1d.";
  expect_loss(
      f, one,
      [&](const Tensor& x) {
        return cross_entropy(x, f[one + "target"], {-100, 0.2});
      },
      atol, rtol);
  // All targets ignored: torch's mean is 0/0 = NaN and the gradient is 0.
  const std::string none = "loss." + tag + ".ce.all_ignored.";
  expect_loss(
      f, none,
      [&](const Tensor& x) {
        return cross_entropy(x, f[none + "target"], {-100, 0.1});
      },
      atol, rtol);
}

TEST_P(LossTorch, MseMatchesPyTorch) {
  const Fixture f("ops/loss.safetensors");
  const std::string tag = GetParam();
  const double rtol = tag == "f32" ? 1e-5 : 1e-12, atol = tag == "f32" ? 1e-6 : 1e-13;
  for (const char* red : {"mean", "sum", "none"}) {
    const std::string p = fmt::format("loss.{}.mse.{}.", tag, red);
    SCOPED_TRACE(p);
    Tensor x = f[p + "x"].detach().requires_grad_(), t = f[p + "target"].detach().requires_grad_();
    Tensor y = mse_loss(x, t, reduction_of(red));
    EXPECT_TENSOR_NEAR(y, f[p + "y"], atol, rtol);
    y.backward(f[p + "gy"]);
    EXPECT_TENSOR_NEAR(x.grad(), f[p + "grad_x"], atol, rtol);
    EXPECT_TENSOR_NEAR(t.grad(), f[p + "grad_target"], atol, rtol);
  }
}
INSTANTIATE_TEST_SUITE_P(Ops, LossTorch, ::testing::Values("f32", "f64"));

TEST(Loss, CrossEntropyIsLogSoftmaxThenNll) {
  Generator g(11);
  Tensor x = randn({7, 5, 3}, g, DType::F64);
  Tensor t = randint(0, 5, {7, 3}, g);
  EXPECT_TENSOR_NEAR(cross_entropy(x, t, {-100, 0.0, Reduction::None}),
                     nll_loss(log_softmax(x, 1), t, {-100, Reduction::None}), 0, 1e-15);
}

// The fused kernel pair against its first version, log_softmax + NLL (STYLE P5): every option, extra
// dimensions, a vocabulary-sized C, values and gradients, f32 and f64.
TEST(Loss, FusedCrossEntropyMatchesComposed) {
  Generator g(5);
  for (DType dt : {DType::F64, DType::F32}) {
    for (Shape shape : {Shape{6, 5}, Shape{3, 4, 2, 3}, Shape{4, 300}}) {
      for (Reduction r : {Reduction::Mean, Reduction::Sum, Reduction::None}) {
        for (double ls : {0.0, 0.15}) {
          SCOPED_TRACE(fmt::format("{} {} reduction {} ls {}", dtype_name(dt), shape_str(shape), int(r), ls));
          const CrossEntropyOptions o{1, ls, r};
          Shape ts = shape;
          ts.erase(ts.begin() + 1);
          Tensor t = randint(0, shape[1], ts, g);
          for (int64_t k = 0; k < t.numel(); k += 4) t.data<int64_t>()[k] = 1;  // ignore_index = 1: padding
          // The oracle runs in f64 on the same values, so f32 is held to the bar (1e-5) against the
          // exact answer rather than against another f32 rounding of it.
          Tensor x1 = mul(randn(shape, g, dt), 3.0).detach().requires_grad_();
          Tensor x2 = convert(x1, DType::F64).requires_grad_();
          Tensor fused = cross_entropy(x1, t, o), composed = detail::cross_entropy_composed(x2, t, o);
          const double rtol = dt == DType::F64 ? 1e-12 : 1e-5, atol = dt == DType::F64 ? 1e-14 : 1e-6;
          EXPECT_TENSOR_NEAR(fused, composed, atol, rtol);
          Tensor gy = randn(fused.shape(), g, dt);
          fused.backward(gy);
          composed.backward(convert(gy, DType::F64));
          EXPECT_TENSOR_NEAR(x1.grad(), x2.grad(), atol, rtol);
        }
      }
    }
  }
}

TEST(Loss, Errors) {
  try {
    cross_entropy(zeros({2, 3}), from_vector<int64_t>({1, 3}));
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(
        e.what(),
        "cross_entropy: target 3 at position 1 is out of range for 3 classes (ignore_index is -100)");
  }
  EXPECT_THROW(cross_entropy(zeros({2, 3}), from_vector<int64_t>({1, -1})), Error);
  EXPECT_THROW(cross_entropy(zeros({2, 3}), from_vector<int64_t>({1, 0, 1})), Error);  // target shape
  EXPECT_THROW(cross_entropy(zeros({2, 3}), from_vector<float>({1, 0})), Error);       // target dtype
  EXPECT_THROW(cross_entropy(zeros({2, 3}), from_vector<int64_t>({1, 0}), {-100, 1.5}), Error);
  EXPECT_THROW(nll_loss(zeros({2, 3}, DType::I64), from_vector<int64_t>({1, 0})), Error);
  EXPECT_THROW(mse_loss(zeros({2, 3}), zeros({3, 2})), Error);
  EXPECT_THROW(mse_loss(zeros({2}), zeros({2}, DType::F64)), Error);
}

}  // namespace
}  // namespace attn::test
