// attn/kernels/cpu/rnn_cell.h — the pointwise part of one LSTM or GRU step, fused: all gate activations and
// the state update in one pass forward and one pass backward (STYLE P3), instead of ~15 separate elementwise
// ops each with its own buffer and graph node. The matrix products (x W_ihᵀ, h W_hhᵀ) stay outside, in GEMMs.
//
// Gate order and formulas are PyTorch's (torch.nn.LSTMCell / GRUCell, and aten's _thnn_fused_lstm_cell):
//   LSTM: gates = gi + gh (B, 4H) in the order i, f, g, o
//         i = σ(·), f = σ(·), g = tanh(·), o = σ(·);  c' = f ⊙ c + i ⊙ g;  h' = o ⊙ tanh(c')
//   GRU:  gi, gh (B, 3H) in the order r, z, n (gh includes b_hh)
//         r = σ(gi_r + gh_r), z = σ(gi_z + gh_z), n = tanh(gi_n + r ⊙ gh_n);  h' = (1 − z) ⊙ n + z ⊙ h
//
// The forward kernels also write a workspace of the activated gates that their backward reads (as aten's
// fused cells do): LSTM (B, 5H) = i, f, g, o, tanh(c'); GRU (B, 4H) = r, z, n, gh_n.
// Deviation from the accumulate convention (like layer_norm): the backward kernels WRITE their outputs
// (every element is set), which saves zero-filling and reading them; a null upstream gradient means zero.
//
// *_reference: std::exp / std::tanh, float and double (the double one serves the finite-difference checks).
// *_fast: float, OpenMP over rows, vectorised over H with fast_exp / fast_tanh (kernels/cpu/unary.h).
// lstm_cell_forward<T> etc. pick fast for float, reference otherwise.
#pragma once

#include <cstdint>
#include <type_traits>

namespace attn::kernels {

// h, c_new: (B, H); ws: (B, 5H); gi, gh: (B, 4H); c: (B, H)
template <typename T>
void lstm_cell_forward_reference(T* h, T* c_new, T* ws, const T* gi, const T* gh, const T* c, int64_t B,
                                 int64_t H);
void lstm_cell_forward_fast(float* h, float* c_new, float* ws, const float* gi, const float* gh,
                            const float* c, int64_t B, int64_t H);
// Inverts c' = f ⊙ c + i ⊙ g, h' = o ⊙ tanh(c'):
//   dc' total = dc' + dh' ⊙ o ⊙ (1 − tanh²c');  d(pre-activation) = d(gate) ⊙ σ' or tanh'.
// dgates: (B, 4H) (the gradient of gi and of gh alike); dc: (B, H) written; dh_new, dc_new: (B, H) or null;
// ws: (B, 5H); c: (B, H)
template <typename T>
void lstm_cell_backward_reference(T* dgates, T* dc, const T* dh_new, const T* dc_new, const T* ws, const T* c,
                                  int64_t B, int64_t H);
void lstm_cell_backward_fast(float* dgates, float* dc, const float* dh_new, const float* dc_new,
                             const float* ws, const float* c, int64_t B, int64_t H);

// h_new: (B, H); ws: (B, 4H); gi, gh: (B, 3H); h: (B, H)
template <typename T>
void gru_cell_forward_reference(T* h_new, T* ws, const T* gi, const T* gh, const T* h, int64_t B, int64_t H);
void gru_cell_forward_fast(float* h_new, float* ws, const float* gi, const float* gh, const float* h,
                           int64_t B, int64_t H);
// Inverts h' = (1 − z) ⊙ n + z ⊙ h, n = tanh(gi_n + r ⊙ gh_n), r/z = σ(gi + gh):
// dgi, dgh: (B, 3H) written (they differ only in the n block: dgh_n = dn_pre ⊙ r); dh: (B, H) written;
// dh_new: (B, H); ws: (B, 4H); h: (B, H)
template <typename T>
void gru_cell_backward_reference(T* dgi, T* dgh, T* dh, const T* dh_new, const T* ws, const T* h, int64_t B,
                                 int64_t H);
void gru_cell_backward_fast(float* dgi, float* dgh, float* dh, const float* dh_new, const float* ws,
                            const float* h, int64_t B, int64_t H);

// The implementations ops call: fast for float, reference otherwise.
template <typename T>
void lstm_cell_forward(T* h, T* c_new, T* ws, const T* gi, const T* gh, const T* c, int64_t B, int64_t H) {
  if constexpr (std::is_same_v<T, float>) {
    lstm_cell_forward_fast(h, c_new, ws, gi, gh, c, B, H);
  } else {
    lstm_cell_forward_reference(h, c_new, ws, gi, gh, c, B, H);
  }
}
template <typename T>
void lstm_cell_backward(T* dgates, T* dc, const T* dh_new, const T* dc_new, const T* ws, const T* c,
                        int64_t B, int64_t H) {
  if constexpr (std::is_same_v<T, float>) {
    lstm_cell_backward_fast(dgates, dc, dh_new, dc_new, ws, c, B, H);
  } else {
    lstm_cell_backward_reference(dgates, dc, dh_new, dc_new, ws, c, B, H);
  }
}
template <typename T>
void gru_cell_forward(T* h_new, T* ws, const T* gi, const T* gh, const T* h, int64_t B, int64_t H) {
  if constexpr (std::is_same_v<T, float>) {
    gru_cell_forward_fast(h_new, ws, gi, gh, h, B, H);
  } else {
    gru_cell_forward_reference(h_new, ws, gi, gh, h, B, H);
  }
}
template <typename T>
void gru_cell_backward(T* dgi, T* dgh, T* dh, const T* dh_new, const T* ws, const T* h, int64_t B,
                       int64_t H) {
  if constexpr (std::is_same_v<T, float>) {
    gru_cell_backward_fast(dgi, dgh, dh, dh_new, ws, h, B, H);
  } else {
    gru_cell_backward_reference(dgi, dgh, dh, dh_new, ws, h, B, H);
  }
}

}  // namespace attn::kernels
