// attn/text/pre_tokenizers/byte_level.h — GPT-2's ByteLevel pre-tokenizer: optionally a leading space,
// then the GPT-2 split regex
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// (hand-written below, no regex engine). The byte → printable-character alphabet is applied by the BPE
// model (Bpe with byte_level), which sees each word's raw bytes — so arbitrary bytes round-trip.
// Also the ByteLevel post-processor (trim_offsets) and decoder.
// https://github.com/huggingface/tokenizers/blob/v0.20.3/tokenizers/src/pre_tokenizers/byte_level.rs
#pragma once

#include "attn/text/pipeline.h"

namespace attn::text {

class ByteLevelPreTokenizer : public PreTokenizer {
 public:
  ByteLevelPreTokenizer(bool add_prefix_space, bool use_regex)
      : add_prefix_space_(add_prefix_space), use_regex_(use_regex) {}
  void pre_tokenize(NormalizedString& s, std::vector<Word>& words) const override;
  bool byte_level() const override { return true; }
  bool add_prefix_space() const { return add_prefix_space_; }
  bool use_regex() const { return use_regex_; }

 private:
  bool add_prefix_space_, use_regex_;
};

// Splits chars[0, n) with the GPT-2 regex; appends the matches as words.
void gpt2_split(const char32_t* chars, uint32_t n, uint32_t base, std::vector<Word>& words);

class ByteLevelPostProcessor : public PostProcessor {
 public:
  ByteLevelPostProcessor(bool trim_offsets, bool add_prefix_space)
      : trim_offsets_(trim_offsets), add_prefix_space_(add_prefix_space) {}
  size_t added_tokens(bool) const override { return 0; }
  Encoding process(Encoding a, std::optional<Encoding> b, bool add_special_tokens) const override;
  bool trim_offsets() const { return trim_offsets_; }
  bool add_prefix_space() const { return add_prefix_space_; }

 private:
  bool trim_offsets_, add_prefix_space_;
};

}  // namespace attn::text
