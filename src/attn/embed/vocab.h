// attn/embed/vocab.h — the word list of a corpus: counts, min_count pruning, and a fast word → id index.
//
// Ids are assigned by descending count, ties in order of first occurrence (as gensim does), so id 0 is the
// most frequent word. Word2Vec and GloVe both build one Vocab by streaming the corpus once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace attn::embed {

// Open-addressing hash index from words to ids (linear probing, power-of-two table, load ≤ 0.5). It holds
// only ids, so the word list it was built from is passed to find() (and the owner stays movable).
class WordIndex {
 public:
  void build(const std::vector<std::string>& words);
  // -1 if absent.
  int32_t find(std::string_view word, const std::vector<std::string>& words) const;

 private:
  std::vector<int32_t> slots_;
  uint64_t mask_ = 0;
};

struct Vocab {
  std::vector<std::string> words;  // (V) by descending count
  std::vector<int64_t> counts;     // (V)
  int64_t total_words = 0;         // sum of counts of kept words (word2vec.c's train_words)
  int64_t corpus_words = 0;        // every token of the corpus, kept or not
  int64_t corpus_lines = 0;
  WordIndex index;

  int64_t size() const { return static_cast<int64_t>(words.size()); }
  int32_t find(std::string_view word) const { return index.find(word, words); }
};

// Counts every token of the file and keeps words seen at least min_count times (at most max_size words if
// max_size > 0). Throws attn::Error naming the file if it cannot be read, is empty, or no word survives.
Vocab build_vocab(const std::string& path, int64_t min_count, int64_t max_size = 0);

// FNV-1a: a simple, well-mixed hash for short byte strings.
uint64_t hash_word(std::string_view word);

}  // namespace attn::embed
