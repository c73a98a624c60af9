// attn/embed/word2vec.h — Word2Vec training: CBOW and skip-gram, with negative sampling and/or hierarchical
// softmax, frequent-word subsampling, min_count, word2vec.c's random window reduction, linear learning-rate
// decay over all epochs, and lock-free (Hogwild) threads that each stream their own byte range of the file.
//
// The algorithm is word2vec.c's (Mikolov et al. 2013, https://github.com/tmikolov/word2vec) line for line;
// the loops over a row are written to vectorise (simd.h). Differences, on purpose:
//   * no "</s>" word: a line ends a sentence and is not itself a token;
//   * negatives are drawn from the same unigram^0.75 distribution by the alias method (UnigramSampler)
//     instead of a 1e8-slot table (400 MB, one cache miss per draw): exact, and ~1.5× faster overall;
//   * every random draw (window reduction, subsampling, initialisation, negatives) uses the high bits of
//     mix64(LCG state) instead of the LCG's low bits, whose short periods word2vec.c lives with;
//   * the learning rate is refreshed after every sentence instead of every 10,000 words.
// With threads = 1 and a fixed seed, training is bit-for-bit repeatable.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "attn/embed/keyed_vectors.h"

namespace attn::embed {

enum class Word2VecModel { SkipGram, Cbow };

struct Word2VecOptions {
  Word2VecModel model = Word2VecModel::SkipGram;
  int64_t dim = 100;      // -dim
  int window = 5;         // -window: at most this many words either side
  int negative = 5;       // -neg: negative samples per target; 0 disables negative sampling
  bool hs = false;        // -hs: hierarchical softmax
  double sample = 1e-3;   // -sample: subsampling threshold t; 0 disables
  int64_t min_count = 5;  // -min-count
  int epochs = 5;         // -epoch
  int threads = 0;        // -threads; 0 = attn::get_num_threads()
  float alpha = -1;       // -alpha; < 0 = 0.025 (skip-gram) or 0.05 (CBOW), word2vec.c's defaults
  uint64_t seed = 1;      // -seed
  bool progress = true;   // draw the progress line on stderr
};

struct Word2VecStats {
  int64_t vocab_size = 0;
  int64_t corpus_words = 0;   // tokens in the file
  int64_t trained_words = 0;  // in-vocabulary words read over all epochs (before subsampling)
  double vocab_seconds = 0;
  double train_seconds = 0;
  double words_per_second() const { return train_seconds > 0 ? trained_words / train_seconds : 0; }
};

struct Word2VecResult {
  KeyedVectors vectors;  // the input vectors (syn0), as word2vec.c and gensim save them
  Word2VecStats stats;
};

// Trains on the whitespace-tokenised UTF-8 file `input`. Throws attn::Error for a missing or empty file, a
// corpus with no word left after min_count, or invalid options.
Word2VecResult train_word2vec(const std::string& input, const Word2VecOptions& options);

const char* model_name(Word2VecModel model);

}  // namespace attn::embed
