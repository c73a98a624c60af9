// attn/text/models/wordpiece.h — WordPiece: greedy longest-match-first over a vocabulary, "##" marking a
// piece that continues a word; a word longer than max_input_chars_per_word, or with any part that matches
// nothing, becomes the single unk token.
// https://github.com/huggingface/tokenizers/blob/v0.20.3/tokenizers/src/models/wordpiece/mod.rs
//
// tokenize() finds each longest match by walking a byte trie (one for word-initial pieces, one for "##"
// pieces keyed without the prefix): a step per byte, bounded by the longest token, instead of HF's hash
// lookup of every shorter candidate. tokenize_reference() is HF's loop, kept as the oracle the tests
// compare against (STYLE P6).
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
  void tokenize_reference(std::string_view word, std::vector<ModelToken>& out) const;
  const std::string& token(int32_t id) const override { return vocab_[static_cast<size_t>(id)]; }
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
  // A byte trie in flat arrays: node n's children are edges_[first_[n] .. first_[n + 1]), sorted by byte.
  struct Trie {
    std::vector<int32_t> token;   // per node: id of the token ending here, or -1
    std::vector<uint32_t> first;  // per node (+1): start of its edges
    std::vector<uint8_t> byte;    // per edge
    std::vector<int32_t> child;   // per edge
    int32_t root_child[256];      // the root's children, directly indexed
    void build(const std::vector<std::pair<std::string, int32_t>>& entries);
    // Longest entry that is a prefix of s: (id, length) or (-1, 0).
    std::pair<int32_t, uint32_t> longest_prefix(std::string_view s) const;
  };
  void unk(std::vector<ModelToken>& out, size_t first, uint32_t n) const;
  Trie start_trie_, continuation_trie_;
  std::vector<std::string> vocab_;
  Map start_;         // every token → id (a piece at the start of a word is looked up as is)
  Map continuation_;  // "##xyz" → id, keyed "xyz" (so a continuation lookup needs no string building)
  int32_t unk_id_ = -1;
  WordPieceOptions options_;
};

}  // namespace attn::text
