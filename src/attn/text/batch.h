// attn/text/batch.h — from encodings to rectangles of ids, and a batcher for training.
//
// Batch is the boundary with the tensor world: plain row-major (B, T) int64 vectors of input ids, attention
// mask and token type ids. Converting it to attn tensors is a thin adaptor on the caller's side (the text
// layer does not link the tensor core).
// Batcher groups examples of similar length (bucketing) so that batches carry little [PAD], by sentence
// count or by a token budget, with a seeded shuffle of the batch order; for single sequences and for
// source/target pairs.
#pragma once

#include <cstdint>
#include <vector>

#include "attn/text/encoding.h"

namespace attn::text {

struct Batch {
  int64_t rows = 0, cols = 0;           // shape (B, T)
  std::vector<int64_t> input_ids;       // (B, T)
  std::vector<int64_t> attention_mask;  // (B, T): 1 = token, 0 = [PAD]
  std::vector<int64_t> token_type_ids;  // (B, T)
};

// Stacks encodings into a (B, T) Batch, padding them first (to the longest by default) if they differ.
Batch make_batch(std::vector<Encoding> encodings, const PaddingParams& padding = {});

struct BatcherOptions {
  size_t batch_size = 32;  // sentences per batch (when max_tokens == 0)
  size_t max_tokens = 0;   // token budget per batch, counted with padding: B × (max_a + max_b)
  bool shuffle = true;     // shuffle the batch order (seeded); examples are always sorted by length inside
  uint64_t seed = 0;
};

class Batcher {
 public:
  // lengths[i] = length of example i; for pairs, pair_lengths[i] = target length (else empty).
  Batcher(std::vector<size_t> lengths, std::vector<size_t> pair_lengths, BatcherOptions options);
  // The batches of one epoch, as lists of example indices; epoch e reshuffles with seed + e.
  std::vector<std::vector<size_t>> epoch(uint64_t e = 0) const;
  // Fraction of [PAD] in the epoch's batches (what bucketing minimises).
  double padding_fraction(const std::vector<std::vector<size_t>>& batches) const;

 private:
  std::vector<size_t> a_, b_;
  BatcherOptions options_;
};

}  // namespace attn::text
