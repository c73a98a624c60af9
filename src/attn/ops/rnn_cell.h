// attn/ops/rnn_cell.h — the pointwise part of one LSTM / GRU step as single differentiable ops over the fused
// kernels of kernels/cpu/rnn_cell.h (one forward and one backward pass each, one graph node), used by
// nn::LSTM/GRU and their cells. The matrix products gi = x W_ihᵀ + b_ih and gh = h W_hhᵀ + b_hh stay outside.
// The composed form (chunk, sigmoid, tanh, mul, add) is the test oracle (tests/ops/rnn_cell_test.cpp).
#pragma once

#include <array>

#include "attn/tensor/tensor.h"

namespace attn {

// LSTM, gates in torch's order i, f, g, o (as aten's lstm_cell / _thnn_fused_lstm_cell):
//   i, f, o = σ(gi + gh)[·], g = tanh(gi + gh)[g];  c' = f ⊙ c + i ⊙ g;  h' = o ⊙ tanh(c')
// gi, gh: (B, 4H); c: (B, H) → {h', c'}, each (B, H). One node with two outputs.
std::array<Tensor, 2> lstm_cell_pointwise(const Tensor& gi, const Tensor& gh, const Tensor& c);

// GRU, gates in torch's order r, z, n (gh includes b_hh; r multiplies it, as torch/cuDNN):
//   r = σ(gi_r + gh_r), z = σ(gi_z + gh_z), n = tanh(gi_n + r ⊙ gh_n);  h' = (1 − z) ⊙ n + z ⊙ h
// gi, gh: (B, 3H); h: (B, H) → h' (B, H)
Tensor gru_cell_pointwise(const Tensor& gi, const Tensor& gh, const Tensor& h);

}  // namespace attn
