// Tests of attn/text/unicode.h: UTF-8 decoding with U+FFFD replacement (Python's errors="replace"), and a
// few classes whose HF values are easy to get wrong.
#include "attn/text/unicode.h"

#include <gtest/gtest.h>

#include <vector>

namespace attn::text {
namespace {

std::vector<char32_t> decode_all(std::string_view s) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < s.size();) out.push_back(decode_utf8(s, i));
  return out;
}

TEST(Unicode, DecodesValidUtf8) {
  EXPECT_EQ(decode_all("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x81"),
            (std::vector<char32_t>{U'a', 0xE9, 0x20AC, 0x1F601}));
}

TEST(Unicode, ReplacesEachMaximalBadSubsequenceWithOneFffd) {
  // b"\xe2\x82a\x80\xf0\x9f\x98\xed\xa0\x80".decode("utf-8", "replace") ==
  // '\ufffda\ufffd\ufffd\ufffd\ufffd\ufffd'
  EXPECT_EQ(decode_all("\xE2\x82"
                       "a\x80\xF0\x9F\x98\xED\xA0\x80"),
            (std::vector<char32_t>{0xFFFD, U'a', 0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD}));
  EXPECT_EQ(decode_all("\xC0\xAF"), (std::vector<char32_t>{0xFFFD, 0xFFFD}));
  EXPECT_EQ(decode_all("\xF4\x90\x80\x80"), (std::vector<char32_t>{0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD}));
  EXPECT_FALSE(is_valid_utf8("\xFF"));
  EXPECT_TRUE(is_valid_utf8("\xEF\xBF\xBD ok"));
}

TEST(Unicode, ClassesMatchHf) {
  EXPECT_TRUE(char_flags(U'\t') & kCleanSpace);
  EXPECT_TRUE(char_flags(0xA0) & kSplitSpace);        // NBSP is whitespace for Rust
  EXPECT_TRUE(char_flags(0x200B) & kRemovedByClean);  // zero-width space is Cf
  EXPECT_TRUE(char_flags(U'$') & kPunct);             // ASCII symbols count as punctuation
  EXPECT_TRUE(char_flags(0x4E00) & kChinese);
  EXPECT_FALSE(char_flags(0xAC00) & kChinese);  // Hangul is not
  EXPECT_TRUE(char_flags(0x301) & kNonSpacingMark);
  char32_t buf[4];
  ASSERT_EQ(nfd_decompose(0xAC01, buf), 3);  // 각 = ᄀ ᅡ ᆨ
  EXPECT_EQ(buf[2], 0x11A8u);
  ASSERT_EQ(to_lower(0x130, buf), 2);  // İ → i + U+0307
}

}  // namespace
}  // namespace attn::text
