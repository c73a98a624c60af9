#include "attn/embed/formats.h"

#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "attn/core/error.h"
#include "attn/embed/token_reader.h"

namespace attn::embed {

namespace {

std::string read_whole_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw_error(ErrorKind::Io, "{}: cannot open file: {}", path, std::strerror(errno));
  std::string data;
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, n);
  std::fclose(f);
  return data;
}

struct Header {
  int64_t vocab_size = 0;
  int64_t dim = 0;
  size_t body = 0;  // offset of the first byte after the header line
};

Header parse_header(const std::string& path, const std::string& data) {
  const size_t eol = data.find('\n');
  const std::string line = data.substr(0, eol == std::string::npos ? std::min<size_t>(data.size(), 80) : eol);
  Header h;
  const char* p = line.data();
  const char* end = line.data() + line.size();
  auto r1 = std::from_chars(p, end, h.vocab_size);
  const char* q = r1.ptr;
  while (q < end && *q == ' ') ++q;
  auto r2 = std::from_chars(q, end, h.dim);
  const char* rest = r2.ptr;
  while (rest < end && (*rest == ' ' || *rest == '\r')) ++rest;
  ATTN_CHECK_KIND(Format,
                  eol != std::string::npos && r1.ec == std::errc() && r1.ptr != p && r2.ec == std::errc() &&
                      r2.ptr != q && rest == end && h.vocab_size > 0 && h.dim > 0,
                  "{}: bad header '{}': expected 'VOCAB_SIZE DIM' (two positive integers) on the first line",
                  path, line);
  h.body = eol + 1;
  return h;
}

bool looks_binary(const std::string& data, size_t from) {
  const size_t to = std::min(data.size(), from + 4096);
  for (size_t i = from; i < to; ++i) {
    const unsigned char c = static_cast<unsigned char>(data[i]);
    if (c < 32 && c != '\n' && c != '\r' && c != '\t') return true;
  }
  return false;
}

KeyedVectors parse_text(const std::string& path, const std::string& data, const Header& h) {
  std::vector<std::string> words;
  std::vector<float> vectors;
  words.reserve(h.vocab_size);
  vectors.reserve(h.vocab_size * h.dim);
  size_t pos = h.body;
  for (int64_t i = 0; i < h.vocab_size; ++i) {
    const int64_t line_no = i + 2;
    ATTN_CHECK_KIND(Format, pos < data.size(), "{}: the header announces {} vectors but the file has {}",
                    path, h.vocab_size, i);
    size_t eol = data.find('\n', pos);
    if (eol == std::string::npos) eol = data.size();
    const char* p = data.data() + pos;
    const char* end = data.data() + eol;
    const char* w = p;
    while (p < end && *p != ' ') ++p;
    words.emplace_back(w, p);
    int64_t n = 0;
    while (true) {
      while (p < end && (*p == ' ' || *p == '\r' || *p == '\t')) ++p;
      if (p == end) break;
      float x;
      auto r = std::from_chars(p, end, x);
      ATTN_CHECK_KIND(Format, r.ec == std::errc() && n < h.dim,
                      "{}:{}: expected {} numbers after the word '{}' (dimension from the header){}", path,
                      line_no, h.dim, words.back(), n < h.dim ? ", found a non-number" : ", found more");
      vectors.push_back(x);
      ++n;
      p = r.ptr;
    }
    ATTN_CHECK_KIND(Format, n == h.dim, "{}:{}: expected {} numbers after the word '{}', found {}", path,
                    line_no, h.dim, words.back(), n);
    pos = eol + 1;
  }
  return KeyedVectors(std::move(words), h.dim, std::move(vectors));
}

KeyedVectors parse_binary(const std::string& path, const std::string& data, const Header& h) {
  std::vector<std::string> words;
  std::vector<float> vectors(h.vocab_size * h.dim);
  words.reserve(h.vocab_size);
  size_t pos = h.body;
  const size_t row_bytes = static_cast<size_t>(h.dim) * sizeof(float);
  for (int64_t i = 0; i < h.vocab_size; ++i) {
    while (pos < data.size() && (data[pos] == '\n' || data[pos] == '\r')) ++pos;
    const size_t space = data.find(' ', pos);
    ATTN_CHECK_KIND(Format, space != std::string::npos && space + row_bytes <= data.size(),
                    "{}: truncated at vector {} of {} (byte offset {}): expected a word, a space and {} "
                    "bytes of float32 ({} bytes left)",
                    path, i + 1, h.vocab_size, pos, row_bytes, data.size() - pos);
    words.emplace_back(data.data() + pos, space - pos);
    std::memcpy(vectors.data() + i * h.dim, data.data() + space + 1, row_bytes);  // little-endian hosts
    pos = space + 1 + row_bytes;
  }
  return KeyedVectors(std::move(words), h.dim, std::move(vectors));
}

bool has_suffix(const std::string& s, const char* suffix) {
  const size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

}  // namespace

KeyedVectors load_word2vec_format(const std::string& path, VectorFormat format) {
  const std::string data = read_whole_file(path);
  const Header h = parse_header(path, data);
  if (format == VectorFormat::Auto) {
    if (has_suffix(path, ".bin")) {
      format = VectorFormat::Binary;
    } else if (has_suffix(path, ".vec") || has_suffix(path, ".txt")) {
      format = VectorFormat::Text;
    } else {
      format = looks_binary(data, h.body) ? VectorFormat::Binary : VectorFormat::Text;
    }
  }
  return format == VectorFormat::Binary ? parse_binary(path, data, h) : parse_text(path, data, h);
}

void save_word2vec_format(const KeyedVectors& kv, const std::string& path, VectorFormat format) {
  ATTN_CHECK(format != VectorFormat::Auto, "save_word2vec_format: choose Text or Binary for {}", path);
  std::string out = fmt::format("{} {}\n", kv.size(), kv.dim());
  out.reserve(out.size() + kv.size() * (format == VectorFormat::Binary ? kv.dim() * 4 + 16 : kv.dim() * 11));
  char num[32];
  for (int64_t i = 0; i < kv.size(); ++i) {
    out += kv.word(i);
    const float* v = kv.vector(i);
    if (format == VectorFormat::Binary) {
      out += ' ';
      out.append(reinterpret_cast<const char*>(v), kv.dim() * sizeof(float));
      continue;  // gensim's layout: no newline after the floats (word2vec.c's readers skip it either way)
    } else {
      for (int64_t d = 0; d < kv.dim(); ++d) {
        out += ' ';
        // Shortest representation that reads back to the same float.
        auto r = std::to_chars(num, num + sizeof num, v[d]);
        out.append(num, r.ptr);
      }
    }
    out += '\n';
  }
  write_file_atomic(path, out);
}

void write_file_atomic(const std::string& path, const std::string& contents) {
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw_error(ErrorKind::Io, "{}: cannot open for writing: {}", tmp, std::strerror(errno));
  const size_t n = std::fwrite(contents.data(), 1, contents.size(), f);
  const bool ok = n == contents.size() && std::fflush(f) == 0;
  std::fclose(f);
  if (!ok) {
    std::remove(tmp.c_str());
    throw_error(ErrorKind::Io, "{}: write failed: {}", tmp, std::strerror(errno));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    throw_error(ErrorKind::Io, "{}: cannot rename {} into place: {}", path, tmp, ec.message());
  }
}

}  // namespace attn::embed
