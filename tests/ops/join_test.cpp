// cat, stack, split, chunk, unbind: values and gradients vs PyTorch (tools/fixtures/ops_index.py), finite
// differences, views (split/chunk share storage), torch's edge cases, errors.
#include <gtest/gtest.h>

#include "attn/autograd/node.h"
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
      // Steps used out of order, one twice and one not at all (its slice of the gradient must be 0).
      {"unbind_partial",
       {{4, 2, 3}},
       [](std::span<const Tensor> x) {
         auto p = unbind(x[0], 0);
         return stack({p[3], p[0], p[3], p[1]}, 0);
       }},
      {"unbind_dim2",
       {{2, 3, 4}},
       [](std::span<const Tensor> x) {
         auto p = unbind(x[0], 2);
         return cat({p[1] * p[2], p[0], p[3]}, 1);
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
  Tensor xu = leaf("unbind.x");
  expect_case(f, p + "unbind.", {xu}, unbind(xu, 0), {"x"});
  Tensor xp = leaf("unbind_partial.x");
  const auto pieces = unbind(xp, 1);
  EXPECT_EQ(pieces.size(), 3u);
  expect_case(f, p + "unbind_partial.", {xp}, {pieces[0], pieces[1]}, {"x"});
}

// split/chunk/unbind record ONE node for all pieces: the engine hands it every piece's gradient at once
// (no per-piece zero-filled buffers), and since it saves nothing, pieces may be backpropagated one by one.
TEST(Join, UnbindIsOneMultiOutputNode) {
  Tensor x = reshape(arange(0, 6, 1, DType::F64), {3, 2}).requires_grad_(true);
  auto p = unbind(x, 0);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].grad_fn(), p[2].grad_fn());
  EXPECT_EQ(p[0].grad_fn()->name(), "UnbindBackward");
  EXPECT_EQ(p[1].storage(), x.storage());  // views
  EXPECT_TENSOR_NEAR(p[1], from_vector<double>({2, 3}, {2}), 0, 0);
  sum(p[0] + p[2] * p[2]).backward();
  EXPECT_TENSOR_NEAR(x.grad(), from_vector<double>({1, 1, 0, 0, 8, 10}, {3, 2}), 0, 0);
  p[1].backward(from_vector<double>({5, 7}, {2}));  // a second backward through the same node adds up
  EXPECT_TENSOR_NEAR(x.grad(), from_vector<double>({1, 1, 5, 7, 8, 10}, {3, 2}), 0, 0);
  EXPECT_EQ(chunk(x, 2, 0)[0].grad_fn()->name(), "SplitBackward");
  EXPECT_TRUE(unbind(zeros({0, 2}), 0).empty());
  EXPECT_THROW(unbind(x, 2), Error);
  EXPECT_THROW(unbind(scalar_tensor(1.0), 0), Error);
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
