// attn/text/models/wordpiece.cpp — see wordpiece.h.
#include "attn/text/models/wordpiece.h"

#include <fstream>

#include "attn/core/error.h"
#include "attn/text/unicode.h"

namespace attn::text {

WordPiece::WordPiece(std::vector<std::string> vocab, WordPieceOptions options)
    : vocab_(std::move(vocab)), options_(std::move(options)) {
  const std::string& prefix = options_.continuing_subword_prefix;
  start_.reserve(vocab_.size());
  for (size_t i = 0; i < vocab_.size(); ++i) {
    const auto id = static_cast<int32_t>(i);
    start_.insert_or_assign(vocab_[i], id);  // a repeated token keeps its last id, as HF's HashMap
    if (vocab_[i].size() >= prefix.size() && vocab_[i].compare(0, prefix.size(), prefix) == 0) {
      continuation_.insert_or_assign(vocab_[i].substr(prefix.size()), id);
    }
  }
  auto it = start_.find(options_.unk_token);
  if (it != start_.end()) unk_id_ = it->second;
}

WordPiece WordPiece::from_file(const std::string& path, WordPieceOptions options) {
  std::ifstream in(path, std::ios::binary);
  ATTN_CHECK_KIND(Io, in.good(), "{}: cannot open WordPiece vocabulary (one token per line)", path);
  std::vector<std::string> vocab;
  std::string line;
  while (std::getline(in, line)) {
    // HF reads vocab.txt with trim_end(): trailing whitespace is not part of the token.
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
      line.pop_back();
    vocab.push_back(line);
  }
  ATTN_CHECK_KIND(Format, !vocab.empty(), "{}: empty WordPiece vocabulary", path);
  return WordPiece(std::move(vocab), std::move(options));
}

void WordPiece::tokenize(std::string_view word, std::vector<ModelToken>& out) const {
  const auto n = static_cast<uint32_t>(word.size());
  size_t chars = 0;
  for (size_t i = 0; i < word.size(); ++i) chars += (static_cast<unsigned char>(word[i]) & 0xC0) != 0x80;
  const size_t first = out.size();
  auto unk = [&] {
    ATTN_CHECK_KIND(Format, unk_id_ >= 0, "WordPiece: unk_token '{}' is not in the vocabulary",
                    options_.unk_token);
    out.resize(first);
    out.push_back({unk_id_, 0, n});
  };
  if (chars > options_.max_input_chars_per_word) return unk();
  uint32_t start = 0;
  while (start < n) {
    const Map& map = start == 0 ? start_ : continuation_;
    uint32_t end = n;
    bool found = false;
    while (start < end) {
      auto it = map.find(word.substr(start, end - start));
      if (it != map.end()) {
        out.push_back({it->second, start, end});
        found = true;
        break;
      }
      // Drop the last character of the candidate (HF shrinks by whole characters).
      do --end;
      while (end > start && (static_cast<unsigned char>(word[end]) & 0xC0) == 0x80);
    }
    if (!found) return unk();
    start = end;
  }
}

std::optional<int32_t> WordPiece::token_to_id(std::string_view token) const {
  auto it = start_.find(token);
  if (it == start_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> WordPiece::id_to_token(int32_t id) const {
  if (id < 0 || static_cast<size_t>(id) >= vocab_.size()) return std::nullopt;
  return vocab_[static_cast<size_t>(id)];
}

}  // namespace attn::text
