#include "attn/embed/sampling.h"

#include <algorithm>
#include <cmath>

#include "attn/core/error.h"

namespace attn::embed {

std::vector<int32_t> make_unigram_table(const std::vector<int64_t>& counts, int64_t table_size,
                                        double power) {
  ATTN_CHECK(!counts.empty() && table_size > 0, "make_unigram_table: empty vocabulary or table");
  // word2vec.c InitUnigramTable: walk the table, moving to the next word when the slot's position passes
  // that word's cumulative share d1.
  const int64_t V = static_cast<int64_t>(counts.size());
  double train_words_pow = 0;
  for (int64_t c : counts) train_words_pow += std::pow(static_cast<double>(c), power);
  std::vector<int32_t> table(table_size);
  int64_t i = 0;
  double d1 = std::pow(static_cast<double>(counts[0]), power) / train_words_pow;
  for (int64_t a = 0; a < table_size; ++a) {
    table[a] = static_cast<int32_t>(i);
    if (static_cast<double>(a) / static_cast<double>(table_size) > d1) {
      ++i;
      if (i < V) d1 += std::pow(static_cast<double>(counts[i]), power) / train_words_pow;
    }
    if (i >= V) i = V - 1;
  }
  return table;
}

UnigramSampler::UnigramSampler(const std::vector<int64_t>& counts, double power) {
  ATTN_CHECK(!counts.empty(), "UnigramSampler: empty vocabulary");
  n_ = counts.size();
  std::vector<double> q(n_);  // scaled probabilities, mean 1
  double total = 0;
  for (size_t i = 0; i < n_; ++i) total += q[i] = std::pow(static_cast<double>(counts[i]), power);
  for (auto& x : q) x *= static_cast<double>(n_) / total;
  std::vector<int32_t> small, large;
  for (size_t i = 0; i < n_; ++i) (q[i] < 1.0 ? small : large).push_back(static_cast<int32_t>(i));
  entries_.assign(n_, {0xFFFFFFFFu, 0});
  for (size_t i = 0; i < n_; ++i) entries_[i].alias = static_cast<int32_t>(i);
  // Vose: pair each under-full column with an over-full word that tops it up.
  while (!small.empty() && !large.empty()) {
    const int32_t s = small.back(), l = large.back();
    small.pop_back();
    entries_[s].threshold = static_cast<uint32_t>(std::min(q[s] * 4294967296.0, 4294967295.0));
    entries_[s].alias = l;
    q[l] -= 1.0 - q[s];
    if (q[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // Leftovers are full columns (q ≈ 1 up to rounding): they always keep their own word.
}

double UnigramSampler::probability(int32_t i) const {
  double p = 0;
  for (size_t c = 0; c < n_; ++c) {
    const double keep = entries_[c].threshold / 4294967296.0;
    if (static_cast<int32_t>(c) == i) p += keep;
    if (entries_[c].alias == i) p += 1.0 - keep;
  }
  return p / static_cast<double>(n_);
}

HuffmanTree make_huffman_tree(const std::vector<int64_t>& counts) {
  // word2vec.c CreateBinaryTree: leaves 0..V-1 sorted by descending count, inner nodes V..2V-2 created in
  // order of increasing count; two cursors (pos1 down the leaves, pos2 up the inner nodes) pick the two
  // smallest nodes each step. binary[n] = 1 for the second (larger) of the two merged nodes.
  const int64_t V = static_cast<int64_t>(counts.size());
  HuffmanTree tree;
  tree.codes.resize(V);
  tree.points.resize(V);
  if (V < 2) {  // a lone word has an empty code
    return tree;
  }
  std::vector<int64_t> count(2 * V, static_cast<int64_t>(1e15));
  std::vector<int64_t> parent(2 * V, 0);
  std::vector<uint8_t> binary(2 * V, 0);
  for (int64_t a = 0; a < V; ++a) count[a] = counts[a];
  int64_t pos1 = V - 1, pos2 = V;
  for (int64_t a = 0; a < V - 1; ++a) {
    int64_t min[2];
    for (int k = 0; k < 2; ++k) {
      if (pos1 >= 0 && count[pos1] < count[pos2]) {
        min[k] = pos1--;
      } else {
        min[k] = pos2++;
      }
    }
    count[V + a] = count[min[0]] + count[min[1]];
    parent[min[0]] = V + a;
    parent[min[1]] = V + a;
    binary[min[1]] = 1;
  }
  for (int64_t a = 0; a < V; ++a) {
    std::vector<uint8_t> code;
    std::vector<int32_t> point;
    for (int64_t b = a; b != 2 * V - 2; b = parent[b]) {
      code.push_back(binary[b]);
      point.push_back(static_cast<int32_t>(b));
    }
    // Reverse to root-first; points are inner nodes renumbered from 0 (root = V-2), word2vec.c's
    // point[0] = vocab_size - 2 and point[i] = parent - vocab_size.
    const size_t L = code.size();
    tree.codes[a].resize(L);
    tree.points[a].resize(L);
    tree.points[a][0] = static_cast<int32_t>(V - 2);
    for (size_t b = 0; b < L; ++b) {
      tree.codes[a][L - b - 1] = code[b];
      if (b + 1 < L) tree.points[a][L - b - 1] = static_cast<int32_t>(parent[point[b]] - V);
    }
  }
  return tree;
}

double subsample_keep_probability(int64_t count, double sample, int64_t total) {
  if (sample <= 0) return 1.0;
  const double t = sample * static_cast<double>(total);
  const double cn = static_cast<double>(count);
  return (std::sqrt(cn / t) + 1) * t / cn;
}

uint32_t subsample_threshold(int64_t count, double sample, int64_t total) {
  const double p = subsample_keep_probability(count, sample, total);
  if (p >= 1.0) return 65536;
  // word2vec.c keeps iff ran >= (rand & 0xFFFF) / 65536, i.e. (rand & 0xFFFF) <= floor(ran · 65536).
  return static_cast<uint32_t>(std::floor(p * 65536.0));
}

SigmoidTable::SigmoidTable() {
  for (int i = 0; i <= kExpTableSize; ++i) {
    const double e = std::exp((static_cast<double>(i) / kExpTableSize * 2 - 1) * kMaxExp);
    table_[i] = static_cast<float>(e / (e + 1));
  }
}

}  // namespace attn::embed
