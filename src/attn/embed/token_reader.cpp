#include "attn/embed/token_reader.h"

#include <cstring>

#include "attn/core/error.h"

namespace attn::embed {

namespace {
constexpr size_t kBufferBytes = size_t{4} << 20;
}

int64_t TokenReader::file_size(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw_error(ErrorKind::Io, "{}: cannot open file: {}", path, std::strerror(errno));
  std::fseek(f, 0, SEEK_END);
  const int64_t size = std::ftell(f);
  std::fclose(f);
  return size;
}

TokenReader::TokenReader(const std::string& path, int64_t begin, int64_t end) : path_(path), begin_(begin) {
  file_ = std::fopen(path.c_str(), "rb");
  if (!file_) throw_error(ErrorKind::Io, "{}: cannot open file: {}", path, std::strerror(errno));
  std::fseek(file_, 0, SEEK_END);
  const int64_t size = std::ftell(file_);
  end_ = end < 0 || end > size ? size : end;
  buf_.resize(kBufferBytes);
  rewind();
}

TokenReader::~TokenReader() {
  if (file_) std::fclose(file_);
}

void TokenReader::rewind() {
  // Start one byte early: if that byte is not a space we are inside a token owned by the previous range.
  const int64_t start = begin_ > 0 ? begin_ - 1 : 0;
  std::fseek(file_, start, SEEK_SET);
  buf_offset_ = start;
  pos_ = len_ = 0;
  eof_ = false;
  refill(0);
  if (begin_ > 0) {
    if (len_ > 0 && !is_space_byte(buf_[0])) {
      while (true) {  // skip the rest of the partial token
        while (pos_ < len_ && !is_space_byte(buf_[pos_])) ++pos_;
        if (pos_ < len_ || !refill(pos_)) break;
      }
    } else if (len_ > 0) {
      pos_ = 1;
    }
  }
}

bool TokenReader::refill(size_t keep_from) {
  if (eof_) return false;
  const size_t keep = len_ - keep_from;
  if (keep == buf_.size()) buf_.resize(buf_.size() * 2);  // a token longer than the buffer
  std::memmove(buf_.data(), buf_.data() + keep_from, keep);
  buf_offset_ += static_cast<int64_t>(keep_from);
  pos_ -= keep_from;
  const size_t n = std::fread(buf_.data() + keep, 1, buf_.size() - keep, file_);
  len_ = keep + n;
  if (n == 0) eof_ = true;
  return n > 0;
}

TokenReader::Kind TokenReader::next(std::string_view& word) {
  while (true) {  // skip spaces, reporting newlines
    if (pos_ == len_ && !refill(pos_)) return Kind::EndOfRange;
    if (offset() >= end_) return Kind::EndOfRange;
    const char c = buf_[pos_];
    if (!is_space_byte(c)) break;
    ++pos_;
    if (c == '\n') return Kind::EndOfLine;
  }
  size_t start = pos_;
  while (true) {
    while (pos_ < len_ && !is_space_byte(buf_[pos_])) ++pos_;
    if (pos_ < len_) break;
    const int64_t before = buf_offset_;
    const bool more = refill(start);
    start -= static_cast<size_t>(buf_offset_ - before);  // refill moved the token to the front of the buffer
    if (!more) break;
  }
  word = std::string_view(buf_.data() + start, pos_ - start);
  return Kind::Word;
}

}  // namespace attn::embed
