// layer_norm: gradient checks (input, weight, bias), values and gradients against PyTorch
// (tests/data/ops/norm.*, from tools/fixtures/ops_norm.py), and errors.
#include <gtest/gtest.h>

#include "attn/ops.h"
#include "support/expect.h"
#include "support/fixtures.h"
#include "support/gradcheck.h"
#include "support/params.h"

namespace attn::test {
namespace {

std::vector<OpCase> norm_cases() {
  std::vector<OpCase> cases = {
      {"layer_norm_affine",
       {{3, 5}, {5}, {5}},
       [](std::span<const Tensor> x) { return layer_norm(x[0], {5}, x[1], x[2]); }},
      {"layer_norm_plain", {{2, 3, 4}}, [](std::span<const Tensor> x) { return layer_norm(x[0], {4}); }},
      {"layer_norm_two_dims",
       {{2, 3, 4}, {3, 4}, {3, 4}},
       [](std::span<const Tensor> x) {
         return layer_norm(x[0], {3, 4}, x[1], x[2], 1e-3);
       }},
      {"layer_norm_weight_only",
       {{4, 6}, {6}},
       [](std::span<const Tensor> x) { return layer_norm(x[0], {6}, x[1], Tensor()); }},
      {"layer_norm_bias_only",
       {{4, 6}, {6}},
       [](std::span<const Tensor> x) { return layer_norm(x[0], {6}, Tensor(), x[1]); }},
      {"layer_norm_of_transpose",
       {{5, 3}, {5}, {5}},
       [](std::span<const Tensor> x) { return layer_norm(t(x[0]), {5}, x[1], x[2]); }},
  };
  return cases;
}
INSTANTIATE_TEST_SUITE_P(Norm, GradCheck, ::testing::ValuesIn(norm_cases()), case_name);

class LayerNormVsTorch : public ::testing::TestWithParam<DeviceDType> {};

// normalized_shape, affine and eps mirror CASES in tools/fixtures/ops_norm.py.
TEST_P(LayerNormVsTorch, ForwardAndGradientsMatch) {
  const auto [device, dtype, atol, rtol] = GetParam();
  Fixture f("ops/norm.safetensors");
  struct Case {
    std::string name;
    Shape ns;
    double eps;
  };
  const std::vector<Case> cases = {{"affine_last", {8}, 1e-5}, {"affine_two_dims", {4, 5}, 1e-5},
                                   {"plain", {6}, 1e-5},       {"bert_eps", {32}, 1e-12},
                                   {"large_eps", {7}, 0.1},    {"one_row_long", {257}, 1e-5}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Tensor x = to_dtype(f[c.name + ".x0"], dtype);
    x.requires_grad_();
    Tensor w, b;
    if (f.has(c.name + ".w")) {
      w = to_dtype(f[c.name + ".w"], dtype);
      b = to_dtype(f[c.name + ".b"], dtype);
      w.requires_grad_();
      b.requires_grad_();
    }
    Tensor y = layer_norm(x, c.ns, w, b, c.eps);
    EXPECT_TENSOR_NEAR(y, f[c.name + ".y"], atol, rtol);
    y.backward(to_dtype(f[c.name + ".gy"], dtype));
    EXPECT_TENSOR_NEAR(x.grad(), f[c.name + ".gx0"], atol, rtol);
    if (w.defined()) {
      EXPECT_TENSOR_NEAR(w.grad(), f[c.name + ".gw"], atol, rtol);
      EXPECT_TENSOR_NEAR(b.grad(), f[c.name + ".gb"], atol, rtol);
    }
  }
}
INSTANTIATE_TEST_SUITE_P(Ops, LayerNormVsTorch, ::testing::ValuesIn(all_device_dtypes()), device_dtype_name);

TEST(LayerNorm, ValuesMatchPyTorch) {
  // F.layer_norm(torch.tensor([[1., 2., 3., 4.]]), (4,)) → [[-1.3416, -0.4472, 0.4472, 1.3416]]
  // (mean 2.5, biased variance 1.25, so (x − 2.5)/√(1.25 + 1e-5))
  Tensor y = layer_norm(from_vector<float>({1, 2, 3, 4}, {1, 4}), {4});
  EXPECT_TENSOR_NEAR(y, from_vector<float>({-1.3416355f, -0.4472118f, 0.4472118f, 1.3416355f}, {1, 4}), 1e-6,
                     1e-6);
  // with weight [1, 2, 3, 4] and bias 0.5: y·w + b
  Tensor yw = layer_norm(from_vector<float>({1, 2, 3, 4}, {1, 4}), {4}, from_vector<float>({1, 2, 3, 4}),
                         full({4}, 0.5));
  EXPECT_TENSOR_NEAR(yw, from_vector<float>({-0.8416355f, -0.3944236f, 1.8416355f, 5.866542f}, {1, 4}), 1e-6,
                     1e-6);
  // A constant row normalises to 0 (variance 0, so 1/√eps times 0).
  EXPECT_EQ(to_vector<float>(layer_norm(full({2, 3}, 7.0), {3})), std::vector<float>(6, 0.f));
}

TEST(LayerNorm, ErrorsNameShapes) {
  try {
    layer_norm(zeros({2, 5, 512}), {768});
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(
        e.what(),
        "layer_norm: given normalized_shape=[768], expected input with shape [*, 768], but got [2, 5, 512]");
  }
  EXPECT_THROW(layer_norm(zeros({2, 4}), {4}, zeros({3})), Error);
  EXPECT_THROW(layer_norm(zeros({2, 4}), {4}, Tensor(), zeros({4}, DType::F64)), Error);
  EXPECT_THROW(layer_norm(zeros({4}), {2, 4}), Error);
  EXPECT_THROW(layer_norm(zeros({2, 4}, DType::I64), {4}), Error);
}

}  // namespace
}  // namespace attn::test
