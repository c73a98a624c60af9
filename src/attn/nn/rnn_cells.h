// attn/nn/rnn_cells.h — one time step of the recurrent cells (Elman RNN, LSTM, GRU) and the cell modules.
//
// The step functions are free functions on explicit weights, written with differentiable ops (the LSTM
// and GRU gates as one fused op each, ops/rnn_cell.h; autograd for free); the cells (RNNCell, LSTMCell,
// GRUCell) own the weights and call them, and the sequence layers in nn/rnn.h call the same functions with
// their per-layer weights (STYLE P11: a sequence is defined by its step). Weight layout, gate order and
// initialisation are PyTorch's (STYLE P9): https://pytorch.org/docs/1.13/generated/torch.nn.LSTMCell.html
// (and RNNCell, GRUCell).
#pragma once

#include "attn/core/rng.h"
#include "attn/nn/module.h"

namespace attn::nn {

enum class RNNNonlinearity { Tanh, ReLU };

// The recurrent state: h (B, H); c (B, H) for the LSTM only (undefined otherwise).
struct RNNState {
  Tensor h;
  Tensor c;
};

// Each *_step takes gi = x W_ihᵀ + b_ih, the input projection (B, G·H) with G gates, so that a layer can
// project a whole sequence in one matmul, and adds h W_hhᵀ + b_hh itself. b_hh may be undefined (bias=false).
//
// Elman:  h' = act(gi + h W_hhᵀ + b_hh), act = tanh or relu                                     (G = 1)
Tensor rnn_step(const Tensor& gi, const Tensor& h, const Tensor& w_hh, const Tensor& b_hh,
                RNNNonlinearity act);
// LSTM (Hochreiter & Schmidhuber 1997, with forget gate), gates in PyTorch's order i, f, g, o:  (G = 4)
//   i = σ(·), f = σ(·), g = tanh(·), o = σ(·);  c' = f ⊙ c + i ⊙ g;  h' = o ⊙ tanh(c')
RNNState lstm_step(const Tensor& gi, const RNNState& s, const Tensor& w_hh, const Tensor& b_hh);
// GRU (Cho et al. 2014), gates in PyTorch's order r, z, n:                                      (G = 3)
//   r = σ(gi_r + W_hr h + b_hr), z = σ(gi_z + W_hz h + b_hz), n = tanh(gi_n + r ⊙ (W_hn h + b_hn)),
//   h' = (1 − z) ⊙ n + z ⊙ h     (r multiplies the hidden projection including b_hn, as torch/cuDNN)
Tensor gru_step(const Tensor& gi, const Tensor& h, const Tensor& w_hh, const Tensor& b_hh);

// Shared parameters of the cells: weight_ih (G·H, I), weight_hh (G·H, H), bias_ih and bias_hh (G·H), all
// drawn from U(−1/√H, 1/√H) as torch's RNNCellBase.reset_parameters.
class RNNCellBase : public Module {
 public:
  RNNCellBase(int64_t input_size, int64_t hidden_size, int64_t gates, bool bias, Generator& gen);
  void reset_parameters(Generator& gen = default_generator());

  int64_t input_size, hidden_size;
  Tensor weight_ih, weight_hh, bias_ih, bias_hh;

 protected:
  // Checks x (B, I) and a given state tensor s (B, H); undefined s is allowed (zeros).
  void check_input(const Tensor& x, const Tensor& s, const char* who) const;
  Tensor zero_state(const Tensor& x) const;  // (B, H) zeros of x's dtype
};

// h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh).   x: (B, I), h: (B, H) (undefined → zeros) → (B, H)
class RNNCell : public RNNCellBase {
 public:
  RNNCell(int64_t input_size, int64_t hidden_size, bool bias = true,
          RNNNonlinearity nonlinearity = RNNNonlinearity::Tanh, Generator& gen = default_generator());
  std::string type_name() const override { return "RNNCell"; }
  Tensor forward(const Tensor& x, const Tensor& h = Tensor()) const;
  RNNNonlinearity nonlinearity;
};

// x: (B, I), state {h, c} (each undefined → zeros) → {h', c'}
class LSTMCell : public RNNCellBase {
 public:
  LSTMCell(int64_t input_size, int64_t hidden_size, bool bias = true, Generator& gen = default_generator());
  std::string type_name() const override { return "LSTMCell"; }
  RNNState forward(const Tensor& x, const RNNState& state = {}) const;
};

// x: (B, I), h: (B, H) (undefined → zeros) → h'
class GRUCell : public RNNCellBase {
 public:
  GRUCell(int64_t input_size, int64_t hidden_size, bool bias = true, Generator& gen = default_generator());
  std::string type_name() const override { return "GRUCell"; }
  Tensor forward(const Tensor& x, const Tensor& h = Tensor()) const;
};

}  // namespace attn::nn
