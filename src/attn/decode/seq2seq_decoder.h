// attn/decode/seq2seq_decoder.h — models::Seq2Seq (the RNN encoder–decoder) seen through decode::Decoder,
// so greedy_search and beam_search (search.h) run it unchanged, plus translate(): encode, search, ids.
#pragma once

#include "attn/decode/decoder.h"
#include "attn/decode/search.h"
#include "attn/models/seq2seq.h"

namespace attn::decode {

// State tensors (hypotheses first): "memory" (N, S, K) encoder states, "mask" Bool (N, S), "proj_keys"
// (N, S, A) the attention's key projection, "h" and "c" (N, L, H) the decoder RNN state, "feed" (N, ·) the
// extra RNN input (summary vector or h̃_{t−1}).
class Seq2SeqDecoder : public Decoder {
 public:
  // The model should be in eval() mode; it and `encoding` (model.encode(src)) must outlive this object.
  // initial_state's memory must be encoding.outputs.
  Seq2SeqDecoder(models::Seq2Seq& model, const models::Seq2SeqEncoding& encoding)
      : model_(&model), encoding_(&encoding) {}
  State initial_state(const Tensor& memory, const Tensor& memory_mask) override;
  Tensor step(const Tensor& last_ids, State& state) override;

 private:
  models::Seq2Seq* model_;
  const models::Seq2SeqEncoding* encoding_;
};

// src: int64 (B, S) padded with [PAD] → best hypotheses. beam_size 1 runs greedy_search.
DecodingResult translate(models::Seq2Seq& model, const Tensor& src, const SearchOptions& options);

}  // namespace attn::decode
