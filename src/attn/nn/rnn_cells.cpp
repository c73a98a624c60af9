// Recurrent cells: the three step functions (a GEMM for h W_hhᵀ, then the Elman activation, or the LSTM/GRU
// gates as one fused pointwise op) and the RNNCell/LSTMCell/GRUCell modules.
#include "attn/nn/rnn_cells.h"

#include <cmath>

#include "attn/nn/init.h"
#include "attn/ops.h"

namespace attn::nn {

Tensor rnn_step(const Tensor& gi, const Tensor& h, const Tensor& w_hh, const Tensor& b_hh,
                RNNNonlinearity act) {
  const Tensor pre = gi + linear(h, w_hh, b_hh);  // (B, H)
  return act == RNNNonlinearity::Tanh ? tanh(pre) : relu(pre);
}

RNNState lstm_step(const Tensor& gi, const RNNState& s, const Tensor& w_hh, const Tensor& b_hh) {
  // The gates' pointwise math (σ, tanh, c' = f ⊙ c + i ⊙ g, h' = o ⊙ tanh c') is one fused op
  // (ops/rnn_cell.h).
  const auto [h, c] = lstm_cell_pointwise(gi, linear(s.h, w_hh, b_hh), s.c);  // (B, H) each
  return {h, c};
}

Tensor gru_step(const Tensor& gi, const Tensor& h, const Tensor& w_hh, const Tensor& b_hh) {
  return gru_cell_pointwise(gi, linear(h, w_hh, b_hh), h);  // (B, H); the gates fused as for the LSTM
}

RNNCellBase::RNNCellBase(int64_t in, int64_t hidden, int64_t gates, bool bias, Generator& gen)
    : input_size(in), hidden_size(hidden) {
  ATTN_CHECK(in > 0 && hidden > 0, "RNNCell: expected positive sizes, got input_size={} hidden_size={}", in,
             hidden);
  weight_ih = empty({gates * hidden, in});
  weight_hh = empty({gates * hidden, hidden});
  if (bias) {
    bias_ih = empty({gates * hidden});
    bias_hh = empty({gates * hidden});
  }
  register_parameter("weight_ih", weight_ih);
  register_parameter("weight_hh", weight_hh);
  register_parameter("bias_ih", bias_ih);
  register_parameter("bias_hh", bias_hh);
  reset_parameters(gen);
}

void RNNCellBase::reset_parameters(Generator& gen) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(hidden_size));
  for (const Tensor& p : parameters()) init::uniform_(p, -bound, bound, gen);
}

void RNNCellBase::check_input(const Tensor& x, const Tensor& h, const char* who) const {
  ATTN_CHECK(x.dim() == 2 && x.size(1) == input_size, "{}: expected input (B, {}), got {}", who, input_size,
             shape_str(x.shape()));
  ATTN_CHECK(!h.defined() || (h.dim() == 2 && h.size(0) == x.size(0) && h.size(1) == hidden_size),
             "{}: expected hidden state ({}, {}), got {}", who, x.size(0), hidden_size,
             h.defined() ? shape_str(h.shape()) : std::string("undefined"));
}

Tensor RNNCellBase::zero_state(const Tensor& x) const { return zeros({x.size(0), hidden_size}, x.dtype()); }

RNNCell::RNNCell(int64_t in, int64_t hidden, bool bias, RNNNonlinearity act, Generator& gen)
    : RNNCellBase(in, hidden, 1, bias, gen), nonlinearity(act) {}

Tensor RNNCell::forward(const Tensor& x, const Tensor& h) const {
  check_input(x, h, "RNNCell");
  return rnn_step(linear(x, weight_ih, bias_ih), h.defined() ? h : zero_state(x), weight_hh, bias_hh,
                  nonlinearity);
}

LSTMCell::LSTMCell(int64_t in, int64_t hidden, bool bias, Generator& gen)
    : RNNCellBase(in, hidden, 4, bias, gen) {}

RNNState LSTMCell::forward(const Tensor& x, const RNNState& state) const {
  check_input(x, state.h, "LSTMCell");
  check_input(x, state.c, "LSTMCell");
  const RNNState s{state.h.defined() ? state.h : zero_state(x), state.c.defined() ? state.c : zero_state(x)};
  return lstm_step(linear(x, weight_ih, bias_ih), s, weight_hh, bias_hh);
}

GRUCell::GRUCell(int64_t in, int64_t hidden, bool bias, Generator& gen)
    : RNNCellBase(in, hidden, 3, bias, gen) {}

Tensor GRUCell::forward(const Tensor& x, const Tensor& h) const {
  check_input(x, h, "GRUCell");
  return gru_step(linear(x, weight_ih, bias_ih), h.defined() ? h : zero_state(x), weight_hh, bias_hh);
}

}  // namespace attn::nn
