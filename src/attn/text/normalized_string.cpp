// attn/text/normalized_string.cpp — see normalized_string.h.
#include "attn/text/normalized_string.h"

#include <algorithm>

#include "attn/text/unicode.h"

namespace attn::text {

NormalizedString::NormalizedString(std::string_view original, size_t begin, size_t end) {
  reset(original, begin, end);
}

void NormalizedString::reset(std::string_view original, size_t begin, size_t end) {
  piece_ = {static_cast<uint32_t>(begin), static_cast<uint32_t>(end)};
  chars_.resize(end - begin);  // an upper bound: one character per byte
  align_.resize(end - begin);
  const std::string_view text = original.substr(0, end);
  size_t n = 0;
  for (size_t i = begin; i < end; ++n) {
    const size_t start = i;
    chars_[n] = decode_utf8(text, i);
    align_[n] = {static_cast<uint32_t>(start), static_cast<uint32_t>(i)};
  }
  chars_.resize(n);
  align_.resize(n);
}

void NormalizedString::transform(const std::vector<Change>& dest, size_t initial_removed) {
  std::vector<char32_t> chars;
  std::vector<Span> align;
  chars.reserve(dest.size());
  align.reserve(dest.size());
  size_t k = initial_removed;  // next input character to be replaced
  for (const Change& ch : dest) {
    Span a;
    if (ch.change > 0) {
      // HF: "a newly inserted character shares the alignment of the previous one"; at position 0 it
      // gets (0, 0) relative to the piece.
      a = k > 0 ? align_[k - 1] : Span{piece_.begin, piece_.begin};
    } else {
      a = align_[k];
      k += 1 + static_cast<size_t>(-ch.change);
    }
    chars.push_back(ch.c);
    align.push_back(a);
  }
  chars_ = std::move(chars);
  align_ = std::move(align);
}

void NormalizedString::nfd() {
  // Fast path: nothing decomposes and no combining mark needs reordering.
  bool simple = true;
  char32_t buf[4];
  for (char32_t c : chars_) {
    if (c >= 0xC0 && (nfd_decompose(c, buf) != 1 || buf[0] != c || ccc(c) != 0)) {
      simple = false;
      break;
    }
  }
  if (simple) return;
  struct Item {
    char32_t c;
    int change;
    int ccc;
  };
  std::vector<Item> items;
  items.reserve(chars_.size() + 8);
  for (char32_t c : chars_) {
    const int n = nfd_decompose(c, buf);
    for (int j = 0; j < n; ++j) items.push_back({buf[j], j == 0 ? 0 : 1, ccc(buf[j])});
  }
  // Canonical ordering: stable sort of each run of non-starters by combining class. The change values
  // travel with their characters, as in unicode-normalization-alignments.
  for (size_t i = 0; i < items.size();) {
    if (items[i].ccc == 0) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < items.size() && items[j].ccc != 0) ++j;
    std::stable_sort(items.begin() + static_cast<std::ptrdiff_t>(i),
                     items.begin() + static_cast<std::ptrdiff_t>(j),
                     [](const Item& a, const Item& b) { return a.ccc < b.ccc; });
    i = j;
  }
  std::vector<Change> dest;
  dest.reserve(items.size());
  for (const Item& it : items) dest.push_back({it.c, it.change});
  transform(dest, 0);
}

void NormalizedString::lowercase() {
  char32_t buf[3];
  bool one_to_one = true;
  for (char32_t& c : chars_) {
    if (to_lower(c, buf) != 1) {
      one_to_one = false;
      break;
    }
    c = buf[0];
  }
  if (one_to_one) return;
  std::vector<Change> dest;
  dest.reserve(chars_.size() + 4);
  for (char32_t c : chars_) {
    const int n = to_lower(c, buf);
    for (int j = 0; j < n; ++j) dest.push_back({buf[j], j == 0 ? 0 : 1});
  }
  transform(dest, 0);
}

std::string NormalizedString::utf8(size_t first, size_t last) const {
  std::string out;
  out.reserve(last - first);
  for (size_t i = first; i < last; ++i) append_utf8(out, chars_[i]);
  return out;
}

}  // namespace attn::text
