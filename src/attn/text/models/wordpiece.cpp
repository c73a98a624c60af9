// attn/text/models/wordpiece.cpp — see wordpiece.h.
#include "attn/text/models/wordpiece.h"

#include <algorithm>
#include <fstream>
#include <map>

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
  start_trie_.build({start_.begin(), start_.end()});
  continuation_trie_.build({continuation_.begin(), continuation_.end()});
}

void WordPiece::Trie::build(const std::vector<std::pair<std::string, int32_t>>& entries) {
  // Build with per-node maps, then flatten breadth-first into sorted edge arrays.
  std::vector<std::map<uint8_t, int32_t>> kids(1);
  std::vector<int32_t> ids(1, -1);
  for (const auto& [s, id] : entries) {
    int32_t n = 0;
    for (unsigned char b : s) {
      auto [it, inserted] = kids[static_cast<size_t>(n)].emplace(b, static_cast<int32_t>(kids.size()));
      if (inserted) kids.emplace_back(), ids.push_back(-1);
      n = it->second;
    }
    if (!s.empty()) ids[static_cast<size_t>(n)] = id;
  }
  token = ids;
  first.assign(kids.size() + 1, 0);
  byte.clear(), child.clear();
  for (size_t n = 0; n < kids.size(); ++n) {
    first[n] = static_cast<uint32_t>(byte.size());
    for (const auto& [b, c] : kids[n]) byte.push_back(b), child.push_back(c);
  }
  first[kids.size()] = static_cast<uint32_t>(byte.size());
  std::fill(std::begin(root_child), std::end(root_child), -1);
  for (const auto& [b, c] : kids[0]) root_child[b] = c;
}

std::pair<int32_t, uint32_t> WordPiece::Trie::longest_prefix(std::string_view s) const {
  std::pair<int32_t, uint32_t> best{-1, 0};
  if (s.empty()) return best;
  int32_t n = root_child[static_cast<unsigned char>(s[0])];
  for (uint32_t i = 1; n >= 0; ++i) {
    if (token[static_cast<size_t>(n)] >= 0) best = {token[static_cast<size_t>(n)], i};
    if (i == s.size()) break;
    const auto b = static_cast<uint8_t>(s[i]);
    const uint32_t lo = first[static_cast<size_t>(n)], hi = first[static_cast<size_t>(n) + 1];
    int32_t next = -1;
    if (hi - lo <= 8) {  // most nodes have a few children: a linear scan beats a binary search
      for (uint32_t k = lo; k < hi; ++k) {
        if (byte[k] == b) {
          next = child[k];
          break;
        }
      }
    } else {
      const auto* e = std::lower_bound(byte.data() + lo, byte.data() + hi, b);
      if (e != byte.data() + hi && *e == b) next = child[static_cast<size_t>(e - byte.data())];
    }
    n = next;
  }
  return best;
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

void WordPiece::unk(std::vector<ModelToken>& out, size_t first, uint32_t n) const {
  ATTN_CHECK_KIND(Format, unk_id_ >= 0, "WordPiece: unk_token '{}' is not in the vocabulary",
                  options_.unk_token);
  out.resize(first);
  out.push_back({unk_id_, 0, n});
}

namespace {

size_t count_chars(std::string_view s) {
  size_t chars = 0;
  for (char c : s) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return chars;
}

}  // namespace

void WordPiece::tokenize(std::string_view word, std::vector<ModelToken>& out) const {
  const auto n = static_cast<uint32_t>(word.size());
  const size_t first = out.size();
  if (n > options_.max_input_chars_per_word && count_chars(word) > options_.max_input_chars_per_word) {
    return unk(out, first, n);
  }
  for (uint32_t start = 0; start < n;) {
    const auto [id, len] = (start == 0 ? start_trie_ : continuation_trie_).longest_prefix(word.substr(start));
    if (id < 0) return unk(out, first, n);
    out.push_back({id, start, start + len});
    start += len;
  }
}

void WordPiece::tokenize_reference(std::string_view word, std::vector<ModelToken>& out) const {
  const auto n = static_cast<uint32_t>(word.size());
  const size_t first = out.size();
  if (count_chars(word) > options_.max_input_chars_per_word) return unk(out, first, n);
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
    if (!found) return unk(out, first, n);
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
