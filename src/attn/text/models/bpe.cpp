// attn/text/models/bpe.cpp — see bpe.h.
#include "attn/text/models/bpe.h"

#include <atomic>
#include <queue>

#include "attn/core/error.h"
#include "attn/text/unicode.h"

namespace attn::text {
namespace {

std::atomic<uint64_t> g_next_instance{1};

uint64_t pair_key(int32_t a, int32_t b) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
}

std::array<char32_t, 256> byte_chars() {
  std::array<char32_t, 256> t{};
  int n = 0;
  for (int b = 0; b < 256; ++b) {
    const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    t[static_cast<size_t>(b)] = printable ? static_cast<char32_t>(b) : static_cast<char32_t>(256 + n++);
  }
  return t;
}

}  // namespace

const std::array<std::string, 256>& byte_to_unicode() {
  static const std::array<std::string, 256> table = [] {
    std::array<std::string, 256> t;
    const auto chars = byte_chars();
    for (size_t b = 0; b < 256; ++b) append_utf8(t[b], chars[b]);
    return t;
  }();
  return table;
}

int unicode_to_byte(char32_t c) {
  static const auto chars = byte_chars();
  if (c < 0x21 || c > 0x143) return -1;
  for (int b = 0; b < 256; ++b) {
    if (chars[static_cast<size_t>(b)] == c) return b;
  }
  return -1;
}

Bpe::Bpe(std::vector<std::string> vocab, std::vector<std::pair<std::string, std::string>> merges,
         BpeOptions options)
    : vocab_(std::move(vocab)),
      merges_(std::move(merges)),
      options_(std::move(options)),
      instance_(g_next_instance++) {
  ids_.reserve(vocab_.size());
  for (size_t i = 0; i < vocab_.size(); ++i) ids_.insert_or_assign(vocab_[i], static_cast<int32_t>(i));
  const std::string& prefix = options_.continuing_subword_prefix;
  for (size_t r = 0; r < merges_.size(); ++r) {
    const auto& [a, b] = merges_[r];
    auto ia = ids_.find(a), ib = ids_.find(b);
    // HF: the right part of a merge drops the continuing prefix before the merged token is looked up.
    const std::string merged =
        a + (!prefix.empty() && b.compare(0, prefix.size(), prefix) == 0 ? b.substr(prefix.size()) : b);
    auto im = ids_.find(merged);
    ATTN_CHECK_KIND(Format, ia != ids_.end() && ib != ids_.end() && im != ids_.end(),
                    "BPE: merge {} ('{}' '{}') uses a token missing from the vocabulary", r, a, b);
    ranks_.emplace(pair_key(ia->second, ib->second), std::make_pair(static_cast<int32_t>(r), im->second));
  }
  const auto& table = byte_to_unicode();
  for (size_t b = 0; b < 256; ++b) {
    auto it = ids_.find(table[b]);
    byte_ids_[b] = it == ids_.end() ? -1 : it->second;
  }
}

// The word's starting symbols: its bytes (byte-level) or characters, each looked up in the vocabulary, with
// HF's handling of unknown characters (byte_fallback, unk_token, fuse_unk; dropped if there is no unk).
void Bpe::initial_symbols(std::string_view word, std::vector<Symbol>& sym) const {
  auto add = [&](int32_t id, uint32_t begin, uint32_t end) {
    sym.push_back({id, begin, end, static_cast<int>(sym.size()) - 1, static_cast<int>(sym.size()) + 1});
  };
  if (options_.byte_level) {
    for (uint32_t i = 0; i < word.size(); ++i) {
      const int32_t id = byte_ids_[static_cast<unsigned char>(word[i])];
      if (id >= 0) add(id, i, i + 1);  // a byte without a symbol is dropped, as HF without unk_token
    }
    return;
  }
  int32_t unk_id = -1;
  uint32_t unk_begin = 0, unk_end = 0;
  std::string s;
  for (size_t i = 0; i < word.size();) {
    const auto begin = static_cast<uint32_t>(i);
    decode_utf8(word, i);
    const auto end = static_cast<uint32_t>(i);
    s.assign(begin > 0 ? options_.continuing_subword_prefix : "");
    s.append(word.substr(begin, end - begin));
    if (end == word.size()) s += options_.end_of_word_suffix;
    if (auto it = ids_.find(s); it != ids_.end()) {
      if (unk_id >= 0) add(unk_id, unk_begin, unk_end), unk_id = -1;
      add(it->second, begin, end);
      continue;
    }
    if (options_.byte_fallback) {
      std::vector<int32_t> bytes;
      for (unsigned char b : s) {
        auto ib = ids_.find(fmt::format("<0x{:02X}>", b));
        if (ib == ids_.end()) break;
        bytes.push_back(ib->second);
      }
      if (bytes.size() == s.size()) {
        for (int32_t id : bytes) add(id, begin, end);
        continue;
      }
    }
    if (options_.unk_token.empty()) continue;
    auto iu = ids_.find(options_.unk_token);
    ATTN_CHECK_KIND(Format, iu != ids_.end(), "BPE: unk_token '{}' is not in the vocabulary",
                    options_.unk_token);
    if (unk_id >= 0 && options_.fuse_unk) {
      unk_end = end;
    } else {
      if (unk_id >= 0) add(unk_id, unk_begin, unk_end);
      unk_id = iu->second, unk_begin = begin, unk_end = end;
    }
  }
  if (unk_id >= 0) add(unk_id, unk_begin, unk_end);
}

// Merges the ranked pair with the lowest rank (leftmost first) until none is left: a min-heap of candidate
// merges over a linked list of symbols; entries made stale by an earlier merge are skipped when popped.
void Bpe::merge(std::vector<Symbol>& sym) const {
  using Cand = std::tuple<int32_t, int, int32_t, int32_t, int32_t>;  // rank, left, left id, right id, merged
  std::priority_queue<Cand, std::vector<Cand>, std::greater<>> heap;
  auto push = [&](int left) {
    const int right = sym[static_cast<size_t>(left)].next;
    if (right < 0) return;
    const int32_t a = sym[static_cast<size_t>(left)].id, b = sym[static_cast<size_t>(right)].id;
    if (auto it = ranks_.find(pair_key(a, b)); it != ranks_.end()) {
      heap.emplace(it->second.first, left, a, b, it->second.second);
    }
  };
  for (int i = 0; i + 1 < static_cast<int>(sym.size()); ++i) push(i);
  while (!heap.empty()) {
    const auto [rank, left, left_id, right_id, merged] = heap.top();
    heap.pop();
    Symbol& l = sym[static_cast<size_t>(left)];
    if (l.id != left_id || l.next < 0 || sym[static_cast<size_t>(l.next)].id != right_id) continue;  // stale
    Symbol& r = sym[static_cast<size_t>(l.next)];
    l.id = merged;
    l.end = r.end;
    l.next = r.next;
    if (r.next >= 0) sym[static_cast<size_t>(r.next)].prev = left;
    r.id = -1;  // removed
    if (l.prev >= 0) push(l.prev);
    push(left);
  }
}

void Bpe::set_byte_level(bool on) {
  options_.byte_level = on;
  instance_ = g_next_instance++;  // cached words were split the other way
}

void Bpe::tokenize(std::string_view word, std::vector<ModelToken>& out) const {
  struct Cache {  // Hash: Bpe's own transparent string hash (bpe.h)
    uint64_t owner = 0;
    std::unordered_map<std::string, std::vector<ModelToken>, Hash, std::equal_to<>> words;
  };
  constexpr size_t kCacheWords = 10000, kCacheWordBytes = 64;
  thread_local Cache cache;
  if (cache.owner != instance_) cache.words.clear(), cache.owner = instance_;
  if (auto it = cache.words.find(word); it != cache.words.end()) {
    out.insert(out.end(), it->second.begin(), it->second.end());
    return;
  }
  const size_t first = out.size();
  tokenize_uncached(word, out);
  if (cache.words.size() < kCacheWords && word.size() <= kCacheWordBytes) {
    cache.words.emplace(word,
                        std::vector<ModelToken>(out.begin() + static_cast<std::ptrdiff_t>(first), out.end()));
  }
}

void Bpe::tokenize_uncached(std::string_view word, std::vector<ModelToken>& out) const {
  thread_local std::vector<Symbol> sym;
  sym.clear();
  initial_symbols(word, sym);
  if (sym.empty()) return;
  sym.back().next = -1;
  merge(sym);
  for (int i = 0; i >= 0; i = sym[static_cast<size_t>(i)].next) {
    const Symbol& t = sym[static_cast<size_t>(i)];
    out.push_back({t.id, t.begin, t.end});
  }
}

std::optional<int32_t> Bpe::token_to_id(std::string_view token) const {
  auto it = ids_.find(token);
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Bpe::id_to_token(int32_t id) const {
  if (id < 0 || static_cast<size_t>(id) >= vocab_.size()) return std::nullopt;
  return vocab_[static_cast<size_t>(id)];
}

}  // namespace attn::text
