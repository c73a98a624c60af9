// attn/text/pre_tokenizers/byte_level.cpp — see byte_level.h.
#include "attn/text/pre_tokenizers/byte_level.h"

#include "attn/text/post_processors/template.h"
#include "attn/text/unicode.h"

namespace attn::text {
namespace {

bool is_space(char32_t c) { return char_flags(c) & kSplitSpace; }
bool is_other(char32_t c) { return !is_space(c) && !is_letter(c) && !is_number(c); }

// Length of the match of the GPT-2 regex at chars[i] (≥ 1).
uint32_t match_at(const char32_t* c, uint32_t n, uint32_t i) {
  if (c[i] == U'\'' && i + 1 < n) {
    const char32_t a = c[i + 1];
    if (a == U's' || a == U't' || a == U'm' || a == U'd') return 2;
    if (i + 2 < n) {
      const char32_t b = c[i + 2];
      if ((a == U'r' && b == U'e') || (a == U'v' && b == U'e') || (a == U'l' && b == U'l')) return 3;
    }
  }
  // " ?\p{L}+", " ?\p{N}+", " ?[^\s\p{L}\p{N}]+", in that order.
  for (bool (*cls)(char32_t) : {is_letter, is_number, is_other}) {
    uint32_t j = i;
    if (c[j] == U' ' && j + 1 < n && cls(c[j + 1])) ++j;
    if (!cls(c[j])) continue;
    while (j < n && cls(c[j])) ++j;
    return j - i;
  }
  // "\s+(?!\S)" then "\s+": a run of spaces, leaving its last one to the next word if a word follows.
  uint32_t j = i;
  while (j < n && is_space(c[j])) ++j;
  if (j == n || j - i == 1) return j - i;
  return j - i - 1;
}

}  // namespace

void gpt2_split(const char32_t* chars, uint32_t n, uint32_t base, std::vector<Word>& words) {
  for (uint32_t i = 0; i < n;) {
    const uint32_t len = match_at(chars, n, i);
    words.push_back({base + i, base + i + len});
    i += len;
  }
}

void ByteLevelPreTokenizer::pre_tokenize(NormalizedString& s, std::vector<Word>& words) const {
  if (s.empty()) return;
  if (add_prefix_space_ && s.chars()[0] != U' ') {
    // HF NormalizedString::prepend: the space replaces the first character's slot, which is re-inserted
    // after it, so both are aligned to the first character.
    std::vector<NormalizedString::Change> dest{{U' ', 0}};
    for (size_t i = 0; i < s.size(); ++i) dest.push_back({s.chars()[i], i == 0 ? 1 : 0});
    s.transform(dest, 0);
  }
  const auto n = static_cast<uint32_t>(s.size());
  if (use_regex_) {
    gpt2_split(s.chars().data(), n, 0, words);
  } else {
    words.push_back({0, n});
  }
}

namespace {

// HF byte_level.rs process_offsets: move offsets past leading/trailing spaces ('Ġ') of each token.
void trim_token_offsets(Encoding& e, bool add_prefix_space) {
  static const std::string kSpace = "\xC4\xA0";  // 'Ġ', the byte-level symbol of ' '
  for (size_t i = 0; i < e.size(); ++i) {
    const std::string& t = e.tokens[i];
    size_t lead = 0, trail = 0;
    while (t.compare(lead * 2, 2, kSpace) == 0) ++lead;
    if (lead * 2 < t.size()) {
      while (t.size() >= (trail + 1) * 2 && t.compare(t.size() - (trail + 1) * 2, 2, kSpace) == 0) ++trail;
    } else {
      trail = lead;
    }
    for (Span* o : {&e.byte_offsets[i], &e.offsets[i]}) {
      size_t l = lead;
      if (l > 0 && (i == 0 || o->begin == 0) && add_prefix_space && l == 1) l = 0;
      if (l > 0) o->begin = std::min<uint32_t>(o->begin + static_cast<uint32_t>(l), o->end);
      if (trail > 0 && o->end >= trail)
        o->end = std::max<uint32_t>(o->end - static_cast<uint32_t>(trail), o->begin);
    }
  }
  for (Encoding& o : e.overflowing) trim_token_offsets(o, add_prefix_space);
}

}  // namespace

Encoding ByteLevelPostProcessor::process(Encoding a, std::optional<Encoding> b, bool) const {
  if (trim_offsets_) {
    trim_token_offsets(a, add_prefix_space_);
    if (b) trim_token_offsets(*b, add_prefix_space_);
  }
  a.sequence_ids.assign(a.size(), 0);
  if (b) {
    b->sequence_ids.assign(b->size(), 1);
    merge_with(a, *b);
  }
  return a;
}

}  // namespace attn::text
