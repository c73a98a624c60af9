#include "attn/embed/token_reader.h"

#include <gtest/gtest.h>

#include "attn/core/error.h"
#include "embed_test_util.h"

namespace attn::embed {
namespace {

using testing::TempDir;

// All tokens (and "\n" markers) of [begin, end).
std::vector<std::string> tokens(const std::string& path, int64_t begin = 0, int64_t end = -1) {
  TokenReader r(path, begin, end);
  std::vector<std::string> out;
  std::string_view w;
  for (auto k = r.next(w); k != TokenReader::Kind::EndOfRange; k = r.next(w))
    out.push_back(k == TokenReader::Kind::Word ? std::string(w) : "\n");
  return out;
}

TEST(TokenReader, SplitsOnWhitespaceAndReportsLines) {
  TempDir tmp;
  const auto path = tmp.write("a.txt", "  the cat\tsat\r\n\n한국어 단어  \nend");
  EXPECT_EQ(tokens(path),
            (std::vector<std::string>{"the", "cat", "sat", "\n", "\n", "한국어", "단어", "\n", "end"}));
}

TEST(TokenReader, RangesSplitTheFileWithoutLosingOrDuplicatingTokens) {
  TempDir tmp;
  std::string text;
  for (int i = 0; i < 500; ++i) text += "word" + std::to_string(i) + (i % 7 == 0 ? "\n" : " ");
  const auto path = tmp.write("b.txt", text);
  const int64_t size = TokenReader::file_size(path);
  std::vector<std::string> all;
  for (const auto& t : tokens(path))
    if (t != "\n") all.push_back(t);
  for (int parts : {2, 3, 7, 64}) {
    std::vector<std::string> joined;
    for (int p = 0; p < parts; ++p)
      for (const auto& t : tokens(path, size * p / parts, size * (p + 1) / parts))
        if (t != "\n") joined.push_back(t);
    EXPECT_EQ(joined, all) << parts << " parts";
  }
}

TEST(TokenReader, RewindRestartsTheRange) {
  TempDir tmp;
  const auto path = tmp.write("c.txt", "a b c d e f");
  TokenReader r(path, 4, 9);  // "c d e" begin in [4, 9)
  std::string_view w;
  std::string first, second;
  while (r.next(w) == TokenReader::Kind::Word) first += std::string(w);
  r.rewind();
  while (r.next(w) == TokenReader::Kind::Word) second += std::string(w);
  EXPECT_EQ(first, "cde");
  EXPECT_EQ(second, "cde");
}

TEST(TokenReader, MissingFileIsAnIoError) {
  try {
    TokenReader r("/nonexistent/corpus.txt");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Io);
    EXPECT_NE(std::string(e.what()).find("/nonexistent/corpus.txt"), std::string::npos);
  }
}

}  // namespace
}  // namespace attn::embed
