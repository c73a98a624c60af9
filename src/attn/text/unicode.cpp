// attn/text/unicode.cpp — see unicode.h. The flag table is expanded once into a 1.1 MB byte array so that
// the hot loop is one load per code point.
#include "attn/text/unicode.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <vector>

namespace attn::text {
namespace {

struct FlagRange {
  char32_t first, last;
  uint8_t flags;
};
struct MapOverride {
  char32_t from;
  std::array<char32_t, 3> to;
};

#include "attn/text/unicode_tables.inc"

constexpr char32_t kMaxCodePoint = 0x10FFFF;

const std::vector<uint8_t>& flag_table() {
  static const std::vector<uint8_t> table = [] {
    std::vector<uint8_t> t(kMaxCodePoint + 1, 0);
    for (const FlagRange& r : kFlagRanges) std::fill(t.begin() + r.first, t.begin() + r.last + 1, r.flags);
    return t;
  }();
  return table;
}

int override_length(const MapOverride& m) {
  int n = 0;
  while (n < 3 && (m.to[n] != 0 || (n == 0 && m.from == 0))) ++n;
  return n;
}

}  // namespace

namespace detail {
const uint8_t* const kCharFlags = flag_table().data();
}  // namespace detail

char32_t decode_utf8(std::string_view s, size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  // Lead byte → sequence length and the allowed range of the second byte (Unicode Table 3-7).
  int len = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  char32_t c = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2, c = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3, c = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4, c = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    ++i;  // stray continuation byte or invalid lead byte: one U+FFFD for this byte
    return 0xFFFD;
  }
  size_t j = i + 1;
  for (int k = 1; k < len; ++k, ++j) {
    if (j >= s.size()) break;
    const auto b = static_cast<unsigned char>(s[j]);
    if (b < lo || b > hi) break;
    lo = 0x80, hi = 0xBF;
    c = (c << 6) | (b & 0x3F);
    if (k == len - 1) {
      i = j + 1;
      return c;
    }
  }
  i = j;  // maximal subpart consumed: the lead byte and any valid continuation bytes before the error
  return 0xFFFD;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

bool is_valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t start = i;
    if (decode_utf8(s, i) == 0xFFFD) {
      // A real U+FFFD in the input is valid: it is EF BF BD.
      if (i - start != 3 || s.substr(start, 3) != "\xEF\xBF\xBD") return false;
    }
  }
  return true;
}

int nfd_decompose(char32_t c, char32_t* out) {
  if (c < 0xC0) {
    out[0] = c;
    return 1;
  }
  for (const MapOverride& m : kNfdOverrides) {
    if (m.from == c) {
      const int n = override_length(m);
      std::copy_n(m.to.begin(), n, out);
      return n;
    }
  }
  utf8proc_int32_t buf[8];
  int last_boundclass = 0;
  const utf8proc_ssize_t n =
      utf8proc_decompose_char(static_cast<utf8proc_int32_t>(c), buf, 8, UTF8PROC_DECOMPOSE, &last_boundclass);
  if (n <= 0 || n > 4) {
    out[0] = c;
    return 1;
  }
  for (utf8proc_ssize_t k = 0; k < n; ++k) out[k] = static_cast<char32_t>(buf[k]);
  return static_cast<int>(n);
}

int ccc(char32_t c) {
  if (c < 0x300) return 0;
  const int k = utf8proc_get_property(static_cast<utf8proc_int32_t>(c))->combining_class;
  if (k == 0) return 0;
  if (std::binary_search(std::begin(kCccZero), std::end(kCccZero), c)) return 0;
  return k;
}

int to_lower(char32_t c, char32_t* out) {
  if (c < 0x80) {
    out[0] = (c >= 'A' && c <= 'Z') ? c + 32 : c;
    return 1;
  }
  for (const MapOverride& m : kLowerOverrides) {
    if (m.from == c) {
      const int n = override_length(m);
      std::copy_n(m.to.begin(), n, out);
      return n;
    }
  }
  out[0] = static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c)));
  return 1;
}

int display_width(std::string_view s) {
  int w = 0;
  for (size_t i = 0; i < s.size();) w += utf8proc_charwidth(static_cast<utf8proc_int32_t>(decode_utf8(s, i)));
  return w;
}

bool is_letter(char32_t c) {
  const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(c));
  return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

bool is_number(char32_t c) {
  const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(c));
  return cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO;
}

}  // namespace attn::text
