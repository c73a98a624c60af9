// attn/text/models/bpe.h — Byte-Pair Encoding (GPT-2 / RoBERTa): a word starts as single characters (or,
// byte-level, single bytes seen through the GPT-2 byte alphabet) and the pair with the lowest merge rank is
// merged until no ranked pair is left. O(n log n) per word with a heap, as HF's Word::merge_all. Like HF,
// the results for up to 10,000 words are cached (per thread here, so no locking).
// https://github.com/huggingface/tokenizers/blob/v0.20.3/tokenizers/src/models/bpe/model.rs
#pragma once

#include <array>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "attn/text/pipeline.h"

namespace attn::text {

struct BpeOptions {
  std::string unk_token;  // empty: unknown characters are dropped (HF unk_token: null)
  std::string continuing_subword_prefix;
  std::string end_of_word_suffix;
  bool fuse_unk = false;
  bool byte_fallback = false;
  bool byte_level = false;  // words arrive as raw bytes; symbols are byte_to_unicode() characters
};

class Bpe : public Model {
 public:
  Bpe(std::vector<std::string> vocab, std::vector<std::pair<std::string, std::string>> merges,
      BpeOptions options);

  void tokenize(std::string_view word, std::vector<ModelToken>& out) const override;
  std::optional<int32_t> token_to_id(std::string_view token) const override;
  std::optional<std::string> id_to_token(int32_t id) const override;
  const std::string& token(int32_t id) const override { return vocab_[static_cast<size_t>(id)]; }
  size_t vocab_size() const override { return vocab_.size(); }
  const std::vector<std::string>& vocab() const { return vocab_; }
  const std::vector<std::pair<std::string, std::string>>& merges() const { return merges_; }
  const BpeOptions& options() const { return options_; }
  void set_byte_level(bool on);

 private:
  struct Symbol {  // a symbol of the word being merged, in a doubly linked list
    int32_t id;
    uint32_t begin, end;
    int prev, next;
  };
  void initial_symbols(std::string_view word, std::vector<Symbol>& sym) const;
  void tokenize_uncached(std::string_view word, std::vector<ModelToken>& out) const;
  void merge(std::vector<Symbol>& sym) const;
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::vector<std::string> vocab_;
  std::unordered_map<std::string, int32_t, Hash, std::equal_to<>> ids_;
  std::vector<std::pair<std::string, std::string>> merges_;
  // (left id, right id) → (rank, merged id)
  std::unordered_map<uint64_t, std::pair<int32_t, int32_t>> ranks_;
  int32_t byte_ids_[256];  // byte-level: id of each byte's symbol, -1 if missing
  BpeOptions options_;
  uint64_t instance_ = 0;  // identifies this model's entries in the per-thread word cache
};

// GPT-2's reversible byte ↔ printable-character table: printable Latin-1 bytes map to themselves, the
// other 68 bytes to U+0100 + n in order. byte_to_unicode()[b] is the UTF-8 of b's character.
const std::array<std::string, 256>& byte_to_unicode();
// The byte of a byte-level character, or -1.
int unicode_to_byte(char32_t c);

}  // namespace attn::text
