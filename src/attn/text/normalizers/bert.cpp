// attn/text/normalizers/bert.cpp — see bert.h.
#include "attn/text/normalizers/bert.h"

#include "attn/text/unicode.h"

namespace attn::text {
namespace {

void clean_text(NormalizedString& s) {
  s.filter([](char32_t c) { return (char_flags(c) & kRemovedByClean) == 0; });
  s.map([](char32_t c) { return (char_flags(c) & kCleanSpace) ? U' ' : c; });
}

void handle_chinese_chars(NormalizedString& s) {
  bool any = false;
  for (char32_t c : s.chars()) any = any || (char_flags(c) & kChinese);
  if (!any) return;
  std::vector<NormalizedString::Change> dest;
  dest.reserve(s.size() + 16);
  for (char32_t c : s.chars()) {
    if (char_flags(c) & kChinese) {
      // HF: [(' ', 0), (c, 1), (' ', 1)] — all three take the ideograph's alignment.
      dest.push_back({U' ', 0});
      dest.push_back({c, 1});
      dest.push_back({U' ', 1});
    } else {
      dest.push_back({c, 0});
    }
  }
  s.transform(dest, 0);
}

void strip_marks(NormalizedString& s) {
  s.filter([](char32_t c) { return (char_flags(c) & kNonSpacingMark) == 0; });
}

}  // namespace

void BertNormalizer::normalize(NormalizedString& s) const {
  bool ascii = true;
  for (char32_t c : s.chars()) ascii = ascii && c < 0x80;
  if (ascii) {
    // All four steps at once: ASCII has no ideographs, no decompositions, no marks, 1:1 lowercase.
    const bool clean = options_.clean_text, lower = options_.lowercase;
    s.filter([clean](char32_t c) { return !clean || (char_flags(c) & kRemovedByClean) == 0; });
    s.map([clean, lower](char32_t c) {
      if (clean && (char_flags(c) & kCleanSpace)) return U' ';
      return (lower && c >= U'A' && c <= U'Z') ? static_cast<char32_t>(c + 32) : c;
    });
    return;
  }
  if (options_.clean_text) clean_text(s);
  if (options_.handle_chinese_chars) handle_chinese_chars(s);
  if (options_.strip_accents.value_or(options_.lowercase)) {
    s.nfd();
    strip_marks(s);
  }
  if (options_.lowercase) s.lowercase();
}

void StripAccentsNormalizer::normalize(NormalizedString& s) const {
  s.filter([](char32_t c) { return (char_flags(c) & kCombiningMark) == 0; });
}

}  // namespace attn::text
