// apps/attn/mt_text.h — the text side of `attn train transformer` and `attn translate`: how one language of
// a translation model turns lines into ids and ids back into text. Two kinds, chosen at training time and
// found again by `attn translate` from the files in the model directory:
//   word level  text::Vocab (lowercased, punctuation split)      <side>_vocab.txt
//   subword     a tokenizer.json (e.g. attn's byte-level BPE:     <side>_tokenizer.json
//               cased, and decode() puts the spaces back, so the output is detokenised text)
// <side> is "src" or "tgt". A subword tokenizer must contain [PAD], [BOS] and [EOS] (the model's special
// ids).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "attn/text/tokenizer.h"
#include "attn/text/vocab.h"

namespace attn::cli {

class MtText {
 public:
  static MtText words(text::Vocab vocab);
  static MtText subwords(std::shared_ptr<const text::Tokenizer> tokenizer, std::string source);
  // A byte-level BPE of `vocab_size` tokens learned from `lines` with [PAD] [UNK] [BOS] [EOS] as ids 0–3.
  static MtText train_bpe(const std::vector<std::string>& lines, size_t vocab_size);
  // <dir>/<side>_tokenizer.json if it exists, else <dir>/<side>_vocab.txt.
  static MtText load(const std::string& dir, const std::string& side);
  void save(const std::string& dir, const std::string& side) const;

  // Ids of one line without [BOS]/[EOS], cut to max_len.
  std::vector<int64_t> encode(const std::string& line, size_t max_len) const;
  // Special tokens dropped; subwords: the tokenizer's decoder, surrounding spaces trimmed.
  std::string decode(const std::vector<int64_t>& ids) const;
  size_t size() const;
  // One token for display (axis labels): subwords decoded alone, special tokens kept.
  std::string token(int64_t id) const;
  int64_t special_id(const std::string& token) const;  // [PAD], [BOS], [EOS], [UNK]; error if missing
  bool is_subword() const { return tokenizer_ != nullptr; }

 private:
  std::optional<text::Vocab> vocab_;
  std::shared_ptr<const text::Tokenizer> tokenizer_;
  std::string source_;  // the file it came from, for error messages
};

}  // namespace attn::cli
