// attn/text/unicode.h — the Unicode facts the text pipeline needs: UTF-8 decoding (invalid bytes → U+FFFD),
// per-code-point classes exactly as HF tokenizers sees them, NFD and lowercase via utf8proc.
//
// HF tokenizers mixes three Unicode versions (Rust std, the unicode_categories crate, the
// unicode-normalization-alignments crate). The classes below come from tools/gen_text_unicode.py, which
// asks the pinned tokenizers about every code point; utf8proc supplies decompositions, case mappings and
// combining classes, corrected by the few overrides the same script found.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace attn::text {

// Per-code-point classes, as bit flags.
enum CharFlag : uint8_t {
  kRemovedByClean = 1,   // BertNormalizer clean_text drops it (controls, format chars, U+0000, U+FFFD)
  kCleanSpace = 2,       // BertNormalizer clean_text maps it to ' '
  kSplitSpace = 4,       // Rust char::is_whitespace: BertPreTokenizer / WhitespaceSplit split here
  kPunct = 8,            // BertPreTokenizer isolates it (ASCII punctuation or Unicode P*)
  kChinese = 16,         // BertNormalizer handle_chinese_chars pads it with spaces (CJK ideograph ranges)
  kNonSpacingMark = 32,  // category Mn: BertNormalizer's strip_accents removes it (after NFD)
  kCombiningMark = 64    // Mn, Mc or Me: the StripAccents normalizer removes it
};

namespace detail {
extern const uint8_t* const kCharFlags;  // 0x110000 entries, built before main() from unicode_tables.inc
}
inline uint8_t char_flags(char32_t c) { return c <= 0x10FFFF ? detail::kCharFlags[c] : 0; }

// Decodes the code point at s[i] and advances i. Each maximal ill-formed subsequence (as Python's
// bytes.decode("utf-8", "replace") and the Unicode standard's "best practice" define it) becomes one
// U+FFFD, so bad input never throws here and counts as one code point in character offsets.
char32_t decode_utf8(std::string_view s, size_t& i);
// Appends the UTF-8 encoding of c.
void append_utf8(std::string& out, char32_t c);
inline int utf8_length(char32_t c) { return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4; }
// True if s is valid UTF-8.
bool is_valid_utf8(std::string_view s);

// Canonical decomposition (NFD, full and recursive, Hangul included) of one code point into out[0..n);
// returns n (at most 4 for canonical decompositions). The canonical combining class is ccc(c).
int nfd_decompose(char32_t c, char32_t* out);
int ccc(char32_t c);
// Full lowercase mapping as Rust's char::to_lowercase (U+0130 → "i̇"); returns n ≤ 3.
int to_lower(char32_t c, char32_t* out);

// Columns a terminal uses for the UTF-8 text s (CJK and emoji take 2, combining marks 0): for tables.
int display_width(std::string_view s);

// Unicode general category helpers for the GPT-2 regex (\p{L}, \p{N}) — utf8proc's tables.
bool is_letter(char32_t c);
bool is_number(char32_t c);

}  // namespace attn::text
