// sum, mean, max, argmax: gradient checks, values, indices and gradients against PyTorch
// (tests/data/ops/reduce.*, from tools/fixtures/ops_reduce.py), tie and NaN rules, shapes, errors.
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

std::vector<OpCase> reduce_cases() {
  using S = std::span<const Tensor>;
  std::vector<OpCase> cases = {
      {"sum_dim", {{3, 4, 5}}, [](S x) { return sum(x[0], 1); }},
      {"sum_dims_keep",
       {{3, 4, 5}},
       [](S x) {
         return sum(x[0], {0, 2}, true);
       }},
      {"sum_all", {{3, 4}}, [](S x) { return sum(x[0]); }},
      {"sum_of_transpose", {{3, 4}}, [](S x) { return sum(t(x[0]), 1); }},
      {"mean_dim_keep", {{3, 4, 5}}, [](S x) { return mean(x[0], -1, true); }},
      {"mean_dims",
       {{2, 3, 4}},
       [](S x) {
         return mean(x[0], {1, 2});
       }},
      {"mean_all", {{3, 4}}, [](S x) { return mean(x[0]); }},
      {"max_dim", {{3, 5, 2}}, [](S x) { return max(x[0], 1).values; }},
      {"max_dim_keep", {{3, 5}}, [](S x) { return max(x[0], -1, true).values; }},
      {"max_all", {{3, 5}}, [](S x) { return max(x[0]); }},
  };
  return cases;  // standard normal inputs: no ties, so max is differentiable at them
}
INSTANTIATE_TEST_SUITE_P(Reduce, GradCheck, ::testing::ValuesIn(reduce_cases()), case_name);

// The lambdas mirror CASES in tools/fixtures/ops_reduce.py; max cases return values and write `idx`.
using Fn = std::function<Tensor(const Tensor&, Tensor& idx)>;
const std::vector<std::pair<std::string, Fn>>& reduce_torch_cases() {
  static const std::vector<std::pair<std::string, Fn>> cases = {
      {"sum_dim1", [](const Tensor& x, Tensor&) { return sum(x, 1); }},
      {"sum_dim_neg_keep", [](const Tensor& x, Tensor&) { return sum(x, -1, true); }},
      {"sum_dims_0_2",
       [](const Tensor& x, Tensor&) {
         return sum(x, {0, 2});
       }},
      {"sum_dims_1_2_keep",
       [](const Tensor& x, Tensor&) {
         return sum(x, {1, 2}, true);
       }},
      {"sum_all", [](const Tensor& x, Tensor&) { return sum(x); }},
      {"sum_long_row", [](const Tensor& x, Tensor&) { return sum(x, 1); }},
      {"mean_dim0", [](const Tensor& x, Tensor&) { return mean(x, 0); }},
      {"mean_dims_0_2_keep",
       [](const Tensor& x, Tensor&) {
         return mean(x, {0, 2}, true);
       }},
      {"mean_all", [](const Tensor& x, Tensor&) { return mean(x); }},
      {"max_dim1",
       [](const Tensor& x, Tensor& idx) {
         auto [v, i] = max(x, 1);
         idx = i;
         return v;
       }},
      {"max_dim_last_keep",
       [](const Tensor& x, Tensor& idx) {
         auto [v, i] = max(x, -1, true);
         idx = i;
         return v;
       }},
      {"max_all", [](const Tensor& x, Tensor&) { return max(x); }},
  };
  return cases;
}

class ReduceVsTorch : public ::testing::TestWithParam<DeviceDType> {};

TEST_P(ReduceVsTorch, ForwardIndicesAndGradientsMatch) {
  const auto [device, dtype, atol, rtol] = GetParam();
  Fixture f("ops/reduce.safetensors");
  for (const auto& [name, fn] : reduce_torch_cases()) {
    SCOPED_TRACE(name);
    Tensor x = to_dtype(f[name + ".x0"], dtype);
    x.requires_grad_();
    Tensor idx;
    Tensor y = fn(x, idx);
    EXPECT_TENSOR_NEAR(y, f[name + ".y"], atol, rtol);
    if (f.has(name + ".idx")) {
      EXPECT_EQ(to_vector<int64_t>(idx), to_vector<int64_t>(f[name + ".idx"]));
    }
    y.backward(to_dtype(f[name + ".gy"], dtype));
    EXPECT_TENSOR_NEAR(x.grad(), f[name + ".gx0"], atol, rtol);
  }
  // torch.argmax(x, 0) and torch.argmax(x) on inputs with ties
  const Tensor a = to_dtype(f["argmax_dim0.x0"], dtype);
  EXPECT_EQ(to_vector<int64_t>(argmax(a, 0)), to_vector<int64_t>(f["argmax_dim0.idx"]));
  const Tensor b = to_dtype(f["argmax_all.x0"], dtype);
  EXPECT_EQ(argmax(b).item<int64_t>(), f["argmax_all.idx"].item<int64_t>());
}
INSTANTIATE_TEST_SUITE_P(Ops, ReduceVsTorch, ::testing::ValuesIn(all_device_dtypes()), device_dtype_name);

TEST(Reduce, TiesAndNaNFollowPyTorch) {
  const float nan = std::nanf("");
  // a = torch.tensor([[1., 3., 3., 2.], [5., 5., 1., nan]], requires_grad=True); v, i = a.max(1)
  //   → v = [3., nan], i = [1, 3]; v.backward(torch.ones(2)) → a.grad = [[0, 1, 0, 0], [0, 0, 0, 1]]
  Tensor a = from_vector<float>({1, 3, 3, 2, 5, 5, 1, nan}, {2, 4});
  a.requires_grad_();
  auto [v, i] = max(a, 1);
  EXPECT_EQ(v.at<float>({0}), 3.f);
  EXPECT_TRUE(std::isnan(v.at<float>({1})));
  EXPECT_EQ(to_vector<int64_t>(i), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(to_vector<int64_t>(argmax(a, 1)), (std::vector<int64_t>{1, 3}));
  v.backward(ones({2}));
  EXPECT_EQ(to_vector<float>(a.grad()), (std::vector<float>{0, 1, 0, 0, 0, 0, 0, 1}));
  // b = torch.tensor([[1., 3., 3., 2.]], requires_grad=True); b.max().backward() → [[0, .5, .5, 0]]
  Tensor b = from_vector<float>({1, 3, 3, 2}, {1, 4});
  b.requires_grad_();
  max(b).backward();
  EXPECT_EQ(to_vector<float>(b.grad()), (std::vector<float>{0, 0.5f, 0.5f, 0}));
  // c = torch.tensor([[1., nan, 3., nan]], requires_grad=True); c.max() → nan, grad [[0, .5, 0, .5]]; argmax
  // 1
  Tensor c = from_vector<float>({1, nan, 3, nan}, {1, 4});
  c.requires_grad_();
  Tensor m = max(c);
  EXPECT_TRUE(std::isnan(m.item<float>()));
  m.backward();
  EXPECT_EQ(to_vector<float>(c.grad()), (std::vector<float>{0, 0.5f, 0, 0.5f}));
  EXPECT_EQ(argmax(c).item<int64_t>(), 1);
}

TEST(Reduce, ShapesDtypesAndEmptyInputs) {
  Tensor x = ones({2, 3, 4});
  EXPECT_EQ(sum(x, {0, 2}).shape(), (Shape{3}));
  EXPECT_EQ(sum(x, {0, 2}, true).shape(), (Shape{1, 3, 1}));
  EXPECT_EQ(sum(x).shape(), Shape{});
  EXPECT_EQ(sum(x, std::vector<int64_t>{}).item<float>(), 24.f);  // torch 1.13: dim=[] reduces everything
  EXPECT_EQ(max(x, 2).indices.dtype(), DType::I64);
  // torch.tensor(3.).sum(0) → 3.; torch.tensor(3.).max(0) → (3., 0)
  EXPECT_EQ(sum(scalar_tensor(3.0), 0).item<float>(), 3.f);
  EXPECT_EQ(max(scalar_tensor(3.0), 0).indices.item<int64_t>(), 0);
  // torch.ones(2, 3, dtype=torch.long).sum() → tensor(6) (int64)
  Tensor s = sum(ones({2, 3}, DType::I64));
  EXPECT_EQ(s.dtype(), DType::I64);
  EXPECT_EQ(s.item<int64_t>(), 6);
  // torch.zeros(0, 3).sum(0) → [0, 0, 0]; .mean(0) → [nan, nan, nan]
  EXPECT_EQ(to_vector<float>(sum(zeros({0, 3}), 0)), std::vector<float>(3, 0.f));
  EXPECT_TRUE(std::isnan(to_vector<float>(mean(zeros({0, 3}), 0))[0]));
  // Sums of a narrowed (offset) view and of a long row split into chunks.
  EXPECT_EQ(to_vector<float>(sum(narrow(reshape(arange(0, 6, 1, DType::F32), {3, 2}), 0, 1, 2), 0)),
            (std::vector<float>{6, 8}));
  EXPECT_EQ(sum(ones({300000})).item<float>(), 300000.f);
}

TEST(Reduce, ErrorsNameTheOp) {
  try {
    sum(zeros({2, 3}), {0, 0});
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "sum: dim 0 appears multiple times in the list of dims");
  }
  try {
    mean(zeros({2}, DType::I64));
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "mean: could not infer output dtype; input dtype must be floating point, got int64");
  }
  EXPECT_THROW(max(zeros({0, 3}), 0), Error);
  EXPECT_THROW(max(zeros({0, 3})), Error);
  EXPECT_THROW(argmax(zeros({2, 3}), 2), Error);
  EXPECT_THROW(sum(zeros({2, 3}), 3), Error);
}

}  // namespace
}  // namespace attn::test
