// attn/embed/token_reader.h — streams whitespace-separated tokens out of a byte range of a text file.
//
// The corpus is never loaded whole: a TokenReader reads a 4 MiB window at a time. Tokens are maximal runs
// of bytes other than ' ', '\t', '\n', '\v', '\f', '\r' (so UTF-8 text such as Korean passes through
// untouched). '\n' is reported as EndOfLine: Word2Vec and GloVe treat a line as a sentence. A reader over
// [begin, end) starts at the first token that begins at or after `begin` and yields every token that begins
// before `end`, so T readers over a split of the file see every token exactly once (Hogwild threads).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace attn::embed {

class TokenReader {
 public:
  enum class Kind { Word, EndOfLine, EndOfRange };

  // Opens `path` and positions at `begin`; end < 0 means the end of the file. Throws attn::Error (Io).
  TokenReader(const std::string& path, int64_t begin = 0, int64_t end = -1);
  ~TokenReader();
  TokenReader(const TokenReader&) = delete;
  TokenReader& operator=(const TokenReader&) = delete;

  // The next token (valid until the next call), an end of line, or the end of the range.
  Kind next(std::string_view& word);
  // Starts the range again (one call per epoch).
  void rewind();

  // Size of a file in bytes; throws attn::Error (Io) naming the path if it cannot be opened.
  static int64_t file_size(const std::string& path);

 private:
  bool refill(size_t keep_from);  // moves buf_[keep_from, len_) to the front and reads more
  int64_t offset() const { return buf_offset_ + static_cast<int64_t>(pos_); }

  std::string path_;
  std::FILE* file_ = nullptr;
  int64_t begin_ = 0;
  int64_t end_ = 0;
  std::vector<char> buf_;
  size_t pos_ = 0;
  size_t len_ = 0;
  int64_t buf_offset_ = 0;  // file offset of buf_[0]
  bool eof_ = false;
};

inline bool is_space_byte(char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

}  // namespace attn::embed
