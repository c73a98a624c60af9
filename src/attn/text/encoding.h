// attn/text/encoding.h — the result of tokenizing one text (or one pair): ids, tokens, offsets, type ids and
// masks, plus the windows that truncation cut off (overflowing). Truncation and padding rules are HF's,
// line for line: https://github.com/huggingface/tokenizers/blob/v0.20.3/tokenizers/src/utils/truncation.rs
// and utils/padding.rs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "attn/text/normalized_string.h"

namespace attn::text {

struct Encoding {
  std::vector<int32_t> ids;
  std::vector<int32_t> type_ids;
  std::vector<std::string> tokens;
  std::vector<Span> offsets;       // in code points of the input text, as HF Python's encoding.offsets
  std::vector<Span> byte_offsets;  // in bytes of the input text (HF Rust's offsets)
  std::vector<uint8_t> special_tokens_mask;
  std::vector<uint8_t> attention_mask;
  std::vector<int32_t> sequence_ids;  // 0 or 1 per token of the input sequences, -1 for added specials
  std::vector<Encoding> overflowing;

  size_t size() const { return ids.size(); }
  void push(int32_t id, const std::string& token, Span offset, Span byte_offset, int32_t type_id,
            bool special, int32_t sequence_id);
  void append(const Encoding& other);
  void append(Encoding&& other);  // moves the token strings
  void reserve(size_t n);
};

enum class Direction { Left, Right };
enum class TruncationStrategy { LongestFirst, OnlyFirst, OnlySecond };

struct TruncationParams {
  size_t max_length = 512;
  TruncationStrategy strategy = TruncationStrategy::LongestFirst;
  size_t stride = 0;
  Direction direction = Direction::Right;
};

enum class PaddingStrategy { BatchLongest, Fixed };

struct PaddingParams {
  PaddingStrategy strategy = PaddingStrategy::BatchLongest;
  size_t length = 0;  // for Fixed
  Direction direction = Direction::Right;
  size_t pad_to_multiple_of = 0;  // 0: off
  int32_t pad_id = 0;
  int32_t pad_type_id = 0;
  std::string pad_token = "[PAD]";
};

// Keeps the first (Right) or last (Left) max_len tokens; the rest become `overflowing` windows that
// overlap by `stride` tokens. Throws if stride >= max_len (HF asserts).
void truncate(Encoding& e, size_t max_len, size_t stride, Direction direction);
// Truncates a single sequence or a pair so that together they fit params.max_length.
void truncate_encodings(Encoding& a, Encoding* b, const TruncationParams& params);
// Pads every encoding (and its overflowing windows) to the longest / the fixed length, rounded up to
// pad_to_multiple_of: pad ids, type ids, token, attention 0, special mask 1, offsets (0, 0).
void pad_encodings(std::vector<Encoding>& encodings, const PaddingParams& params);
void pad(Encoding& e, size_t target, const PaddingParams& params);

}  // namespace attn::text
