// attn/embed/keyed_vectors.h — a trained embedding: words, their vectors, and the queries people ask of
// them (cosine neighbours, analogies). Named after gensim's KeyedVectors, which it mirrors.
//
// Vectors are stored row-major (V, D) as trained; unit-length copies are kept beside them for cosine
// queries. Words are looked up exactly (case-sensitive, UTF-8 bytes).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "attn/embed/vocab.h"

namespace attn::embed {

struct Neighbor {
  int32_t id;
  std::string word;
  float score;
};

enum class AnalogyMethod { CosAdd, CosMul };

class KeyedVectors {
 public:
  KeyedVectors() = default;
  // vectors: (V, D) row-major. Throws attn::Error if sizes disagree.
  KeyedVectors(std::vector<std::string> words, int64_t dim, std::vector<float> vectors);

  int64_t size() const { return static_cast<int64_t>(words_.size()); }
  int64_t dim() const { return dim_; }
  const std::vector<std::string>& words() const { return words_; }
  const std::string& word(int64_t id) const { return words_[id]; }
  int32_t find(std::string_view word) const { return index_.find(word, words_); }
  // (D) the raw vector and its unit-length copy.
  const float* vector(int64_t id) const { return vectors_.data() + id * dim_; }
  const float* unit_vector(int64_t id) const { return unit_.data() + id * dim_; }
  std::span<const float> data() const { return vectors_; }

  // Id of `word`, or attn::Error "… 'word' is not in the vocabulary (V words)".
  int32_t id_of(std::string_view word) const;
  // cos(a, b).
  float similarity(std::string_view a, std::string_view b) const;
  // The k words closest (by cosine) to `query` (D, need not be unit), skipping ids in `exclude`; only the
  // first `restrict_vocab` words are searched when it is > 0 (they are the most frequent ones).
  std::vector<Neighbor> nearest(const float* query, int k, std::span<const int32_t> exclude = {},
                                int64_t restrict_vocab = 0) const;
  // most_similar("king", k): neighbours of a word, without the word itself.
  std::vector<Neighbor> most_similar(std::string_view word, int k) const;
  // a : b :: c : ?  — the words d maximising, over unit vectors,
  //   CosAdd: cos(d, b) − cos(d, a) + cos(d, c)              (Mikolov et al. 2013, word2vec's "b − a + c")
  //   CosMul: cos'(d, b) · cos'(d, c) / (cos'(d, a) + 0.001) with cos' = (cos + 1) / 2 (Levy & Goldberg 2014)
  // a, b, c themselves are excluded, as in word2vec's compute-accuracy and gensim.
  std::vector<Neighbor> analogy(int32_t a, int32_t b, int32_t c, int k, AnalogyMethod method,
                                int64_t restrict_vocab = 0) const;

 private:
  std::vector<std::string> words_;
  int64_t dim_ = 0;
  std::vector<float> vectors_;  // (V, D)
  std::vector<float> unit_;     // (V, D) rows scaled to length 1 (zero rows stay zero)
  WordIndex index_;
};

}  // namespace attn::embed
