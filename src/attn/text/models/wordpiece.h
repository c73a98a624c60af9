// attn/text/models/wordpiece.h — WordPiece: greedy longest-match-first over a vocabulary, "##" marking a
// piece that continues a word; a word longer than max_input_chars_per_word, or with any part that matches
// nothing, becomes the single unk token.
// https://github.com/huggingface/tokenizers/blob/v0.20.3/tokenizers/src/models/wordpiece/mod.rs
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "attn/text/pipeline.h"

namespace attn::text {

struct WordPieceOptions {
  std::string unk_token = "[UNK]";
  std::string continuing_subword_prefix = "##";
  size_t max_input_chars_per_word = 100;
};

class WordPiece : public Model {
 public:
  // vocab[i] is the token with id i.
  WordPiece(std::vector<std::string> vocab, WordPieceOptions options = {});
  // One token per line, id = line number (BERT's vocab.txt).
  static WordPiece from_file(const std::string& path, WordPieceOptions options = {});

  void tokenize(std::string_view word, std::vector<ModelToken>& out) const override;
  std::optional<int32_t> token_to_id(std::string_view token) const override;
  std::optional<std::string> id_to_token(int32_t id) const override;
  size_t vocab_size() const override { return vocab_.size(); }
  const std::vector<std::string>& vocab() const { return vocab_; }
  const WordPieceOptions& options() const { return options_; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Map = std::unordered_map<std::string, int32_t, Hash, std::equal_to<>>;
  std::vector<std::string> vocab_;
  Map start_;         // every token → id (a piece at the start of a word is looked up as is)
  Map continuation_;  // "##xyz" → id, keyed "xyz" (so a continuation lookup needs no string building)
  int32_t unk_id_ = -1;
  WordPieceOptions options_;
};

}  // namespace attn::text
