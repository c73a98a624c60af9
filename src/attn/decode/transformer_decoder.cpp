// decode::TransformerDecoder — state layout: "memory" (N, S, C), "memory_mask" (N, 1, 1, S), and per layer i
// "layers.<i>.{self,cross}_{k,v}" (N, H, T, D) with the cache, or "history" (N, t) ids without it.
#include "attn/decode/transformer_decoder.h"

#include <string>

#include "attn/autograd/grad_mode.h"
#include "attn/ops/join.h"
#include "attn/ops/shape.h"
#include "attn/ops/softmax.h"

namespace attn::decode {

State TransformerDecoder::initial_state(const Tensor& memory, const Tensor& memory_mask) {
  State s;
  s.tensors["memory"] = memory;
  s.tensors["memory_mask"] = memory_mask;
  return s;
}

static std::string key(size_t i, const char* what) { return "layers." + std::to_string(i) + "." + what; }

Tensor TransformerDecoder::step(const Tensor& last_ids, State& state) {
  NoGradGuard no_grad;
  const Tensor& memory = state.tensors.at("memory");
  const Tensor& mask = state.tensors.at("memory_mask");
  const int64_t N = last_ids.size(0);
  const Tensor last = reshape(last_ids, {N, 1});
  Tensor logits;  // (N, V)
  if (use_cache_) {
    const size_t L = model_->decoder.layers.size();
    std::vector<nn::DecoderLayerCache> cache(L);
    for (size_t i = 0; i < L && state.step > 0; ++i) {
      cache[i].self_attn = {state.tensors.at(key(i, "self_k")), state.tensors.at(key(i, "self_v"))};
      cache[i].cross_attn = {state.tensors.at(key(i, "cross_k")), state.tensors.at(key(i, "cross_v"))};
    }
    logits = model_->decode_step(last, memory, mask, cache, state.step);
    for (size_t i = 0; i < L; ++i) {
      state.tensors[key(i, "self_k")] = cache[i].self_attn.k;
      state.tensors[key(i, "self_v")] = cache[i].self_attn.v;
      state.tensors[key(i, "cross_k")] = cache[i].cross_attn.k;
      state.tensors[key(i, "cross_v")] = cache[i].cross_attn.v;
    }
  } else {
    auto it = state.tensors.find("history");
    const Tensor history = it == state.tensors.end() ? last : cat({it->second, last}, 1);  // (N, t + 1)
    state.tensors["history"] = history;
    const Tensor h = model_->decode(history, memory, mask);                          // (N, t + 1, C)
    logits = squeeze(model_->generator.forward(narrow(h, 1, h.size(1) - 1, 1)), 1);  // (N, V)
  }
  ++state.step;
  return log_softmax(logits, -1);
}

DecodingResult translate(models::Transformer& model, const Tensor& src, const SearchOptions& options,
                         bool use_cache) {
  NoGradGuard no_grad;
  const Tensor memory = model.encode(src);  // (B, S, C)
  TransformerDecoder decoder(model, use_cache);
  const Tensor mask = model.src_mask(src);
  return options.beam_size <= 1 ? greedy_search(decoder, memory, mask, options)
                                : beam_search(decoder, memory, mask, options);
}

}  // namespace attn::decode
