// models::Seq2Seq — encoder, bridge, attention and the step-by-step decoder of seq2seq.h.
#include "attn/models/seq2seq.h"

#include <nlohmann/json.hpp>

#include "attn/ops.h"

namespace attn::models {

std::string to_string(Seq2SeqAttention a) {
  switch (a) {
    case Seq2SeqAttention::None:
      return "none";
    case Seq2SeqAttention::Bahdanau:
      return "bahdanau";
    default:
      return "luong";
  }
}

Seq2SeqAttention parse_attention(const std::string& s) {
  if (s == "none") return Seq2SeqAttention::None;
  if (s == "bahdanau") return Seq2SeqAttention::Bahdanau;
  if (s == "luong") return Seq2SeqAttention::Luong;
  throw_error(ErrorKind::Value, "seq2seq: attention must be none, bahdanau or luong, got \"{}\"", s);
}

void Seq2SeqConfig::to_json(nlohmann::json& j) const {
  j = {{"model_type", "seq2seq"},
       {"src_vocab_size", src_vocab_size},
       {"tgt_vocab_size", tgt_vocab_size},
       {"emb_size", emb_size},
       {"hidden_size", hidden_size},
       {"num_layers", num_layers},
       {"rnn", rnn == RNNType::GRU ? "gru" : "lstm"},
       {"bidirectional", bidirectional},
       {"dropout", dropout},
       {"attention", to_string(attention)},
       {"luong_score", luong_score == nn::LuongScore::Dot ? "dot" : "general"},
       {"input_feeding", input_feeding},
       {"attention_size", attention_size},
       {"max_len", max_len},
       {"pad_id", pad_id},
       {"bos_id", bos_id},
       {"eos_id", eos_id}};
}

Seq2SeqConfig Seq2SeqConfig::from_json(const nlohmann::json& j) {
  Seq2SeqConfig c;
  std::map<std::string, int64_t*> ints{{"src_vocab_size", &c.src_vocab_size},
                                       {"tgt_vocab_size", &c.tgt_vocab_size},
                                       {"emb_size", &c.emb_size},
                                       {"hidden_size", &c.hidden_size},
                                       {"num_layers", &c.num_layers},
                                       {"attention_size", &c.attention_size},
                                       {"max_len", &c.max_len},
                                       {"pad_id", &c.pad_id},
                                       {"bos_id", &c.bos_id},
                                       {"eos_id", &c.eos_id}};
  for (const auto& [key, v] : j.items()) {
    if (key == "model_type") {
      ATTN_CHECK(v == "seq2seq", "Seq2SeqConfig: model_type must be \"seq2seq\", got {}", v.dump());
    } else if (auto it = ints.find(key); it != ints.end()) {
      *it->second = v.get<int64_t>();
    } else if (key == "bidirectional") {
      c.bidirectional = v.get<bool>();
    } else if (key == "input_feeding") {
      c.input_feeding = v.get<bool>();
    } else if (key == "dropout") {
      c.dropout = v.get<double>();
    } else if (key == "attention") {
      c.attention = parse_attention(v.get<std::string>());
    } else if (key == "rnn") {
      const auto r = v.get<std::string>();
      ATTN_CHECK(r == "gru" || r == "lstm", "Seq2SeqConfig: rnn must be \"gru\" or \"lstm\", got \"{}\"", r);
      c.rnn = r == "gru" ? RNNType::GRU : RNNType::LSTM;
    } else if (key == "luong_score") {
      const auto s = v.get<std::string>();
      ATTN_CHECK(s == "dot" || s == "general",
                 "Seq2SeqConfig: luong_score must be \"dot\" or \"general\", got \"{}\"", s);
      c.luong_score = s == "dot" ? nn::LuongScore::Dot : nn::LuongScore::General;
    } else {
      throw_error(ErrorKind::Format, "Seq2SeqConfig: unknown key \"{}\"", key);
    }
  }
  return c;
}

namespace {

std::shared_ptr<nn::RNNBase> make_rnn(RNNType type, int64_t in, int64_t hidden, const nn::RNNOptions& o,
                                      Generator& gen) {
  if (type == RNNType::GRU) return std::make_shared<nn::GRU>(in, hidden, o, gen);
  return std::make_shared<nn::LSTM>(in, hidden, o, gen);
}

// The decoder RNN's extra input beside the word embedding, and the output layer's input width.
int64_t feed_size(const Seq2SeqConfig& c) {
  if (c.attention != Seq2SeqAttention::Luong) return c.encoder_size();
  return c.input_feeding ? c.hidden_size : 0;
}

int64_t output_in(const Seq2SeqConfig& c) {
  return c.attention == Seq2SeqAttention::Luong ? c.encoder_size() + c.hidden_size
                                                : c.hidden_size + c.encoder_size() + c.emb_size;
}

// Final states (L·D, B, H) → (L, B, D·H): per layer, the forward and backward states side by side.
Tensor join_directions(const Tensor& s, int64_t L, int64_t D) {
  const int64_t B = s.size(1), H = s.size(2);
  return reshape(permute(reshape(s, {L, D, B, H}), {0, 2, 1, 3}), {L, B, D * H});
}

}  // namespace

Seq2Seq::Seq2Seq(const Seq2SeqConfig& c, Generator& gen)
    : config(c),
      src_embed(c.src_vocab_size, c.emb_size, c.pad_id, gen),
      tgt_embed(c.tgt_vocab_size, c.emb_size, c.pad_id, gen),
      encoder(make_rnn(c.rnn, c.emb_size, c.hidden_size,
                       {.num_layers = c.num_layers,
                        .batch_first = true,
                        .dropout = c.dropout,
                        .bidirectional = c.bidirectional},
                       gen)),
      decoder(make_rnn(c.rnn, c.emb_size + feed_size(c), c.hidden_size,
                       {.num_layers = c.num_layers, .batch_first = true, .dropout = c.dropout}, gen)),
      bridge(c.encoder_size(), c.hidden_size, true, gen),
      output_layer(output_in(c), c.hidden_size, true, gen),
      generator(c.hidden_size, c.tgt_vocab_size, true, gen),
      gen_(&gen) {
  ATTN_CHECK(c.src_vocab_size > 0 && c.tgt_vocab_size > 0,
             "Seq2Seq: vocabulary sizes must be positive, got {} and {}", c.src_vocab_size, c.tgt_vocab_size);
  register_module("src_embed", src_embed);
  register_module("tgt_embed", tgt_embed);
  register_module("encoder", *encoder);
  register_module("decoder", *decoder);
  register_module("bridge", bridge);
  if (c.rnn == RNNType::LSTM) {
    bridge_c = std::make_shared<nn::Linear>(c.encoder_size(), c.hidden_size, true, gen);
    register_module("bridge_c", *bridge_c);
  }
  if (c.attention == Seq2SeqAttention::Bahdanau) {
    const int64_t A = c.attention_size > 0 ? c.attention_size : c.hidden_size;
    bahdanau = std::make_shared<nn::BahdanauAttention>(c.hidden_size, c.encoder_size(), A, gen);
    register_module("attention", *bahdanau);
  } else if (c.attention == Seq2SeqAttention::Luong) {
    luong = std::make_shared<nn::LuongAttention>(c.luong_score, c.hidden_size, c.encoder_size(), gen);
    register_module("attention", *luong);
  }
  register_module("output_layer", output_layer);
  register_module("generator", generator);
}

Tensor Seq2Seq::drop(const Tensor& x) const {
  return config.dropout > 0 && is_training() ? dropout(x, config.dropout, true, *gen_) : x;
}

Seq2SeqEncoding Seq2Seq::encode(const Tensor& src) {
  ATTN_CHECK(src.dim() == 2 && src.dtype() == DType::I64,
             "Seq2Seq::encode: expected int64 ids (B, S), got {} {}", dtype_name(src.dtype()),
             shape_str(src.shape()));
  const int64_t B = src.size(0), S = src.size(1), L = config.num_layers, D = config.bidirectional ? 2 : 1;
  const auto ids = to_vector<int64_t>(contiguous(src));
  std::vector<int64_t> lengths(static_cast<size_t>(B), 0);
  for (int64_t b = 0; b < B; ++b) {
    for (int64_t s = 0; s < S; ++s)
      if (ids[b * S + s] != config.pad_id) lengths[b] = s + 1;
    ATTN_CHECK(lengths[b] > 0, "Seq2Seq::encode: source row {} has no token (all [PAD])", b);
  }
  const nn::RNNOutput r = encoder->forward(drop(src_embed.forward(src)), {}, {}, lengths);
  Seq2SeqEncoding e;
  e.outputs = r.output;  // (B, S, K)
  e.mask = nn::length_mask(lengths, S);
  const Tensor hn = join_directions(r.h_n, L, D);  // (L, B, K)
  e.summary = select(hn, 0, L - 1);
  e.h0 = tanh(bridge.forward(hn));
  if (bridge_c) e.c0 = tanh(bridge_c->forward(join_directions(r.c_n, L, D)));
  if (bahdanau) e.proj_keys = bahdanau->project_keys(e.outputs);
  if (luong) e.proj_keys = luong->project_keys(e.outputs);
  return e;
}

Seq2SeqState Seq2Seq::initial_state(const Seq2SeqEncoding& enc) const {
  Seq2SeqState s{enc.h0, enc.c0, Tensor()};
  if (config.attention == Seq2SeqAttention::None) s.feed = enc.summary;
  if (luong && config.input_feeding) s.feed = zeros({enc.h0.size(1), config.hidden_size}, enc.h0.dtype());
  return s;
}

Seq2SeqStep Seq2Seq::decode_step(const Tensor& prev, Seq2SeqState& st, const Seq2SeqEncoding& enc) {
  const Tensor e = drop(tgt_embed.forward(prev));  // (B, E)
  Seq2SeqStep out;
  Tensor ctx = st.feed;  // none: the summary vector
  if (bahdanau) {        // c_t from s_{t−1}, the top layer's previous state
    auto a = bahdanau->forward(select(st.h, 0, config.num_layers - 1), enc.outputs, enc.proj_keys, enc.mask);
    ctx = a.context, out.weights = a.weights;
  }
  const Tensor input = ctx.defined() ? cat({e, ctx}, 1) : e;  // luong: ctx = h̃_{t−1} or nothing
  const nn::RNNOutput r = decoder->forward(unsqueeze(input, 1), st.h, st.c);
  st.h = r.h_n, st.c = r.c_n;
  const Tensor s = squeeze(r.output, 1);  // (B, H)
  Tensor h_tilde;
  if (luong) {  // a_t from h_t; h̃_t = tanh(W_c [c_t; h_t])
    auto a = luong->forward(s, enc.outputs, enc.proj_keys, enc.mask);
    out.weights = a.weights;
    h_tilde = tanh(output_layer.forward(cat({a.context, s}, 1)));
    if (config.input_feeding) st.feed = h_tilde;
  } else {  // deep output: h̃_t = tanh(W_o [s_t; c_t; e(y_{t−1})])
    h_tilde = tanh(output_layer.forward(cat({s, ctx, e}, 1)));
  }
  out.logits = generator.forward(drop(h_tilde));  // (B, V)
  return out;
}

Seq2SeqOutput Seq2Seq::forward(const Tensor& src, const Tensor& tgt_in, double teacher_forcing,
                               Generator* gen) {
  ATTN_CHECK(tgt_in.dim() == 2 && tgt_in.dtype() == DType::I64 && tgt_in.size(0) == src.size(0),
             "Seq2Seq::forward: expected int64 targets (B, T) with B = {}, got {} {}", src.size(0),
             dtype_name(tgt_in.dtype()), shape_str(tgt_in.shape()));
  const Seq2SeqEncoding enc = encode(src);
  Seq2SeqState st = initial_state(enc);
  std::vector<Tensor> logits, weights;
  Tensor prev = contiguous(select(tgt_in, 1, 0));
  for (int64_t t = 0; t < tgt_in.size(1); ++t) {
    if (t > 0) {
      const bool teacher = teacher_forcing >= 1.0 || (gen ? gen : gen_)->uniform() < teacher_forcing;
      prev = teacher ? contiguous(select(tgt_in, 1, t)) : argmax(logits.back().detach(), 1);
    }
    Seq2SeqStep s = decode_step(prev, st, enc);
    logits.push_back(s.logits);
    if (s.weights.defined()) weights.push_back(s.weights);
  }
  return {stack(logits, 1), weights.empty() ? Tensor() : stack(weights, 1)};
}

Tensor Seq2Seq::loss(const Tensor& src, const Tensor& tgt_in, const Tensor& tgt_out, double eps,
                     double teacher_forcing, Generator* gen) {
  const Tensor logits = forward(src, tgt_in, teacher_forcing, gen).logits;  // (B, T, V)
  return cross_entropy(reshape(logits, {-1, logits.size(2)}), reshape(tgt_out, {-1}),
                       {.ignore_index = config.pad_id, .label_smoothing = eps});
}

}  // namespace attn::models
