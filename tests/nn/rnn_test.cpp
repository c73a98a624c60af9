// RNN/LSTM/GRU and their cells vs torch.nn (tools/fixtures/rnn.py → tests/data/rnn/rnn.safetensors):
// torch's state dicts are loaded into attn's modules by name, then outputs, final states and the gradients
// of every parameter, the input and the initial states are compared (f32, 1e-5 relative) — 2 layers,
// bidirectional, batch_first, and a padded batch with lengths (torch's pack_padded_sequence). The step
// functions are also gradient-checked in f64 (tests/support/gradcheck.h).
#include "attn/nn/rnn.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "attn/ops.h"
#include "attn/tensor/copy.h"
#include "support/expect.h"
#include "support/fixtures.h"
#include "support/gradcheck.h"

namespace attn {
namespace {

constexpr double kAtol = 1e-6, kRtol = 1e-5;        // f32 vs torch f32
constexpr double kAtol64 = 1e-12, kRtol64 = 1e-10;  // f64 vs torch f64

const test::Fixture& fixture() {
  static const test::Fixture f("rnn/rnn.safetensors");
  return f;
}

// Worst differences to torch over every compared tensor of a case, printed per case (docs/rnn.md):
// max |a − e| over elements, and max over tensors of ‖a − e‖ / ‖e‖ (elementwise relative differences of
// f32 sums are large only on near-zero elements, which kAtol covers).
double worst_abs = 0, worst_rel = 0;
double atol = kAtol, rtol = kRtol;  // set per case: f32 (the bar) or f64 (kAtol64, kRtol64)
void near(const Tensor& a, const Tensor& e, const std::string& what) {
  EXPECT_TENSOR_NEAR(a, e, atol, rtol) << what;
  if (a.shape() != e.shape()) return;
  const auto av = to_vector<double>(to_dtype(a.detach(), DType::F64));
  const auto ev = to_vector<double>(to_dtype(e, DType::F64));
  double diff2 = 0, ref2 = 0;
  for (size_t i = 0; i < av.size(); ++i) {
    const double d = std::abs(av[i] - ev[i]);
    worst_abs = std::max(worst_abs, d);
    diff2 += d * d;
    ref2 += ev[i] * ev[i];
  }
  if (ref2 > 0) worst_rel = std::max(worst_rel, std::sqrt(diff2 / ref2));
}

// A fresh leaf copy of a fixture tensor that collects a gradient.
Tensor leaf(const Tensor& t) {
  Tensor c = contiguous_copy(t);
  c.requires_grad_(true);
  return c;
}

nn::StateDict state_of(const std::string& prefix) {
  nn::StateDict sd;
  for (const auto& [key, t] : fixture().all())
    if (key.rfind(prefix + ".state.", 0) == 0) sd[key.substr(prefix.size() + 7)] = t;
  return sd;
}

void expect_param_grads(const nn::Module& m, const std::string& prefix) {
  for (const auto& [name, p] : m.named_parameters()) {
    ASSERT_TRUE(p.grad().defined()) << prefix << " " << name;
    near(p.grad(), fixture()[prefix + ".grad." + name], prefix + " grad " + name);
  }
}

struct LayerCase {
  std::string name;
  bool packed;
  bool f64 = false;
};

class RNNVsTorch : public ::testing::TestWithParam<LayerCase> {};

std::unique_ptr<nn::RNNBase> make_layer(const std::string& name, DType dtype) {
  nn::RNNOptions o{.num_layers = 2, .bidirectional = true, .dtype = dtype};
  if (name == "lstm") return std::make_unique<nn::LSTM>(5, 4, o);
  if (name == "gru") return std::make_unique<nn::GRU>(5, 4, o);
  if (name == "rnn_relu") {
    o.batch_first = true;
    o.nonlinearity = nn::RNNNonlinearity::ReLU;
  }
  return std::make_unique<nn::RNN>(5, 4, o);
}

TEST_P(RNNVsTorch, OutputsStatesAndGradientsMatch) {
  const auto& f = fixture();
  const LayerCase& lc = GetParam();
  const std::string p = lc.name + (lc.f64 ? "64" : "") + (lc.packed ? ".packed" : ".full");
  atol = lc.f64 ? kAtol64 : kAtol;
  rtol = lc.f64 ? kRtol64 : kRtol;
  auto layer = make_layer(lc.name, lc.f64 ? DType::F64 : DType::F32);
  layer->load_state_dict(state_of(p));
  const bool lstm = layer->kind == nn::RNNBase::Kind::LSTM;
  const Tensor x = leaf(f[p + ".x"]), h0 = leaf(f[p + ".h0"]);
  const Tensor c0 = lstm ? leaf(f[p + ".c0"]) : Tensor();
  std::vector<int64_t> lengths;
  if (GetParam().packed) lengths = to_vector<int64_t>(f[p + ".lengths"]);

  worst_abs = worst_rel = 0;
  const nn::RNNOutput r = layer->forward(x, h0, c0, lengths);
  near(r.output, f[p + ".output"], "r.output");
  near(r.h_n, f[p + ".h_n"], "r.h_n");
  Tensor loss = sum(r.output * f[p + ".g_output"]) + sum(r.h_n * f[p + ".g_h"]);
  if (lstm) {
    near(r.c_n, f[p + ".c_n"], "r.c_n");
    loss = loss + sum(r.c_n * f[p + ".g_c"]);
  }
  loss.backward();
  expect_param_grads(*layer, p);
  near(x.grad(), f[p + ".grad.x"], "x.grad()");
  near(h0.grad(), f[p + ".grad.h0"], "h0.grad()");
  if (lstm) near(c0.grad(), f[p + ".grad.c0"], "c0.grad()");
  std::printf(
      "[ rnn      ] %s: output, states, %zu parameter + input grads: max abs diff %.2e, max norm rel %.2e\n",
      p.c_str(), layer->named_parameters().size(), worst_abs, worst_rel);
}

INSTANTIATE_TEST_SUITE_P(
    Layers, RNNVsTorch,
    ::testing::Values(LayerCase{"rnn_tanh", false}, LayerCase{"rnn_tanh", true}, LayerCase{"rnn_relu", false},
                      LayerCase{"rnn_relu", true}, LayerCase{"lstm", false}, LayerCase{"lstm", true},
                      LayerCase{"gru", false}, LayerCase{"gru", true}, LayerCase{"rnn_tanh", true, true},
                      LayerCase{"lstm", true, true}, LayerCase{"gru", true, true}),
    [](const auto& p) {  // not `info`: that name is the macro's own parameter (-Wshadow)
      return p.param.name + (p.param.f64 ? "64" : "") + (p.param.packed ? "_packed" : "_full");
    });

class CellVsTorch : public ::testing::TestWithParam<std::string> {};

TEST_P(CellVsTorch, OutputsAndGradientsMatch) {
  const auto& f = fixture();
  const std::string p = "cell_" + GetParam();
  const Tensor x = leaf(f[p + ".x"]), h = leaf(f[p + ".h0"]);
  worst_abs = worst_rel = 0;
  atol = kAtol;
  rtol = kRtol;
  Tensor h1, c, loss;
  std::unique_ptr<nn::Module> cell;
  if (GetParam() == "lstm") {
    auto m = std::make_unique<nn::LSTMCell>(5, 4);
    m->load_state_dict(state_of(p));
    c = leaf(f[p + ".c0"]);
    const nn::RNNState s = m->forward(x, {h, c});
    h1 = s.h;
    near(s.c, f[p + ".c_n"], "s.c");
    loss = sum(s.c * f[p + ".g_c"]);
    cell = std::move(m);
  } else if (GetParam() == "gru") {
    auto m = std::make_unique<nn::GRUCell>(5, 4);
    m->load_state_dict(state_of(p));
    h1 = m->forward(x, h);
    cell = std::move(m);
  } else {
    const auto act = GetParam() == "rnn_relu" ? nn::RNNNonlinearity::ReLU : nn::RNNNonlinearity::Tanh;
    auto m = std::make_unique<nn::RNNCell>(5, 4, true, act);
    m->load_state_dict(state_of(p));
    h1 = m->forward(x, h);
    cell = std::move(m);
  }
  near(h1, f[p + ".h_n"], "h1");
  const Tensor lh = sum(h1 * f[p + ".g_h"]);
  (loss.defined() ? loss + lh : lh).backward();
  expect_param_grads(*cell, p);
  near(x.grad(), f[p + ".grad.x"], "x.grad()");
  near(h.grad(), f[p + ".grad.h0"], "h.grad()");
  if (c.defined()) near(c.grad(), f[p + ".grad.c0"], "c.grad()");
  std::printf("[ rnn      ] %s: h', c', parameter + input grads: max abs diff %.2e, max norm rel %.2e\n",
              p.c_str(), worst_abs, worst_rel);
}

INSTANTIATE_TEST_SUITE_P(Cells, CellVsTorch, ::testing::Values("rnn_tanh", "rnn_relu", "lstm", "gru"),
                         [](const auto& p) { return p.param; });

// Gradient checks (f64, finite differences) of each step function on tiny shapes: B = 2, H = 3, and the
// input projection gi given directly (G·H wide). Inputs: gi, h, [c,] w_hh, b_hh.
std::vector<test::OpCase> step_cases() {
  using nn::RNNNonlinearity;
  auto rnn = [](RNNNonlinearity act) {
    return [act](std::span<const Tensor> x) { return nn::rnn_step(x[0], x[1], x[2], x[3], act); };
  };
  std::vector<test::OpCase> cases;
  cases.push_back({"rnn_tanh_step", {{2, 3}, {2, 3}, {3, 3}, {3}}, rnn(RNNNonlinearity::Tanh)});
  cases.push_back({"rnn_relu_step", {{2, 3}, {2, 3}, {3, 3}, {3}}, rnn(RNNNonlinearity::ReLU)});
  cases.push_back({"lstm_step", {{2, 12}, {2, 3}, {2, 3}, {12, 3}, {12}}, [](std::span<const Tensor> x) {
                     const nn::RNNState s = nn::lstm_step(x[0], {x[1], x[2]}, x[3], x[4]);
                     return cat({s.h, s.c}, 1);  // both outputs weighted in the loss
                   }});
  cases.push_back({"gru_step", {{2, 9}, {2, 3}, {9, 3}, {9}}, [](std::span<const Tensor> x) {
                     return nn::gru_step(x[0], x[1], x[2], x[3]);
                   }});
  return cases;
}

TEST(RNNGradCheck, StepFunctions) {
  for (const test::OpCase& c : step_cases()) {
    const auto r = test::check_gradients(c);
    EXPECT_TRUE(r.ok) << c.name << ": " << r.report;
  }
}

// Whole layers in f64 (bidirectional, padded batch with lengths {4, 2}): gradients of the input and the
// initial states against finite differences, through every step, mask and direction.
TEST(RNNGradCheck, BidirectionalPaddedLayers) {
  Generator gen(3);
  const nn::RNNOptions o{.num_layers = 2, .bidirectional = true, .dtype = DType::F64};
  nn::GRU gru(3, 2, o, gen);
  nn::LSTM lstm(3, 2, o, gen);
  test::OpCase g{"gru_layer", {{4, 2, 3}, {4, 2, 2}}, [&](std::span<const Tensor> x) {
                   const nn::RNNOutput r = gru.forward(x[0], x[1], {}, {4, 2});
                   return cat({flatten(r.output), flatten(r.h_n)}, 0);
                 }};
  test::OpCase l{"lstm_layer", {{4, 2, 3}, {4, 2, 2}, {4, 2, 2}}, [&](std::span<const Tensor> x) {
                   const nn::RNNOutput r = lstm.forward(x[0], x[1], x[2], {4, 2});
                   return cat({flatten(r.output), flatten(r.h_n), flatten(r.c_n)}, 0);
                 }};
  for (const test::OpCase& c : {g, l}) {
    const auto r = test::check_gradients(c);
    EXPECT_TRUE(r.ok) << c.name << ": " << r.report;
  }
}

TEST(RNN, ParameterNamesAndInitFollowTorch) {
  nn::GRU gru(5, 4, {.num_layers = 2, .bidirectional = true});
  std::vector<std::string> names;
  for (const auto& [name, p] : gru.named_parameters()) {
    names.push_back(name);
    const double bound = 0.5;  // 1/√H, H = 4
    for (double v : to_vector<double>(to_dtype(p, DType::F64))) {
      EXPECT_LE(std::abs(v), bound) << name;
    }
  }
  const std::vector<std::string> expected = {
      "weight_ih_l0",         "weight_hh_l0",         "bias_ih_l0",         "bias_hh_l0",
      "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
      "weight_ih_l1",         "weight_hh_l1",         "bias_ih_l1",         "bias_hh_l1",
      "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"};
  EXPECT_EQ(names, expected);
  const nn::StateDict sd = gru.state_dict();
  EXPECT_EQ(sd.at("weight_ih_l0").shape(), (Shape{12, 5}));  // (3·H, I)
  EXPECT_EQ(sd.at("weight_ih_l1").shape(), (Shape{12, 8}));  // (3·H, 2·H): both directions of layer 0
  EXPECT_EQ(sd.at("weight_hh_l1_reverse").shape(), (Shape{12, 4}));
}

TEST(RNN, FullLengthsEqualNoLengthsAndDropoutOnlyInTraining) {
  Generator gen(5);
  nn::LSTM lstm(3, 4, {.num_layers = 2, .dropout = 0.5, .bidirectional = true}, gen);
  lstm.eval();
  const Tensor x = randn({5, 2, 3}, gen);
  const nn::RNNOutput a = lstm.forward(x), b = lstm.forward(x, {}, {}, {5, 5});
  EXPECT_TENSOR_NEAR(a.output, b.output, 0, 0);
  EXPECT_TENSOR_NEAR(a.c_n, b.c_n, 0, 0);
  lstm.train();
  const nn::RNNOutput d = lstm.forward(x);
  EXPECT_GT(to_vector<double>(max(abs(d.output - a.output))).at(0), 1e-3);  // layer 0's output dropped
  // The first layer's final states are computed before any dropout.
  EXPECT_TENSOR_NEAR(narrow(d.h_n, 0, 0, 2), narrow(a.h_n, 0, 0, 2), 0, 0);
}

TEST(RNN, RejectsBadShapesAndLengths) {
  nn::GRU gru(3, 4);
  EXPECT_THROW(gru.forward(zeros({5, 2, 4})), Error);                        // wrong feature size
  EXPECT_THROW(gru.forward(zeros({5, 2, 3}), zeros({1, 3, 4})), Error);      // h0 batch differs
  EXPECT_THROW(gru.forward(zeros({5, 2, 3}), {}, zeros({1, 2, 4})), Error);  // c0 on a GRU
  EXPECT_THROW(gru.forward(zeros({5, 2, 3}), {}, {}, {5}), Error);           // one length for two sequences
  EXPECT_THROW(gru.forward(zeros({5, 2, 3}), {}, {}, {6, 1}), Error);        // length > T
  EXPECT_THROW(nn::GRUCell(3, 4).forward(zeros({2, 3}), zeros({3, 4})), Error);
}

}  // namespace
}  // namespace attn

namespace attn {
namespace {

// The example of docs/rnn.md, as written there: a padded batch through a 2-layer bidirectional LSTM.
TEST(RNN, DocExample) {
  Generator gen(0);
  nn::LSTM lstm(8, 16, {.num_layers = 2, .bidirectional = true}, gen);
  const Tensor x = randn({7, 3, 8}, gen);  // (T, B, I): 3 sequences padded to 7 steps
  auto [out, h_n, c_n] = lstm.forward(x, {}, {}, {7, 4, 2});
  std::printf("[ rnn      ] out %s, h_n %s, c_n %s\n", shape_str(out.shape()).c_str(),
              shape_str(h_n.shape()).c_str(), shape_str(c_n.shape()).c_str());
  EXPECT_EQ(out.shape(), (Shape{7, 3, 32}));
  EXPECT_EQ(h_n.shape(), (Shape{4, 3, 16}));
  // Sequence 2 has 2 real steps: its outputs at t = 2…6 are zero.
  EXPECT_TENSOR_NEAR(select(narrow(out, 0, 2, 5), 1, 2), zeros({5, 32}), 0, 0);
  // Last layer: the forward state ends at the last real step, the reverse one at t = 0.
  const Tensor fwd = narrow(select(select(out, 0, 1), 0, 2), 0, 0, 16);   // out[1, 2, :16]
  const Tensor bwd = narrow(select(select(out, 0, 0), 0, 2), 0, 16, 16);  // out[0, 2, 16:]
  EXPECT_TENSOR_NEAR(select(select(h_n, 0, 2), 0, 2), fwd, 0, 0);
  EXPECT_TENSOR_NEAR(select(select(h_n, 0, 3), 0, 2), bwd, 0, 0);
}

}  // namespace
}  // namespace attn
