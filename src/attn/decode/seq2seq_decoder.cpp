// decode::Seq2SeqDecoder — the RNN decoder's state kept batch-first so that reorder() gathers hypotheses.
#include "attn/decode/seq2seq_decoder.h"

#include "attn/autograd/grad_mode.h"
#include "attn/ops/shape.h"
#include "attn/ops/softmax.h"

namespace attn::decode {

namespace {

void put(State& s, const char* name, const Tensor& t) {
  if (t.defined()) s.tensors[name] = t;
}

Tensor get(const State& s, const char* name) {
  auto it = s.tensors.find(name);
  return it == s.tensors.end() ? Tensor() : it->second;
}

Tensor layers_first(const Tensor& t) { return t.defined() ? contiguous(transpose(t, 0, 1)) : t; }

}  // namespace

State Seq2SeqDecoder::initial_state(const Tensor& memory, const Tensor& memory_mask) {
  const models::Seq2SeqEncoding& e = *encoding_;
  ATTN_CHECK(memory.shape() == e.outputs.shape(),
             "Seq2SeqDecoder::initial_state: memory {} is not the encoding's outputs {}",
             shape_str(memory.shape()), shape_str(e.outputs.shape()));
  ATTN_CHECK(memory_mask.numel() == e.mask.numel(),
             "Seq2SeqDecoder::initial_state: mask {} does not match {}", shape_str(memory_mask.shape()),
             shape_str(e.mask.shape()));
  const models::Seq2SeqState st = model_->initial_state(e);
  State s;
  s.tensors["memory"] = memory;
  s.tensors["mask"] = reshape(memory_mask, e.mask.shape());
  put(s, "proj_keys", e.proj_keys);
  put(s, "h", layers_first(st.h));  // (L, N, H) → (N, L, H)
  put(s, "c", layers_first(st.c));
  put(s, "feed", st.feed);
  return s;
}

Tensor Seq2SeqDecoder::step(const Tensor& last_ids, State& state) {
  NoGradGuard no_grad;
  models::Seq2SeqEncoding enc;
  enc.outputs = state.tensors.at("memory");
  enc.mask = state.tensors.at("mask");
  enc.proj_keys = get(state, "proj_keys");
  models::Seq2SeqState st{layers_first(get(state, "h")), layers_first(get(state, "c")), get(state, "feed")};
  const models::Seq2SeqStep out = model_->decode_step(contiguous(last_ids), st, enc);
  put(state, "h", layers_first(st.h));
  put(state, "c", layers_first(st.c));
  put(state, "feed", st.feed);
  ++state.step;
  return log_softmax(out.logits, -1);
}

DecodingResult translate(models::Seq2Seq& model, const Tensor& src, const SearchOptions& options) {
  NoGradGuard no_grad;
  const models::Seq2SeqEncoding enc = model.encode(src);
  Seq2SeqDecoder decoder(model, enc);
  const Tensor mask = reshape(enc.mask, {enc.mask.size(0), 1, 1, enc.mask.size(1)});
  return options.beam_size <= 1 ? greedy_search(decoder, enc.outputs, mask, options)
                                : beam_search(decoder, enc.outputs, mask, options);
}

}  // namespace attn::decode
