// attn/nn/rnn.h — the sequence layers RNN, LSTM and GRU: stacked, optionally bidirectional, over padded
// batches with lengths (PyTorch's packed sequences), each written as a loop over its cell's step
// (nn/rnn_cells.h, STYLE P11). Parameters carry torch.nn.RNN/LSTM/GRU's names (weight_ih_l0, …, _reverse),
// so a PyTorch state dict loads as is (STYLE P9).
//
//   nn::LSTM lstm(32, 64, {.num_layers = 2, .bidirectional = true});
//   auto [out, h_n, c_n] = lstm.forward(x);               // x (T, B, 32) → out (T, B, 128), h_n (4, B, 64)
//   auto r = lstm.forward(x, {}, {}, {5, 3, 7});         // padded batch with true lengths 5, 3, 7
#pragma once

#include <vector>

#include "attn/core/rng.h"
#include "attn/nn/module.h"
#include "attn/nn/rnn_cells.h"

namespace attn::nn {

struct RNNOptions {
  int64_t num_layers = 1;
  bool bias = true;
  bool batch_first = false;  // input/output (B, T, ·) instead of (T, B, ·); the states stay (L·D, B, H)
  double dropout = 0.0;      // on each layer's output except the last, in training mode only
  bool bidirectional = false;
  RNNNonlinearity nonlinearity = RNNNonlinearity::Tanh;  // RNN only
  DType dtype = DType::F32;                              // of the parameters (F64 for reference checks)
};

// output: (T, B, D·H) (or (B, T, D·H) with batch_first), the last layer's h_t of both directions, zero at
// padded positions; h_n, c_n: (L·D, B, H), layer-major then direction (torch's order); c_n for LSTM only.
struct RNNOutput {
  Tensor output;
  Tensor h_n;
  Tensor c_n;
};

// The common layer: G·H-sized weights per layer and direction, registered in torch's order
// weight_ih_l{k}[_reverse], weight_hh_l{k}[_reverse], bias_ih_l{k}[_reverse], bias_hh_l{k}[_reverse],
// all from U(−1/√H, 1/√H) (torch's RNNBase.reset_parameters).
class RNNBase : public Module {
 public:
  enum class Kind { RNN, LSTM, GRU };
  RNNBase(Kind kind, int64_t input_size, int64_t hidden_size, const RNNOptions& options, Generator& gen);
  void reset_parameters(Generator& gen = default_generator());

  // input: (T, B, I) (or (B, T, I)); h0, c0: (L·D, B, H), undefined → zeros; lengths: B true lengths in
  // [1, T] in any order (empty: all T). With lengths, steps at t ≥ length leave the state unchanged, so
  // h_n/c_n are the states at each sequence's true end and the reverse direction starts at its last real
  // token, exactly as pack_padded_sequence(enforce_sorted=False) → module → pad_packed_sequence(
  // total_length=T). Deviation: the output keeps all T steps (torch trims to max(lengths) unless
  // total_length).
  RNNOutput forward(const Tensor& input, const Tensor& h0 = Tensor(), const Tensor& c0 = Tensor(),
                    const std::vector<int64_t>& lengths = {}) const;

  Kind kind;
  int64_t input_size, hidden_size;
  RNNOptions options;

 protected:
  // The four parameters of one layer and direction (biases undefined when bias = false).
  struct Weights {
    Tensor w_ih, w_hh, b_ih, b_hh;
  };
  // One direction of one layer over x (T, B, I_k): outputs (T, B, H) and the final state.
  Tensor run_direction(const Tensor& x, const Weights& w, RNNState& state, bool reverse,
                       const std::vector<Tensor>& keep) const;
  RNNState step(const Tensor& gi, const RNNState& s, const Weights& w) const;
  int64_t directions() const { return options.bidirectional ? 2 : 1; }

  std::vector<Weights> weights_;  // layer-major, then direction; sized once so registered addresses stay
  Generator* gen_;                // for dropout
};

// Elman RNN: h_t = act(x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh), act = options.nonlinearity.
class RNN : public RNNBase {
 public:
  // input, hidden: the sizes I and H (named apart from the members input_size, hidden_size they set).
  RNN(int64_t input, int64_t hidden, const RNNOptions& opts = {}, Generator& gen = default_generator())
      : RNNBase(Kind::RNN, input, hidden, opts, gen) {}
  std::string type_name() const override { return "RNN"; }
};

class LSTM : public RNNBase {
 public:
  LSTM(int64_t input, int64_t hidden, const RNNOptions& opts = {}, Generator& gen = default_generator())
      : RNNBase(Kind::LSTM, input, hidden, opts, gen) {}
  std::string type_name() const override { return "LSTM"; }
};

class GRU : public RNNBase {
 public:
  GRU(int64_t input, int64_t hidden, const RNNOptions& opts = {}, Generator& gen = default_generator())
      : RNNBase(Kind::GRU, input, hidden, opts, gen) {}
  std::string type_name() const override { return "GRU"; }
};

}  // namespace attn::nn
