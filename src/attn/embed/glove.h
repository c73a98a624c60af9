// attn/embed/glove.h — GloVe (Pennington, Socher & Manning 2014): vectors fitted to log co-occurrences.
//
//   J = Σ_{i,j: X_ij > 0} f(X_ij) (w_i·w̃_j + b_i + b̃_j − log X_ij)²,   f(x) = min(1, (x / x_max)^α)
//
// trained by AdaGrad over the shuffled non-zeros of X with Hogwild threads, exactly as the reference glove.c
// (https://github.com/stanfordnlp/GloVe): same initialisation scale, gradient clipping at 100,
// squared-gradient accumulators starting at 1. The pipeline is vocab → co-occurrence (bounded memory,
// cooccurrence.h) → shuffle → train; the output is W + W̃ (the reference's -model 2) or W alone.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "attn/embed/keyed_vectors.h"

namespace attn::embed {

struct GloveOptions {
  int64_t dim = 100;           // -dim
  int window = 15;             // -window (symmetric, 1/distance weighting)
  int64_t min_count = 5;       // -min-count
  int epochs = 15;             // -epoch
  double x_max = 100.0;        // -x-max
  double alpha = 0.75;         // -alpha: exponent of f
  double eta = 0.05;           // -eta: AdaGrad learning rate
  int threads = 0;             // -threads; 0 = attn::get_num_threads()
  uint64_t seed = 1;           // -seed
  int64_t memory_mb = 1024;    // -memory: budget for counting and shuffling
  bool sum_context = true;     // output W + W̃ (false: W only)
  std::string temp_dir = ".";  // spill files (removed afterwards)
  bool progress = true;
};

struct GloveStats {
  int64_t vocab_size = 0;
  int64_t corpus_words = 0;
  int64_t nonzeros = 0;
  int64_t spills = 0;
  double vocab_seconds = 0, cooccur_seconds = 0, shuffle_seconds = 0, train_seconds = 0;
  std::vector<double> epoch_cost;  // mean ½·f·diff² per non-zero, per epoch
};

struct GloveResult {
  KeyedVectors vectors;
  GloveStats stats;
};

GloveResult train_glove(const std::string& input, const GloveOptions& options);

// One AdaGrad step on one non-zero X_ij = x (glove.c's inner loop). w and c are (D + 1) rows: the word
// vector w_i and context vector w̃_j with their biases at index D; gw and gc their squared-gradient sums.
//   diff = w·c + b_w + b_c − log x;  fdiff = f(x)·diff;  g = eta·fdiff·(other row), clipped to ±100
//   w -= g_w / sqrt(gw);  gw += g_w²  (and likewise for c and the biases)
// Returns the cost ½·f(x)·diff². Exposed for the test against a numpy transcription.
double glove_adagrad_step(float* w, float* c, float* gw, float* gc, int64_t D, double x, double x_max,
                          double alpha, double eta);

}  // namespace attn::embed
