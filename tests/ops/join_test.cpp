// cat, stack, split, chunk: values and gradients vs PyTorch (tools/fixtures/ops_index.py), finite
// differences, views (split/chunk share storage), torch's edge cases, errors.
#include <gtest/gtest.h>

#include "attn/ops.h"
#include "support/expect.h"
#include "support/fixtures.h"
#include "support/gradcheck.h"

namespace attn::test {
namespace {

std::vector<OpCase> join_cases() {
  return {
      {"cat_dim1",
       {{2, 3}, {2, 1}, {2, 4}},
       [](std::span<const Tensor> x) {
         return cat({x[0], x[1], x[2]}, 1);
       }},
      {"cat_dim0_transposed",
       {{3, 2}, {4, 3}},
       [](std::span<const Tensor> x) {
         return cat({t(x[0]), x[1]}, 0);
       }},
      {"stack_last",
       {{2, 3}, {2, 3}},
       [](std::span<const Tensor> x) {
         return stack({x[0], x[1]}, -1);
       }},
      // Pieces put back in another order: each slice's gradient must reach its own rows.
      {"split_reordered",
       {{7, 3}},
       [](std::span<const Tensor> x) {
         auto p = split(x[0], 3, 0);
         return cat({p[2], p[0], p[1]}, 0);
       }},
      {"chunk_reordered",
       {{2, 5}},
       [](std::span<const Tensor> x) {
         auto p = chunk(x[0], 3, 1);
         return cat({p[1], p[2], p[0]}, 1);
       }},
  };
}
INSTANTIATE_TEST_SUITE_P(Join, GradCheck, ::testing::ValuesIn(join_cases()), case_name);

class JoinTorch : public ::testing::TestWithParam<std::string> {};

// Σ_k y_k·gy_k backward, then each input's gradient vs torch.
void expect_case(const Fixture& f, const std::string& p, std::vector<Tensor> ins,
                 const std::vector<Tensor>& ys, const std::vector<std::string>& names) {
  for (size_t k = 0; k < ys.size(); ++k) {
    EXPECT_TENSOR_NEAR(ys[k], f[p + "y" + std::to_string(k)], 0, 0);
    ys[k].backward(f[p + "gy" + std::to_string(k)]);
  }
  for (size_t i = 0; i < ins.size(); ++i) EXPECT_TENSOR_NEAR(ins[i].grad(), f[p + "grad_" + names[i]], 0, 0);
}

TEST_P(JoinTorch, MatchesPyTorch) {
  const Fixture f("ops/index.safetensors");
  const std::string p = "index." + GetParam() + ".";
  auto leaf = [&](const std::string& n) { return f[p + n].detach().requires_grad_(); };
  for (const char* op : {"cat", "stack"}) {
    SCOPED_TRACE(op);
    const std::string q = p + op + ".";
    std::vector<Tensor> ts = {leaf(std::string(op) + ".t0"), leaf(std::string(op) + ".t1"),
                              leaf(std::string(op) + ".t2")};
    Tensor y = std::string(op) == "cat" ? cat(ts, 1) : stack(ts, 1);
    expect_case(f, q, ts, {y}, {"t0", "t1", "t2"});
  }
  Tensor xs = leaf("split.x");
  expect_case(f, p + "split.", {xs}, split(xs, 3, 0), {"x"});
  Tensor xc = leaf("chunk.x");
  expect_case(f, p + "chunk.", {xc}, chunk(xc, 3, 1), {"x"});
}
INSTANTIATE_TEST_SUITE_P(Ops, JoinTorch, ::testing::Values("f32", "f64"));

TEST(Join, SplitAndChunkAreViews) {
  Tensor x = reshape(arange(0, 10, 1, DType::F32), {2, 5});
  auto parts = chunk(x, 3, 1);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[2].shape(), (Shape{2, 1}));
  EXPECT_EQ(parts[1].storage(), x.storage());
  EXPECT_EQ(parts[1].offset(), 2);
  // torch.chunk(torch.arange(6), 4) → 3 pieces of 2; torch.chunk(torch.empty(0), 3) → 3 empty tensors
  EXPECT_EQ(chunk(arange(6), 4).size(), 3u);
  EXPECT_EQ(chunk(zeros({0}), 3).size(), 3u);
  EXPECT_EQ(split(zeros({0}), 2).size(), 1u);
  auto s = split(arange(7), std::vector<int64_t>{2, 0, 5});
  EXPECT_EQ(s[1].shape(), (Shape{0}));
  EXPECT_EQ(to_vector<int64_t>(s[2]), (std::vector<int64_t>{2, 3, 4, 5, 6}));
}

TEST(Join, CatOfIdsAndBools) {
  EXPECT_EQ(to_vector<int64_t>(cat({arange(2), arange(3)})), (std::vector<int64_t>{0, 1, 0, 1, 2}));
  EXPECT_EQ(stack({bool_tensor({1, 0}, {2}), bool_tensor({0, 1}, {2})}).shape(), (Shape{2, 2}));
}

TEST(Join, Errors) {
  try {
    cat({zeros({2, 3}), zeros({3, 3})}, 1);
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(
        e.what(),
        "cat: sizes of tensors must match except in dimension 1: tensor 0 has shape [2, 3], tensor 1 has "
        "shape [3, 3]");
  }
  EXPECT_THROW(cat({}), Error);
  EXPECT_THROW(cat({zeros({2}), zeros({2}, DType::F64)}), Error);
  EXPECT_THROW(stack({zeros({2}), zeros({3})}), Error);
  EXPECT_THROW(split(arange(3), 0), Error);
  EXPECT_THROW(split(arange(3), std::vector<int64_t>{1, 1}), Error);
  EXPECT_THROW(chunk(arange(3), 0), Error);
  EXPECT_THROW(cat({zeros({2})}, 1), Error);
}

}  // namespace
}  // namespace attn::test
