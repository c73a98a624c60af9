// embedding: gather forward and scatter-add backward vs torch.nn.functional.embedding (repeated ids,
// padding_idx), finite differences, and the out-of-range error.
#include <gtest/gtest.h>

#include "attn/ops.h"
#include "support/expect.h"
#include "support/fixtures.h"
#include "support/gradcheck.h"

namespace attn::test {
namespace {

// Fixed ids with repeats (so gradients add) for a vocabulary of 6.
Tensor ids_init(size_t i, const Shape& s, Generator& g) {
  return i == 1 ? randint(0, 6, s, g) : randn(s, g, DType::F64);
}

std::vector<OpCase> embedding_cases() {
  std::vector<OpCase> cases = {
      {"embedding_batched",
       {{6, 3}, {4, 5}},
       [](std::span<const Tensor> x) { return embedding(x[0], x[1]); }},
      {"embedding_padding",
       {{6, 3}, {9}},
       [](std::span<const Tensor> x) { return embedding(x[0], x[1], 2); }},
  };
  for (auto& c : cases) {
    c.init = ids_init;
    c.differentiable = {true, false};
  }
  // padding_idx is a convention, not a derivative (the forward still reads the row; torch just drops its
  // gradient), so finite differences cannot check it: this case draws ids other than the padding id 2 and
  // checks that excluding it leaves the other rows right. The padding rule itself is checked against torch.
  cases[1].init = [](size_t i, const Shape& s, Generator& g) {
    if (i == 0) return randn(s, g, DType::F64);
    Tensor ids = randint(0, 5, s, g);
    for (int64_t k = 0; k < ids.numel(); ++k)
      if (ids.data<int64_t>()[k] == 2) ids.data<int64_t>()[k] = 5;
    return ids;
  };
  return cases;
}
INSTANTIATE_TEST_SUITE_P(Embedding, GradCheck, ::testing::ValuesIn(embedding_cases()), case_name);

class EmbeddingTorch : public ::testing::TestWithParam<std::string> {};

TEST_P(EmbeddingTorch, MatchesPyTorch) {
  const Fixture f("ops/embedding.safetensors");
  const std::string tag = GetParam();
  const double rtol = tag == "f32" ? 1e-6 : 1e-15;
  // padding_idx per case, as in tools/fixtures/ops_embedding.py (None → -1)
  for (auto [name, pad] : {std::pair{"batched", -1}, {"padding0", 0}, {"padding_repeated", 5}}) {
    SCOPED_TRACE(fmt::format("{}.{}", tag, name));
    const std::string p = "embedding." + tag + "." + name + ".";
    Tensor w = f[p + "weight"].detach().requires_grad_();
    Tensor y = embedding(w, f[p + "ids"], pad);
    EXPECT_TENSOR_NEAR(y, f[p + "y"], 0, 0);  // a gather is exact
    y.backward(f[p + "gy"]);
    EXPECT_TENSOR_NEAR(w.grad(), f[p + "grad_weight"], 0, rtol);
  }
}
INSTANTIATE_TEST_SUITE_P(Ops, EmbeddingTorch, ::testing::Values("f32", "f64"));

TEST(Embedding, NonContiguousIdsAndWeight) {
  Tensor w = t(reshape(arange(0, 12, 1, DType::F32), {3, 4}));       // (4, 3), transposed view
  Tensor ids = t(from_vector<int64_t>({0, 1, 2, 3, 3, 0}, {2, 3}));  // (3, 2) view
  Tensor y = embedding(w, ids);
  EXPECT_EQ(y.shape(), (Shape{3, 2, 3}));
  EXPECT_TENSOR_NEAR(y, embedding(contiguous(w), contiguous(ids)), 0, 0);
}

TEST(Embedding, ManyThreadsSumRepeatedIds) {
  // A large backward (parallel over columns) with every id repeated 1000 times: each row's gradient is 1000.
  std::vector<int64_t> v(3000);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<int64_t>(i % 3);
  Tensor w = zeros({3, 64}).requires_grad_();
  embedding(w, from_vector(v)).backward(ones({3000, 64}));
  EXPECT_EQ(to_vector<float>(w.grad()), std::vector<float>(3 * 64, 1000.f));
}

TEST(Embedding, OutOfRangeIdIsAnError) {
  try {
    embedding(zeros({10, 4}), from_vector<int64_t>({1, 12, 3}));
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "embedding: id 12 at position 1 is out of range for a vocabulary of size 10");
    EXPECT_EQ(e.kind(), ErrorKind::IndexOutOfRange);
  }
  EXPECT_THROW(embedding(zeros({10, 4}), from_vector<int64_t>({-1})), Error);
  EXPECT_THROW(embedding(zeros({10, 4}), from_vector<float>({1})), Error);
  EXPECT_THROW(embedding(zeros({10}), from_vector<int64_t>({1})), Error);
}

}  // namespace
}  // namespace attn::test
