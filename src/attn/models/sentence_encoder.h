// attn/models/sentence_encoder.h — sentence embeddings from a BERT checkpoint, as sentence-transformers
// computes them (https://www.sbert.net, v3.2.1): tokenize → BertModel → pooling over the attention mask →
// optional L2 normalisation. The defaults come from the checkpoint's sentence-transformers files
// (modules.json, 1_Pooling/config.json, sentence_bert_config.json); every choice can be overridden.
//
// Two things differ from sentence-transformers on purpose:
//   - Input longer than the model reads (max_seq_length) is never cut silently: encode() reports every
//     truncated text with its token count, or, with chunk = true, embeds overlapping windows of the whole
//     text and averages them (before normalisation).
//   - A text's embedding does not depend on the batch it is in: each text runs through the model at its own
//     length (batched with texts of the same length only, and pooled row by row), so its vector is
//     bit-for-bit the vector it gets alone. See docs/bert.md.
//
//   auto enc = attn::models::SentenceEncoder::from_pretrained("models/all-MiniLM-L6-v2");
//   auto r = enc.encode({"A man is eating food.", "A man is riding a horse."});  // r.embeddings: (2, 384)
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "attn/models/bert.h"
#include "attn/text/tokenizer.h"

namespace attn::models {

// sentence-transformers' Pooling modes: mean of the token vectors (mask-weighted), the [CLS] vector, or the
// elementwise max over tokens.
enum class Pooling { Mean, Cls, Max };
std::string_view pooling_name(Pooling p);
Pooling pooling_from_name(const std::string& name);  // "mean" | "cls" | "max"; others are an error

struct SentenceEncoderOptions {
  std::optional<Pooling> pooling;         // default: the checkpoint's 1_Pooling/config.json (else mean)
  std::optional<bool> normalize;          // default: whether modules.json lists a Normalize module
  std::optional<int64_t> max_seq_length;  // default: sentence_bert_config.json (else max_position_embeddings)
  bool chunk = false;                     // embed over-long texts as overlapping windows, averaged
  int64_t chunk_overlap = 32;             // tokens shared by consecutive windows
};

// A text the model could not read whole (with chunk = false).
struct Truncation {
  size_t index;        // position in the input
  int64_t num_tokens;  // tokens of the full text, [CLS] and [SEP] included
  int64_t kept;        // max_seq_length
};

struct EncodeResult {
  Tensor embeddings;                  // (N, C) float32
  std::vector<Truncation> truncated;  // empty when chunking or when everything fit
  std::vector<int64_t> num_windows;   // per text: 1, or the chunk count with chunk = true
};

class SentenceEncoder {
 public:
  static SentenceEncoder from_pretrained(const std::string& dir, const SentenceEncoderOptions& options = {});

  EncodeResult encode(const std::vector<std::string>& texts) const;
  int64_t dimension() const { return bert_->config.hidden_size; }
  Pooling pooling() const { return pooling_; }
  bool normalize() const { return normalize_; }
  int64_t max_seq_length() const { return max_seq_length_; }
  const BertModel& model() const { return *bert_; }
  const text::Tokenizer& tokenizer() const { return tokenizer_; }

 private:
  SentenceEncoder(std::unique_ptr<BertModel> bert, text::Tokenizer tokenizer, text::Tokenizer truncating,
                  Pooling pooling, bool normalize, int64_t max_seq_length, const SentenceEncoderOptions& o);
  // One window per entry: token ids (with specials) → pooled, unnormalised (C) vectors.
  std::vector<std::vector<float>> embed_windows(const std::vector<text::Encoding>& windows) const;

  std::unique_ptr<BertModel> bert_;
  text::Tokenizer tokenizer_;   // no truncation, no padding
  text::Tokenizer truncating_;  // truncation at max_seq_length (overflowing windows for chunking)
  Pooling pooling_;
  bool normalize_;
  int64_t max_seq_length_;
  SentenceEncoderOptions options_;
};

// Cosine similarity of two equal-length vectors: a·b / (‖a‖‖b‖), accumulated in double.
double cosine_similarity(const float* a, const float* b, int64_t n);

}  // namespace attn::models
