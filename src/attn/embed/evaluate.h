// attn/embed/evaluate.h — intrinsic evaluation of word vectors.
//
// Word similarity: Spearman's ρ between a set's human scores and the vectors' cosines (ties get average
// ranks, as scipy.stats.spearmanr), over the pairs whose two words are both in the vocabulary; the others are
// counted as OOV and skipped (gensim's evaluate_word_pairs with dummy4unknown=False).
// Analogy: word2vec's compute-accuracy protocol — only the first `restrict_vocab` (30,000) words are used;
// a question with any word outside them is skipped; the answer is the best word other than a, b, c, by
// 3CosAdd or 3CosMul; accuracy per ": section", for semantic / syntactic ("gram*") sections, and in total.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "attn/embed/keyed_vectors.h"

namespace attn::embed {

// Spearman rank correlation of x and y (same length ≥ 2).
double spearman(std::span<const double> x, std::span<const double> y);
// Ranks 1..n, ties averaged (scipy.stats.rankdata "average").
std::vector<double> rank_average(std::span<const double> x);

struct WordPairResult {
  std::string name;
  int64_t pairs = 0;  // lines in the file
  int64_t oov = 0;    // pairs skipped because a word is missing
  double spearman = 0;
};

// File: "word1 word2 score" per line, separated by tabs, spaces or commas (WordSim-353, SimLex-999, MEN,
// Korean WS-353 csv); lines starting with '#' and a header line whose score is not a number are skipped.
// Words are looked up as written, then lower-cased.
WordPairResult evaluate_word_pairs(const KeyedVectors& kv, const std::string& path);

struct AnalogySection {
  std::string name;
  int64_t questions = 0;  // in the file
  int64_t seen = 0;       // all four words within restrict_vocab
  int64_t correct = 0;
  double accuracy() const { return seen > 0 ? static_cast<double>(correct) / seen : 0.0; }
};

struct AnalogyResult {
  AnalogyMethod method = AnalogyMethod::CosAdd;
  std::vector<AnalogySection> sections;  // in file order
  AnalogySection semantic{"semantic"}, syntactic{"syntactic"}, total{"total"};
  std::vector<int32_t> predictions;  // per question line: predicted id, or -1 if skipped
};

// File: ": section" headers, then "a b c d" per line (questions-words.txt). Words are looked up as written,
// then lower-cased (the Google set is capitalised). Throws attn::Error (Io) if the file cannot be read.
AnalogyResult evaluate_analogies(const KeyedVectors& kv, const std::string& path, AnalogyMethod method,
                                 int64_t restrict_vocab = 30000);

}  // namespace attn::embed
