// attn/text/tokenizer.h — a complete tokenizer: added (special) tokens, then Normalizer → PreTokenizer →
// Model → (truncation) → PostProcessor → (padding), and decode(). Mirrors HF tokenizers' Tokenizer, and is
// built from a tokenizer.json by Tokenizer::from_file (tokenizer_json.cpp) or for BERT from a vocab.txt.
//
//   auto tok = attn::text::Tokenizer::from_file("models/all-MiniLM-L6-v2/tokenizer.json");
//   Encoding e = tok.encode("Hello, y'all!");   // e.ids, e.tokens, e.offsets (code points), e.attention_mask
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "attn/text/encoding.h"
#include "attn/text/pipeline.h"

namespace attn::text {

// A token matched in the raw text before normalization (HF AddedToken); [CLS], [MASK], <|endoftext|>.
struct AddedToken {
  std::string content;
  int32_t id = 0;
  bool special = true;
  bool normalized = false;
};

// BERT from vocab.txt and BasicTokenizer flags (HF BertWordPieceTokenizer / BertTokenizerFast).
struct BertOptions {
  bool lowercase = true;
  std::optional<bool> strip_accents;  // unset: follows lowercase
  bool handle_chinese_chars = true;
  bool clean_text = true;
  size_t max_input_chars_per_word = 100;
};

class CharCounter;  // byte → code-point offsets of one input (tokenizer.cpp)

class Tokenizer {
 public:
  explicit Tokenizer(std::unique_ptr<Model> model);
  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;
  ~Tokenizer();

  // HF tokenizer.json (tokenizer_json.cpp). Errors name the file and the offending field or "type".
  static Tokenizer from_file(const std::string& path);
  static Tokenizer from_json(std::string_view json, const std::string& source = "<string>");
  static Tokenizer bert_from_vocab(const std::string& vocab_path, const BertOptions& options = {});

  void set_normalizer(std::unique_ptr<Normalizer> n);
  void set_pre_tokenizer(std::unique_ptr<PreTokenizer> p);
  void set_post_processor(std::unique_ptr<PostProcessor> p);
  void set_decoder(std::unique_ptr<Decoder> d);
  void add_tokens(const std::vector<AddedToken>& tokens);
  void set_truncation(std::optional<TruncationParams> t) { truncation_ = std::move(t); }
  void set_padding(std::optional<PaddingParams> p) { padding_ = std::move(p); }
  const std::optional<TruncationParams>& truncation() const { return truncation_; }
  const std::optional<PaddingParams>& padding() const { return padding_; }

  Encoding encode(std::string_view text, bool add_special_tokens = true) const;
  Encoding encode_pair(std::string_view a, std::string_view b, bool add_special_tokens = true) const;
  // Many texts at once on attn::get_num_threads() threads, then padded together (if padding is set).
  std::vector<Encoding> encode_batch(const std::vector<std::string>& texts,
                                     bool add_special_tokens = true) const;
  std::vector<Encoding> encode_batch_pairs(const std::vector<std::pair<std::string, std::string>>& pairs,
                                           bool add_special_tokens = true) const;
  std::string decode(const std::vector<int32_t>& ids, bool skip_special_tokens = true) const;

  std::optional<int32_t> token_to_id(std::string_view token) const;
  std::optional<std::string> id_to_token(int32_t id) const;
  size_t vocab_size(bool with_added_tokens = true) const;
  const Model& model() const { return *model_; }
  const Normalizer* normalizer() const { return normalizer_.get(); }
  const PreTokenizer* pre_tokenizer() const { return pre_tokenizer_.get(); }
  const PostProcessor* post_processor() const { return post_processor_.get(); }
  const Decoder* decoder() const { return decoder_.get(); }
  // HF tokenizer.json of this tokenizer (tokenizer_json.cpp); save() writes it.
  std::string to_json() const;
  void save(const std::string& path) const;
  // The words the model would see (normalized, pre-tokenized; raw bytes for byte-level), for trainers.
  std::vector<std::string> pre_tokenize_words(std::string_view text) const;
  const std::vector<AddedToken>& added_tokens() const { return added_; }

  // One sequence through added tokens → normalizer → pre-tokenizer → model, without post-processing.
  Encoding encode_sequence(std::string_view text, int32_t sequence_id) const;

 private:
  Encoding post_process(Encoding a, std::optional<Encoding> b, bool add_special_tokens) const;
  // Text between added tokens: normalize, pre-tokenize, run the model, append the tokens to enc.
  void encode_piece(std::string_view text, size_t begin, size_t end, int32_t sequence_id,
                    CharCounter& counter, Encoding& enc) const;

  std::unique_ptr<Normalizer> normalizer_;
  std::unique_ptr<PreTokenizer> pre_tokenizer_;
  std::unique_ptr<Model> model_;
  std::unique_ptr<PostProcessor> post_processor_;
  std::unique_ptr<Decoder> decoder_;
  std::vector<AddedToken> added_;
  std::optional<TruncationParams> truncation_;
  std::optional<PaddingParams> padding_;
  bool first_byte_[256] = {};  // bytes that can start an added token (fast skip)
};

}  // namespace attn::text
