// attn/decode/transformer_decoder.h — models::Transformer seen through decode::Decoder, with or without the
// key/value cache (the uncached path re-runs the decoder over the whole prefix at every step; it exists as
// the oracle for the cached one), plus translate(): encode, search, return token ids.
#pragma once

#include "attn/decode/decoder.h"
#include "attn/decode/search.h"
#include "attn/models/transformer.h"

namespace attn::decode {

class TransformerDecoder : public Decoder {
 public:
  // The model should be in eval() mode (dropout off); it must outlive this object.
  explicit TransformerDecoder(models::Transformer& model, bool use_cache = true)
      : model_(&model), use_cache_(use_cache) {}
  State initial_state(const Tensor& memory, const Tensor& memory_mask) override;
  Tensor step(const Tensor& last_ids, State& state) override;

 private:
  models::Transformer* model_;
  bool use_cache_;
};

// src: int64 (B, S) padded with [PAD] → best hypotheses. beam_size 1 runs greedy_search.
DecodingResult translate(models::Transformer& model, const Tensor& src, const SearchOptions& options,
                         bool use_cache = true);

}  // namespace attn::decode
