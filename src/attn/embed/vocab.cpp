#include "attn/embed/vocab.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>

#include "attn/core/error.h"
#include "attn/embed/token_reader.h"

namespace attn::embed {

uint64_t hash_word(std::string_view word) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : word) h = (h ^ c) * 1099511628211ull;
  return h ^ (h >> 29);
}

void WordIndex::build(const std::vector<std::string>& words) {
  uint64_t n = 16;
  while (n < 2 * words.size()) n *= 2;
  slots_.assign(n, -1);
  mask_ = n - 1;
  for (size_t i = 0; i < words.size(); ++i) {
    uint64_t h = hash_word(words[i]) & mask_;
    while (slots_[h] >= 0) h = (h + 1) & mask_;
    slots_[h] = static_cast<int32_t>(i);
  }
}

int32_t WordIndex::find(std::string_view word, const std::vector<std::string>& words) const {
  if (slots_.empty()) return -1;
  uint64_t h = hash_word(word) & mask_;
  while (true) {
    const int32_t id = slots_[h];
    if (id < 0 || words[id] == word) return id;
    h = (h + 1) & mask_;
  }
}

namespace {
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return hash_word(s); }
};
}  // namespace

Vocab build_vocab(const std::string& path, int64_t min_count, int64_t max_size) {
  std::unordered_map<std::string, int32_t, StringHash, std::equal_to<>> ids;
  std::vector<std::string> words;
  std::vector<int64_t> counts;
  Vocab vocab;
  TokenReader reader(path);
  std::string_view tok;
  for (auto kind = reader.next(tok); kind != TokenReader::Kind::EndOfRange; kind = reader.next(tok)) {
    if (kind == TokenReader::Kind::EndOfLine) {
      ++vocab.corpus_lines;
      continue;
    }
    ++vocab.corpus_words;
    auto it = ids.find(tok);
    if (it == ids.end()) {
      it = ids.emplace(std::string(tok), static_cast<int32_t>(words.size())).first;
      words.emplace_back(tok);
      counts.push_back(0);
    }
    ++counts[it->second];
  }
  ATTN_CHECK_KIND(Format, vocab.corpus_words > 0, "{}: the corpus is empty (no whitespace-separated words)",
                  path);
  std::vector<int32_t> order(words.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return counts[a] > counts[b]; });
  for (int32_t id : order) {
    if (counts[id] < min_count) break;
    if (max_size > 0 && vocab.size() >= max_size) break;
    vocab.words.push_back(std::move(words[id]));
    vocab.counts.push_back(counts[id]);
    vocab.total_words += counts[id];
  }
  ATTN_CHECK_KIND(Format, !vocab.words.empty(),
                  "{}: no word occurs at least min_count={} times ({} tokens, {} distinct); lower -min-count",
                  path, min_count, vocab.corpus_words, words.size());
  vocab.index.build(vocab.words);
  return vocab;
}

}  // namespace attn::embed
