// attn/text/pipeline.h — the four swappable stages of a tokenizer (HF tokenizers' traits, one method each):
//
//   text ─► Normalizer ─► PreTokenizer ─► Model ─► PostProcessor ─► Encoding      (and Decoder: tokens ─►
//   text)
//
// A Normalizer edits a NormalizedString in place (keeping alignments); a PreTokenizer cuts it into words
// (ranges of normalized characters); a Model turns one word's UTF-8 into tokens (ids + byte ranges inside
// the word); a PostProcessor adds special tokens and type ids (post_processors/template.h). Concrete
// stages live one per file under normalizers/, pre_tokenizers/, models/, decoders/; tokenizer_json.cpp
// builds them from a tokenizer.json by their "type".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "attn/text/encoding.h"
#include "attn/text/normalized_string.h"

namespace attn::text {

class Normalizer {
 public:
  virtual ~Normalizer() = default;
  virtual void normalize(NormalizedString& s) const = 0;
};

// A word: normalized characters [begin, end) of the NormalizedString.
struct Word {
  uint32_t begin, end;
};

class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;
  // Appends the words of s to `words` (in order, non-empty, non-overlapping). May edit s first (ByteLevel's
  // add_prefix_space prepends ' ').
  virtual void pre_tokenize(NormalizedString& s, std::vector<Word>& words) const = 0;
  // True for ByteLevel: the model then sees each word's bytes through the GPT-2 byte alphabet.
  virtual bool byte_level() const { return false; }
};

// A token produced by a Model: its id and the bytes [begin, end) of the word it covers.
struct ModelToken {
  int32_t id;
  uint32_t begin, end;
};

class Model {
 public:
  virtual ~Model() = default;
  // Appends the tokens of one word (UTF-8 of its normalized characters) to `out`.
  virtual void tokenize(std::string_view word, std::vector<ModelToken>& out) const = 0;
  virtual std::optional<int32_t> token_to_id(std::string_view token) const = 0;
  virtual std::optional<std::string> id_to_token(int32_t id) const = 0;
  // The token of a valid id (one that tokenize() produced), without a copy.
  virtual const std::string& token(int32_t id) const = 0;
  virtual size_t vocab_size() const = 0;
};

// Adds special tokens and type ids around one sequence or a pair (after truncation, before padding).
class PostProcessor {
 public:
  virtual ~PostProcessor() = default;
  // How many tokens process() adds, so that truncation can leave room for them.
  virtual size_t added_tokens(bool is_pair) const = 0;
  virtual Encoding process(Encoding a, std::optional<Encoding> b, bool add_special_tokens) const = 0;
};

class Decoder {
 public:
  virtual ~Decoder() = default;
  // HF decode_chain: turns the tokens (special tokens already removed) into text pieces to concatenate.
  virtual std::string decode(const std::vector<std::string>& tokens) const = 0;
};

}  // namespace attn::text
