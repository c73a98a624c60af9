// attn/text/pre_tokenizers/bert.cpp — see bert.h.
#include "attn/text/pre_tokenizers/bert.h"

#include "attn/text/unicode.h"

namespace attn::text {
namespace {

void split(const NormalizedString& s, std::vector<Word>& words, uint8_t isolate) {
  const std::vector<char32_t>& c = s.chars();
  const auto n = static_cast<uint32_t>(c.size());
  uint32_t start = 0;
  for (uint32_t i = 0; i < n; ++i) {
    const uint8_t f = char_flags(c[i]);
    if (f & (kSplitSpace | isolate)) {
      if (i > start) words.push_back({start, i});
      if (!(f & kSplitSpace)) words.push_back({i, i + 1});  // isolated punctuation
      start = i + 1;
    }
  }
  if (n > start) words.push_back({start, n});
}

}  // namespace

void BertPreTokenizer::pre_tokenize(NormalizedString& s, std::vector<Word>& words) const {
  split(s, words, kPunct);
}

void WhitespaceSplit::pre_tokenize(NormalizedString& s, std::vector<Word>& words) const {
  split(s, words, 0);
}

}  // namespace attn::text
