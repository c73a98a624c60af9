// attn/decode/decoder.h — the one interface decoding is written against (STYLE P11, after CTranslate2's
// layers::Decoder): a model exposes initial_state / step / reorder, and greedy_search and beam_search
// (search.h) work for every model that does, the Transformer (transformer_decoder.h) first.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "attn/tensor/tensor.h"

namespace attn::decode {

// What a model carries from one step to the next: the encoder output, its mask and the key/value caches.
// Every tensor has the hypotheses (N) as its first dimension, so reorder() can treat them all alike.
struct State {
  std::map<std::string, Tensor> tensors;
  int64_t step = 0;  // the position of the next token fed to step()
};

class Decoder {
 public:
  virtual ~Decoder() = default;
  // memory: (N, S, C) encoder output, memory_mask: Bool (N, 1, 1, S).
  virtual State initial_state(const Tensor& memory, const Tensor& memory_mask) = 0;
  // last_ids: int64 (N), the token at position state.step → log-probabilities (N, V) of the next token.
  virtual Tensor step(const Tensor& last_ids, State& state) = 0;
  // Keeps, in order, the hypotheses beam_indices (int64 (M), values in [0, N)): row i of every state
  // tensor becomes row beam_indices[i] of before (beam search's "gather", also used to replicate beams).
  virtual void reorder(State& state, const Tensor& beam_indices);
};

// Rows `indices` of x along dimension 0 (any dtype; a copy, no autograd): (N, …) → (M, …).
Tensor index_rows(const Tensor& x, const std::vector<int64_t>& indices);

}  // namespace attn::decode
