// attn/text/normalized_string.h — a piece of input text being normalized, which never forgets where each of
// its characters came from (HF tokenizers' NormalizedString).
//
// The normalized text is kept as code points; alignments()[i] is the byte range of the original input that
// normalized character i came from. Every normalizer edits the string only through transform() (or the
// in-place fast paths map/filter, which provably keep the alignments), so token offsets are always the
// original span of their first and last normalized characters — the same rule as HF's convert_offsets.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace attn::text {

// A byte range [begin, end) of the original input.
struct Span {
  uint32_t begin = 0, end = 0;
  bool operator==(const Span&) const = default;
};

class NormalizedString {
 public:
  // The piece [begin, end) of `original` (bytes). Invalid UTF-8 becomes U+FFFD, aligned to its bad bytes.
  NormalizedString(std::string_view original, size_t begin, size_t end);
  explicit NormalizedString(std::string_view original) : NormalizedString(original, 0, original.size()) {}
  NormalizedString() = default;
  // Starts over on a new piece, keeping the allocated capacity (encode reuses one per thread).
  void reset(std::string_view original, size_t begin, size_t end);

  size_t size() const { return chars_.size(); }
  bool empty() const { return chars_.empty(); }
  const std::vector<char32_t>& chars() const { return chars_; }
  const std::vector<Span>& alignments() const { return align_; }
  Span piece() const { return piece_; }

  // One output character of transform(): change 0 replaces the next input character (taking its
  // alignment), +1 inserts (aligned like the input character before it), -n replaces the next input
  // character and drops the n after it. Exactly HF's NormalizedString::transform_range on the whole string.
  struct Change {
    char32_t c;
    int change;
  };
  // `initial_removed` input characters are dropped before the first output character.
  void transform(const std::vector<Change>& dest, size_t initial_removed);

  // c → f(c) one to one; alignments are unchanged.
  template <class F>
  void map(F f) {
    for (char32_t& c : chars_) c = f(c);
  }
  // Keeps the characters where keep(c); a kept character keeps its own alignment (as HF's filter).
  template <class F>
  void filter(F keep) {
    size_t out = 0;
    for (size_t i = 0; i < chars_.size(); ++i) {
      if (keep(chars_[i])) chars_[out] = chars_[i], align_[out++] = align_[i];
    }
    chars_.resize(out), align_.resize(out);
  }
  // Canonical decomposition + canonical reordering of combining marks (unicode.h's tables).
  void nfd();
  // Rust's char::to_lowercase, one character to one or more.
  void lowercase();

  // The original byte range of normalized characters [first, last), last > first.
  Span original_span(size_t first, size_t last) const { return {align_[first].begin, align_[last - 1].end}; }
  // UTF-8 of normalized characters [first, last).
  std::string utf8(size_t first, size_t last) const;
  std::string utf8() const { return utf8(0, size()); }

 private:
  std::vector<char32_t> chars_;
  std::vector<Span> align_;
  Span piece_;
};

}  // namespace attn::text
