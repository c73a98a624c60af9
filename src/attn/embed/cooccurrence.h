// attn/embed/cooccurrence.h — GloVe's word–word co-occurrence matrix, counted in bounded memory.
//
// For every word w2 at position j of a line and every earlier word w1 at position k with j − k ≤ window,
// X[w1, w2] += 1 / (j − k), and (symmetric) X[w2, w1] += 1 / (j − k) — the reference GloVe's cooccur.c
// (Pennington et al. 2014, https://github.com/stanfordnlp/GloVe). Lines do not share windows.
//
// Increments go to an in-memory buffer; when it is full it is sorted by (w1, w2) and duplicates summed, and
// if it is still more than half full it is spilled to a sorted temporary file. The spills are merged
// (k-way, summing duplicates) into one file of CoocRecords sorted by (w1, w2). Memory stays within
// `memory_bytes` whatever the corpus size. shuffle_cooccurrences then shuffles the records for SGD, also in
// bounded memory (shuffle chunks, then interleave random pieces of them, as GloVe's shuffle.c).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "attn/embed/vocab.h"

namespace attn::embed {

// One non-zero of X. 16 bytes, as GloVe's CREC (with 0-based ids).
struct CoocRecord {
  int32_t w1;
  int32_t w2;
  double x;
};

struct CooccurrenceOptions {
  int window = 15;
  bool symmetric = true;
  bool distance_weighting = true;    // 1/d; false counts every pair as 1
  int64_t memory_bytes = 1ll << 30;  // buffer budget
  std::string temp_dir = ".";
};

struct CooccurrenceStats {
  int64_t increments = 0;
  int64_t records = 0;
  int64_t spills = 0;
};

// Counts X over `input` and writes it, sorted, to `output`.
CooccurrenceStats count_cooccurrences(const std::string& input, const Vocab& vocab,
                                      const CooccurrenceOptions& options, const std::string& output);
// Rewrites `input` (a file of CoocRecords) into `output` in random order, using about memory_bytes.
void shuffle_cooccurrences(const std::string& input, const std::string& output, int64_t memory_bytes,
                           uint64_t seed, const std::string& temp_dir = ".");
// Whole file of CoocRecords (tests, small corpora).
std::vector<CoocRecord> read_cooccurrences(const std::string& path);

}  // namespace attn::embed
