// attn/models/seq2seq.h — the RNN encoder–decoder, with three decoders (the seed's story, in code):
//
//   none      the decoder sees one summary vector: c = [→h_last; ←h_first] of the top encoder layer, fed
//             with every input word (Cho et al. 2014: s_t = RNN([e(y_{t−1}); c], s_{t−1})).
//   bahdanau  c_t = Σ a_ts h_s with additive attention queried by the previous decoder state s_{t−1}, fed
//             to the RNN input as above (Bahdanau et al. 2015, §3.1, A.2.2).
//   luong     global attention after the RNN step (Luong et al. 2015, §3.1): a_t from h_t (dot or general
//             score), h̃_t = tanh(W_c [c_t; h_t]); with input feeding (§3.3, on by default) h̃_{t−1} joins
//             the next RNN input.
//
// Shared: a (bi)GRU/LSTM encoder over the padded source (packed by lengths), the initial decoder state
// s_0 = tanh(bridge([→h_n; ←h_n])) per layer (Bahdanau A.2.2 uses the backward state only), and a
// generator on the attentional vector h̃_t (Luong eq. 5): none/bahdanau use h̃_t = tanh(W_o [s_t; c_t;
// e(y_{t−1})]) — the paper's deep output (A.2.2) with tanh in place of its maxout.
//
//   models::Seq2Seq model({.src_vocab_size = 8000, .tgt_vocab_size = 6000, .attention =
//   Seq2SeqAttention::Bahdanau}); Tensor loss = model.loss(src, tgt_in, tgt_out, 0.1);   // label-smoothed CE
//   over non-[PAD] targets auto out = model.forward(src, tgt_in);                  // logits (B, T, V),
//   attention (B, T, S)
#pragma once

#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "attn/nn/embedding.h"
#include "attn/nn/linear.h"
#include "attn/nn/rnn.h"
#include "attn/nn/rnn_attention.h"

namespace attn::models {

enum class Seq2SeqAttention { None, Bahdanau, Luong };
enum class RNNType { GRU, LSTM };

// The one place hyperparameters live (STYLE P10). Ids default to text::Vocab's specials.
struct Seq2SeqConfig {
  int64_t src_vocab_size = 0, tgt_vocab_size = 0;
  int64_t emb_size = 256, hidden_size = 256, num_layers = 1;
  RNNType rnn = RNNType::GRU;
  bool bidirectional = true;  // encoder only
  double dropout = 0.2;       // embeddings, between RNN layers, and on h̃ before the generator
  Seq2SeqAttention attention = Seq2SeqAttention::Bahdanau;
  nn::LuongScore luong_score = nn::LuongScore::General;
  bool input_feeding = true;   // Luong only
  int64_t attention_size = 0;  // Bahdanau's A; 0 = hidden_size
  int64_t max_len = 256;       // longest source the CLI feeds (truncation)
  int64_t pad_id = 0, bos_id = 5, eos_id = 6;

  int64_t encoder_size() const { return (bidirectional ? 2 : 1) * hidden_size; }  // K, the keys' width
  void to_json(nlohmann::json& j) const;
  static Seq2SeqConfig from_json(const nlohmann::json& j);  // unknown keys and bad values are errors
};

std::string to_string(Seq2SeqAttention a);  // "none", "bahdanau", "luong"
Seq2SeqAttention parse_attention(const std::string& s);

// What the decoder needs from the source (every tensor batch-first).
struct Seq2SeqEncoding {
  Tensor outputs;    // (B, S, K) top-layer encoder states h_s (zero at padding)
  Tensor proj_keys;  // (B, S, A or H) the attention's key projection (undefined for none)
  Tensor mask;       // Bool (B, S), true at real tokens
  Tensor summary;    // (B, K) [→h_last; ←h_first] of the top layer
  Tensor h0, c0;     // (L, B, H) the decoder's initial state (c0: LSTM only)
};

// The decoder's recurrent state between steps.
struct Seq2SeqState {
  Tensor h, c;  // (L, B, H)
  Tensor feed;  // (B, ·) extra RNN input: the summary (none), h̃_{t−1} (luong with input feeding)
};

struct Seq2SeqStep {
  Tensor logits;   // (B, V)
  Tensor weights;  // (B, S) attention (undefined for none)
};

struct Seq2SeqOutput {
  Tensor logits;     // (B, T, V)
  Tensor attention;  // (B, T, S) (undefined for none)
};

class Seq2Seq : public nn::Module {
 public:
  explicit Seq2Seq(const Seq2SeqConfig& config, Generator& gen = default_generator());
  std::string type_name() const override { return "Seq2Seq"; }

  // src: int64 (B, S), padded at the end with pad_id; every row needs ≥ 1 real token.
  Seq2SeqEncoding encode(const Tensor& src);
  Seq2SeqState initial_state(const Seq2SeqEncoding& enc) const;
  // prev: int64 (B) the previous target token y_{t−1} → logits for y_t; advances state.
  Seq2SeqStep decode_step(const Tensor& prev, Seq2SeqState& state, const Seq2SeqEncoding& enc);
  // Runs the decoder over tgt_in (B, T) ([BOS] y₁ … ); with teacher_forcing < 1 each step after the first
  // feeds, with probability 1 − teacher_forcing (one draw per step for the whole batch, from gen), the
  // model's own argmax prediction instead of tgt_in's token.
  Seq2SeqOutput forward(const Tensor& src, const Tensor& tgt_in, double teacher_forcing = 1.0,
                        Generator* gen = nullptr);
  // Label-smoothed cross-entropy (ops/loss.h, torch's formula) averaged over targets ≠ [PAD].
  Tensor loss(const Tensor& src, const Tensor& tgt_in, const Tensor& tgt_out, double label_smoothing = 0.0,
              double teacher_forcing = 1.0, Generator* gen = nullptr);

  Seq2SeqConfig config;
  nn::Embedding src_embed, tgt_embed;
  std::shared_ptr<nn::RNNBase> encoder, decoder;
  nn::Linear bridge;                     // K → H (h, and c for the LSTM)
  std::shared_ptr<nn::Linear> bridge_c;  // LSTM only
  std::shared_ptr<nn::BahdanauAttention> bahdanau;
  std::shared_ptr<nn::LuongAttention> luong;
  nn::Linear output_layer;  // W_o (none/bahdanau) or W_c (luong) → h̃ (H)
  nn::Linear generator;     // H → V

 private:
  Tensor drop(const Tensor& x) const;
  Generator* gen_;
};

}  // namespace attn::models
