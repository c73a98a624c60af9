// attn/embed/sampling.h — the sampling machinery of word2vec.c, formula for formula:
//   * the unigram^0.75 table that negative samples are drawn from (InitUnigramTable),
//   * the Huffman tree of hierarchical softmax (CreateBinaryTree): each word's code bits and inner nodes,
//   * the frequent-word subsampling keep probability, ((sqrt(f/t) + 1) · t/f with f = count/total,
//   * the sigmoid lookup table (EXP_TABLE_SIZE 1000 over [-MAX_EXP, MAX_EXP], MAX_EXP 6),
//   * word2vec.c's linear congruential generator, next = next · 25214903917 + 11.
// Reference: https://github.com/tmikolov/word2vec/blob/master/word2vec.c
#pragma once

#include <cstdint>
#include <vector>

namespace attn::embed {

// word2vec.c's generator; one per thread, seeded with seed + thread id.
struct Lcg {
  uint64_t state;
  uint64_t next() {
    state = state * 25214903917ull + 11;
    return state;
  }
};

// word2vec.c's negative-sampling table: word i fills a share of the slots proportional to count_i^power.
// Kept as the reference that UnigramSampler is tested against (tests/embed/sampling_test.cpp).
std::vector<int32_t> make_unigram_table(const std::vector<int64_t>& counts, int64_t table_size,
                                        double power = 0.75);

// Draws word i with probability count_i^power / Σ_j count_j^power — the distribution of word2vec.c's table,
// without its quantisation — in O(1) by Vose's alias method. The two (V) arrays stay in cache, whereas a
// uniformly random slot of the 10^7–10^8-entry table (40–400 MB) misses cache on every negative sample,
// which made training ~1.5× slower.
class UnigramSampler {
 public:
  UnigramSampler() = default;
  explicit UnigramSampler(const std::vector<int64_t>& counts, double power = 0.75);
  // bits: 64 well-mixed random bits (see mix64); the high half picks a column, the low half the side.
  int32_t operator()(uint64_t bits) const {
    const auto column = static_cast<uint32_t>(((bits >> 32) * n_) >> 32);  // uniform in [0, V)
    const Entry& e = entries_[column];
    return static_cast<uint32_t>(bits) < e.threshold ? static_cast<int32_t>(column) : e.alias;
  }
  // The probability of drawing word i that the tables imply (exact up to 2^-32 per column).
  double probability(int32_t i) const;
  int64_t size() const { return static_cast<int64_t>(n_); }

 private:
  struct Entry {
    uint32_t threshold;  // keep the column's own word iff low 32 bits < threshold
    int32_t alias;
  };
  std::vector<Entry> entries_;
  uint64_t n_ = 0;
};

// A bijective 64-bit finaliser (MurmurHash3's fmix64): turns successive LCG states, whose low bits are weak,
// into well-mixed bits.
inline uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 33)) * 0xff51afd7ed558ccdull;
  z = (z ^ (z >> 33)) * 0xc4ceb9fe1a85ec53ull;
  return z ^ (z >> 33);
}

// Hierarchical softmax: for word w, codes[w] are the bits (0/1) on the path from the root and points[w] the
// inner-node ids (rows of syn1), both root first, as word2vec.c's vocab[w].code / vocab[w].point.
struct HuffmanTree {
  std::vector<std::vector<uint8_t>> codes;
  std::vector<std::vector<int32_t>> points;
};
// `counts` must be sorted by descending count (Vocab's order), as word2vec.c requires.
HuffmanTree make_huffman_tree(const std::vector<int64_t>& counts);

// Probability that one occurrence of a word with `count` is kept when subsampling with threshold `sample`
// among `total` words (may exceed 1: then the word is always kept). sample <= 0 keeps everything.
double subsample_keep_probability(int64_t count, double sample, int64_t total);
// The same as a threshold on 16 random bits: keep iff (rand & 0xFFFF) <= threshold (65536 = always).
uint32_t subsample_threshold(int64_t count, double sample, int64_t total);

// sigmoid(x) for x in (-kMaxExp, kMaxExp) by table lookup, exactly as word2vec.c's expTable.
constexpr int kExpTableSize = 1000;
constexpr float kMaxExp = 6.0f;
class SigmoidTable {
 public:
  SigmoidTable();
  float operator()(float x) const {
    return table_[static_cast<int>((x + kMaxExp) * (kExpTableSize / kMaxExp / 2))];
  }

 private:
  float table_[kExpTableSize + 1];
};

}  // namespace attn::embed
