// Forward values and gradients of binary ops, neg/exp and chains of views, against PyTorch
// (tests/data/ops/binary.safetensors from tools/fixtures/ops_binary.py — the lambdas there mirror these).
#include <gtest/gtest.h>

#include <functional>
#include <span>

#include "attn/ops.h"
#include "support/expect.h"
#include "support/fixtures.h"
#include "support/params.h"

namespace attn::test {
namespace {

using Fn = std::function<Tensor(std::span<const Tensor>)>;

const std::vector<std::pair<std::string, Fn>>& torch_cases() {
  static const std::vector<std::pair<std::string, Fn>> cases = {
      {"add_bcast", [](auto x) { return add(x[0], x[1]); }},
      {"sub_bcast", [](auto x) { return sub(x[0], x[1]); }},
      {"mul_bcast", [](auto x) { return mul(x[0], x[1]); }},
      {"div_bcast", [](auto x) { return div(x[0], x[1]); }},
      {"neg", [](auto x) { return neg(x[0]); }},
      {"exp", [](auto x) { return exp(x[0]); }},
      // a.transpose(0, 2).reshape(4, 6)[1:4:2].unsqueeze(0) * 2
      {"views_chain",
       [](auto x) {
         return mul(unsqueeze(slice(reshape(transpose(x[0], 0, 2), {4, 6}), 0, 1, 4, 2), 0), 2.0);
       }},
      // a.permute(2, 0, 1).narrow(0, 1, 2).select(2, -1)
      {"permute_narrow",
       [](auto x) {
         return select(narrow(permute(x[0], {2, 0, 1}), 0, 1, 2), 2, -1);
       }},
      // a.expand(2, 3, 4) * b
      {"expand_mul",
       [](auto x) {
         return mul(expand(x[0], {2, 3, 4}), x[1]);
       }},
  };
  return cases;
}

class BinaryVsTorch : public ::testing::TestWithParam<DeviceDType> {};

TEST_P(BinaryVsTorch, ForwardAndGradientsMatch) {
  const auto [device, dtype, atol, rtol] = GetParam();
  Fixture f("ops/binary.safetensors");
  for (const auto& [name, fn] : torch_cases()) {
    SCOPED_TRACE(name);
    std::vector<Tensor> xs;
    for (int i = 0; f.has(fmt::format("{}.x{}", name, i)); ++i) {
      Tensor x = to_dtype(f[fmt::format("{}.x{}", name, i)], dtype);
      x.requires_grad_();
      xs.push_back(x);
    }
    Tensor y = fn(xs);
    EXPECT_TENSOR_NEAR(y, f[name + ".y"], atol, rtol);
    y.backward(to_dtype(f[name + ".gy"], dtype));
    for (size_t i = 0; i < xs.size(); ++i)
      EXPECT_TENSOR_NEAR(xs[i].grad(), f[fmt::format("{}.gx{}", name, i)], atol, rtol);
  }
}

INSTANTIATE_TEST_SUITE_P(Ops, BinaryVsTorch, ::testing::ValuesIn(all_device_dtypes()), device_dtype_name);

}  // namespace
}  // namespace attn::test
