// lstm_cell_pointwise / gru_cell_pointwise: finite differences (f64), and values and gradients against the
// composed form they replace (chunk, sigmoid, tanh, mul, add — the formulas of torch's LSTMCell/GRUCell, and
// the test oracle per STYLE P5) in f32 and f64; shape/dtype errors. The whole LSTM/GRU layers and cells built
// on these ops are compared with torch.nn in tests/nn/rnn_test.cpp.
#include <gtest/gtest.h>

#include "attn/ops.h"
#include "support/expect.h"
#include "support/gradcheck.h"

namespace attn::test {
namespace {

std::vector<OpCase> rnn_cell_cases() {
  return {
      {"lstm_cell_h_and_c",  // both outputs feed the result (c' weighted apart from h')
       {{3, 8}, {3, 8}, {3, 2}},
       [](std::span<const Tensor> x) {
         const auto [h, c] = lstm_cell_pointwise(x[0], x[1], x[2]);
         return cat({h, c * c}, 1);
       }},
      {"lstm_cell_h_only",  // no gradient for c': the engine hands the node an undefined slot
       {{2, 12}, {2, 12}, {2, 3}},
       [](std::span<const Tensor> x) { return lstm_cell_pointwise(x[0], x[1], x[2])[0]; }},
      {"lstm_cell_c_only",
       {{2, 12}, {2, 12}, {2, 3}},
       [](std::span<const Tensor> x) { return lstm_cell_pointwise(x[0], x[1], x[2])[1]; }},
      {"lstm_cell_transposed_gates",  // non-contiguous gi
       {{8, 2}, {2, 8}, {2, 2}},
       [](std::span<const Tensor> x) { return lstm_cell_pointwise(t(x[0]), x[1], x[2])[0]; }},
      {"gru_cell",
       {{3, 9}, {3, 9}, {3, 3}},
       [](std::span<const Tensor> x) { return gru_cell_pointwise(x[0], x[1], x[2]); }},
  };
}
INSTANTIATE_TEST_SUITE_P(RnnCell, GradCheck, ::testing::ValuesIn(rnn_cell_cases()), case_name);

// The composed forms (what nn::lstm_step / gru_step were before the fused ops).
std::array<Tensor, 2> lstm_composed(const Tensor& gi, const Tensor& gh, const Tensor& c) {
  const auto g = chunk(gi + gh, 4, 1);
  const Tensor i = sigmoid(g[0]), f = sigmoid(g[1]), cand = tanh(g[2]), o = sigmoid(g[3]);
  const Tensor c_new = f * c + i * cand;
  return {o * tanh(c_new), c_new};
}
Tensor gru_composed(const Tensor& gi, const Tensor& gh, const Tensor& h) {
  const auto xi = chunk(gi, 3, 1), hh = chunk(gh, 3, 1);
  const Tensor r = sigmoid(xi[0] + hh[0]), z = sigmoid(xi[1] + hh[1]);
  const Tensor n = tanh(xi[2] + r * hh[2]);
  return n + z * (h - n);
}

// Runs f on fresh leaves copied from xs, backpropagates Σ y·gy, returns {y, grads…}.
template <typename F>
std::vector<Tensor> run(F f, const std::vector<Tensor>& xs, const Tensor& gy) {
  std::vector<Tensor> leaves;
  for (const Tensor& x : xs) leaves.push_back(clone(x).requires_grad_(true));
  const Tensor y = f(leaves);
  sum(y * gy).backward();
  std::vector<Tensor> out{y.detach()};
  for (const Tensor& l : leaves) out.push_back(l.grad());
  return out;
}

class RnnCellOracle : public ::testing::TestWithParam<DType> {};

TEST_P(RnnCellOracle, MatchesComposedOps) {
  const DType dt = GetParam();
  const bool f32 = dt == DType::F32;
  const double atol = f32 ? 1e-6 : 1e-14, rtol = f32 ? 1e-5 : 1e-12;
  Generator gen(7);
  const int64_t B = 5, H = 13;
  const Tensor gi = randn({B, 4 * H}, gen, dt) * 2.0, gh = randn({B, 4 * H}, gen, dt),
               c = randn({B, H}, gen, dt);
  const Tensor gy = randn({B, 2 * H}, gen, dt);
  auto lstm = [](auto&& cell) {
    return [cell](const std::vector<Tensor>& x) {
      const auto [h, cn] = cell(x[0], x[1], x[2]);
      return cat({h, cn}, 1);
    };
  };
  const auto fused = run(lstm(lstm_cell_pointwise), {gi, gh, c}, gy);
  const auto composed = run(lstm(lstm_composed), {gi, gh, c}, gy);
  for (size_t k = 0; k < fused.size(); ++k) EXPECT_TENSOR_NEAR(fused[k], composed[k], atol, rtol);

  const Tensor ggi = randn({B, 3 * H}, gen, dt) * 2.0, ggh = randn({B, 3 * H}, gen, dt),
               h = randn({B, H}, gen, dt);
  const Tensor ggy = randn({B, H}, gen, dt);
  const auto gf = run([](const std::vector<Tensor>& x) { return gru_cell_pointwise(x[0], x[1], x[2]); },
                      {ggi, ggh, h}, ggy);
  const auto gc =
      run([](const std::vector<Tensor>& x) { return gru_composed(x[0], x[1], x[2]); }, {ggi, ggh, h}, ggy);
  for (size_t k = 0; k < gf.size(); ++k) EXPECT_TENSOR_NEAR(gf[k], gc[k], atol, rtol);
}
INSTANTIATE_TEST_SUITE_P(Ops, RnnCellOracle, ::testing::Values(DType::F32, DType::F64));

TEST(RnnCell, Errors) {
  const Tensor g = zeros({2, 8}), c = zeros({2, 2});
  EXPECT_THROW(lstm_cell_pointwise(zeros({2, 6}), g, c), Error);              // gi not 4H wide
  EXPECT_THROW(lstm_cell_pointwise(g, zeros({3, 8}), c), Error);              // batch differs
  EXPECT_THROW(lstm_cell_pointwise(g, g, zeros({2, 2}, DType::F64)), Error);  // dtype differs
  EXPECT_THROW(gru_cell_pointwise(g, g, c), Error);                           // 8 = 4H, GRU wants 3H
  EXPECT_THROW(lstm_cell_pointwise(g, g, zeros({2})), Error);                 // state not (B, H)
  try {
    lstm_cell_pointwise(zeros({2, 6}), g, c);
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("lstm_cell_pointwise: expected gi of shape [2, 8]"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace attn::test
