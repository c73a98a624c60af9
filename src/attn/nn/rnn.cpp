// Sequence layers RNN/LSTM/GRU: parameters named as torch.nn, and forward as a loop over the cell step.
#include "attn/nn/rnn.h"

#include <cmath>
#include <string>

#include "attn/nn/init.h"
#include "attn/ops.h"

namespace attn::nn {
namespace {

int64_t gate_count(RNNBase::Kind kind) {
  switch (kind) {
    case RNNBase::Kind::LSTM:
      return 4;
    case RNNBase::Kind::GRU:
      return 3;
    default:
      return 1;
  }
}

// keep[t] (B, 1) Bool: t < lengths[b] (empty when no lengths: every step is real).
std::vector<Tensor> step_masks(const std::vector<int64_t>& lengths, int64_t T, int64_t B) {
  std::vector<Tensor> keep;
  if (lengths.empty()) return keep;
  ATTN_CHECK(static_cast<int64_t>(lengths.size()) == B, "RNN: expected {} lengths (one per sequence), got {}",
             B, lengths.size());
  for (int64_t b = 0; b < B; ++b)
    ATTN_CHECK(lengths[b] >= 1 && lengths[b] <= T, "RNN: length {} of sequence {} is outside [1, {}]",
               lengths[b], b, T);
  for (int64_t t = 0; t < T; ++t) {
    std::vector<uint8_t> m(B);
    for (int64_t b = 0; b < B; ++b) m[b] = t < lengths[b] ? 1 : 0;
    keep.push_back(bool_tensor(m, {B, 1}));
  }
  return keep;
}

}  // namespace

RNNBase::RNNBase(Kind k, int64_t in, int64_t hidden, const RNNOptions& opts, Generator& gen)
    : kind(k), input_size(in), hidden_size(hidden), options(opts), gen_(&gen) {
  ATTN_CHECK(in > 0 && hidden > 0 && opts.num_layers > 0,
             "RNN: expected positive sizes, got input_size={} hidden_size={} num_layers={}", in, hidden,
             opts.num_layers);
  ATTN_CHECK(opts.dropout >= 0 && opts.dropout <= 1, "RNN: dropout {} is outside [0, 1]", opts.dropout);
  const int64_t G = gate_count(k), D = directions();
  weights_.resize(static_cast<size_t>(opts.num_layers * D));  // never resized again: registered addresses
  for (int64_t l = 0; l < opts.num_layers; ++l)
    for (int64_t d = 0; d < D; ++d) {
      Weights& w = weights_[l * D + d];
      const int64_t layer_in = l == 0 ? in : hidden * D;
      w.w_ih = empty({G * hidden, layer_in}, opts.dtype);
      w.w_hh = empty({G * hidden, hidden}, opts.dtype);
      if (opts.bias) {
        w.b_ih = empty({G * hidden}, opts.dtype);
        w.b_hh = empty({G * hidden}, opts.dtype);
      }
      const std::string suffix = "_l" + std::to_string(l) + (d == 1 ? "_reverse" : "");
      register_parameter("weight_ih" + suffix, w.w_ih);
      register_parameter("weight_hh" + suffix, w.w_hh);
      register_parameter("bias_ih" + suffix, w.b_ih);
      register_parameter("bias_hh" + suffix, w.b_hh);
    }
  reset_parameters(gen);
}

void RNNBase::reset_parameters(Generator& gen) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(hidden_size));
  for (const Tensor& p : parameters()) init::uniform_(p, -bound, bound, gen);
}

RNNState RNNBase::step(const Tensor& gi, const RNNState& s, const Weights& w) const {
  switch (kind) {
    case Kind::LSTM:
      return lstm_step(gi, s, w.w_hh, w.b_hh);
    case Kind::GRU:
      return {gru_step(gi, s.h, w.w_hh, w.b_hh), Tensor()};
    default:
      return {rnn_step(gi, s.h, w.w_hh, w.b_hh, options.nonlinearity), Tensor()};
  }
}

Tensor RNNBase::run_direction(const Tensor& x, const Weights& w, RNNState& state, bool reverse,
                              const std::vector<Tensor>& keep) const {
  const int64_t T = x.size(0);
  // (T, B, G·H): every step's input projection in one matmul, unbound into T views whose gradients the
  // backward writes into one (T, B, G·H) buffer.
  const std::vector<Tensor> gi = unbind(linear(x, w.w_ih, w.b_ih), 0);
  const Tensor zero = zeros({1, 1}, x.dtype());
  std::vector<Tensor> outs(static_cast<size_t>(T));
  for (int64_t k = 0; k < T; ++k) {
    const int64_t t = reverse ? T - 1 - k : k;
    const RNNState next = step(gi[t], state, w);
    if (keep.empty()) {
      state = next;
      outs[t] = next.h;
      continue;
    }
    // Padding steps (t ≥ length) keep the previous state and output zeros, as a packed sequence would.
    const Tensor& m = keep[t];
    state.h = where(m, next.h, state.h);
    if (next.c.defined()) state.c = where(m, next.c, state.c);
    outs[t] = where(m, next.h, zero);
  }
  return stack(outs, 0);  // (T, B, H)
}

RNNOutput RNNBase::forward(const Tensor& input, const Tensor& h0, const Tensor& c0,
                           const std::vector<int64_t>& lengths) const {
  ATTN_CHECK(input.dim() == 3 && input.size(2) == input_size,
             "{}: expected input ({}, {}) with {} features, got {}", type_name(),
             options.batch_first ? "B, T" : "T, B", input_size, input_size, shape_str(input.shape()));
  Tensor x = options.batch_first ? transpose(input, 0, 1) : input;  // (T, B, I)
  const int64_t T = x.size(0), B = x.size(1), D = directions(), L = options.num_layers, H = hidden_size;
  const bool lstm = kind == Kind::LSTM;
  const Shape state_shape{L * D, B, H};
  for (const Tensor* s : {&h0, &c0})
    ATTN_CHECK(!s->defined() || s->shape() == state_shape, "{}: expected initial state ({}, {}, {}), got {}",
               type_name(), L * D, B, H, shape_str(s->shape()));
  ATTN_CHECK(!c0.defined() || lstm, "{}: c0 is for LSTM only", type_name());
  const std::vector<Tensor> keep = step_masks(lengths, T, B);
  std::vector<Tensor> hs, cs;
  for (int64_t l = 0; l < L; ++l) {
    std::vector<Tensor> outs;
    for (int64_t d = 0; d < D; ++d) {
      const int64_t j = l * D + d;
      RNNState s{h0.defined() ? select(h0, 0, j) : zeros({B, H}, x.dtype()), Tensor()};
      if (lstm) s.c = c0.defined() ? select(c0, 0, j) : zeros({B, H}, x.dtype());
      outs.push_back(run_direction(x, weights_[j], s, d == 1, keep));
      hs.push_back(s.h);
      if (lstm) cs.push_back(s.c);
    }
    x = D == 2 ? cat(outs, 2) : outs[0];  // (T, B, D·H)
    if (l + 1 < L && options.dropout > 0 && is_training()) x = dropout(x, options.dropout, true, *gen_);
  }
  return {options.batch_first ? transpose(x, 0, 1) : x, stack(hs, 0), lstm ? stack(cs, 0) : Tensor()};
}

}  // namespace attn::nn
