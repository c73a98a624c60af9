// softmax / log_softmax: gradient checks, values and gradients against PyTorch (tests/data/ops/softmax.*,
// from tools/fixtures/ops_softmax.py), masked rows, and errors.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "attn/ops.h"
#include "support/expect.h"
#include "support/fixtures.h"
#include "support/gradcheck.h"
#include "support/params.h"

namespace attn::test {
namespace {

std::vector<OpCase> softmax_cases() {
  auto sm = [](int64_t dim) { return [dim](std::span<const Tensor> x) { return softmax(x[0], dim); }; };
  auto lsm = [](int64_t dim) { return [dim](std::span<const Tensor> x) { return log_softmax(x[0], dim); }; };
  return {
      {"softmax_last", {{3, 5}}, sm(-1)},
      {"softmax_first", {{4, 3}}, sm(0)},
      {"softmax_middle", {{2, 3, 4}}, sm(1)},
      {"softmax_scalar", {{}}, sm(0)},
      {"log_softmax_last", {{3, 5}}, lsm(1)},
      {"log_softmax_first", {{4, 3}}, lsm(0)},
      {"log_softmax_middle", {{2, 3, 4}}, lsm(-2)},
      // softmax of a transposed (non-contiguous) view, then a second op reusing the output
      {"softmax_of_transpose",
       {{3, 4}},
       [](std::span<const Tensor> x) { return mul(softmax(t(x[0]), 1), 2.0); }},
  };
}
INSTANTIATE_TEST_SUITE_P(Softmax, GradCheck, ::testing::ValuesIn(softmax_cases()), case_name);

class SoftmaxVsTorch : public ::testing::TestWithParam<DeviceDType> {};

// The dims below mirror SHAPES in tools/fixtures/ops_softmax.py.
TEST_P(SoftmaxVsTorch, ForwardAndGradientsMatch) {
  const auto [device, dtype, atol, rtol] = GetParam();
  Fixture f("ops/softmax.safetensors");
  const std::vector<std::pair<std::string, int64_t>> cases = {
      {"last", 1}, {"first", 0}, {"middle", 1}, {"negative_dim", -1}, {"long_row", -1}, {"masked", 1}};
  for (const std::string op : {"softmax", "log_softmax"}) {
    for (const auto& [shape_case, dim] : cases) {
      const std::string name = op + "." + shape_case;
      SCOPED_TRACE(name);
      Tensor x = to_dtype(f[name + ".x0"], dtype);
      x.requires_grad_();
      Tensor y = op == "softmax" ? softmax(x, dim) : log_softmax(x, dim);
      EXPECT_TENSOR_NEAR(y, f[name + ".y"], atol, rtol);
      y.backward(to_dtype(f[name + ".gy"], dtype));
      EXPECT_TENSOR_NEAR(x.grad(), f[name + ".gx0"], atol, rtol);
    }
  }
}
INSTANTIATE_TEST_SUITE_P(Ops, SoftmaxVsTorch, ::testing::ValuesIn(all_device_dtypes()), device_dtype_name);

TEST(Softmax, ValuesMatchPyTorch) {
  // torch.softmax(torch.tensor([[1., 2., 3.], [1000., 1000., 1000.]]), 1)
  //   → [[0.0900306, 0.2447285, 0.6652410], [0.3333333, 0.3333333, 0.3333333]]
  Tensor x = from_vector<float>({1, 2, 3, 1000, 1000, 1000}, {2, 3});
  EXPECT_TENSOR_NEAR(
      softmax(x, 1),
      from_vector<float>({0.0900306f, 0.2447285f, 0.6652410f, 1 / 3.f, 1 / 3.f, 1 / 3.f}, {2, 3}), 1e-7,
      1e-6);
  // torch.log_softmax(same, 1) → [[-2.4076059, -1.4076059, -0.4076059], [-1.0986123] * 3]
  EXPECT_TENSOR_NEAR(
      log_softmax(x, 1),
      from_vector<float>({-2.4076059f, -1.4076059f, -0.4076059f, -1.0986123f, -1.0986123f, -1.0986123f},
                         {2, 3}),
      1e-7, 1e-6);
  // torch.softmax(torch.tensor(2.), 0) → tensor(1.)
  EXPECT_EQ(softmax(scalar_tensor(2.0), 0).item<float>(), 1.f);
}

TEST(Softmax, MaskedRowsFollowPyTorch) {
  // m = torch.tensor([[-inf, -inf, -inf], [0., -inf, 1.]]); torch.softmax(m, 1)
  //   → [[nan, nan, nan], [0.2689, 0.0000, 0.7311]]   (log_softmax: [[nan]*3, [-1.3133, -inf, -0.3133]])
  const float inf = std::numeric_limits<float>::infinity();
  for (DType dtype : {DType::F32, DType::F64}) {
    Tensor m = to_dtype(from_vector<float>({-inf, -inf, -inf, 0, -inf, 1}, {2, 3}), dtype);
    const auto y = to_vector<double>(softmax(m, 1)), ly = to_vector<double>(log_softmax(m, 1));
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(std::isnan(y[i]) && std::isnan(ly[i]));
    EXPECT_NEAR(y[3], 0.2689414, 1e-6);
    EXPECT_EQ(y[4], 0.0);
    EXPECT_NEAR(y[5], 0.7310586, 1e-6);
    EXPECT_EQ(ly[4], -inf);
  }
}

TEST(Softmax, ErrorsNameTheOp) {
  try {
    softmax(zeros({2, 3}), 2);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("softmax"), std::string::npos) << e.what();
  }
  EXPECT_THROW(log_softmax(zeros({2, 3}), -3), Error);
  EXPECT_THROW(softmax(zeros({2}, DType::I64), 0), Error);
}

TEST(Softmax, EmptyAndNoGrad) {
  EXPECT_EQ(softmax(zeros({0, 4}), 1).shape(), (Shape{0, 4}));
  EXPECT_EQ(log_softmax(zeros({3, 0}), 1).shape(), (Shape{3, 0}));
  Tensor x = randn({2, 3});
  x.requires_grad_();
  NoGradGuard no_grad;
  EXPECT_FALSE(softmax(x, 1).requires_grad());
}

}  // namespace
}  // namespace attn::test
