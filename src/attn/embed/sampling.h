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

// Negative-sampling table: word i fills a share of the slots proportional to count_i^power.
std::vector<int32_t> make_unigram_table(const std::vector<int64_t>& counts, int64_t table_size,
                                        double power = 0.75);

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
