// attn/decode/search.h — greedy and beam search, written once against decode::Decoder, batched over
// sentences (and over beams: N = B·K hypotheses run as one batch through the model).
#pragma once

#include <cstdint>
#include <vector>

#include "attn/decode/decoder.h"

namespace attn::decode {

struct SearchOptions {
  int64_t bos_id = 5, eos_id = 6;  // text::Vocab's [BOS] / [EOS]
  int64_t max_length = 100;        // generated tokens, [EOS] included
  int64_t beam_size = 4;
  // GNMT's length penalty (Wu et al. 2016, eq. 14), used by the paper with α = 0.6 (§6.1):
  //   score(Y) = log P(Y) / lp(Y),  lp(Y) = ((5 + |Y|) / 6)^α;   α = 0: plain log-probability.
  double length_penalty = 0.6;
  // true: a sentence is done as soon as its best-scoring continuation is [EOS] (CTranslate2). false: it goes
  // on until beam_size hypotheses have ended and no live beam can beat the best of them (HF's
  // early_stopping=False heuristic), or until max_length.
  bool early_stop = true;
};

struct DecodingResult {
  std::vector<std::vector<int64_t>> hypotheses;  // (B) best token ids each, without [BOS] and [EOS]
  std::vector<double> scores;                    // (B) log-probability (greedy) or length-normalised score
};

// Argmax at each step until [EOS] or max_length. memory: (B, S, C), memory_mask: (B, 1, 1, S).
DecodingResult greedy_search(Decoder& decoder, const Tensor& memory, const Tensor& memory_mask,
                             const SearchOptions& options = {});

// Keeps the beam_size best partial hypotheses per sentence (sum of log-probabilities) and returns the
// finished one with the best length-normalised score.
DecodingResult beam_search(Decoder& decoder, const Tensor& memory, const Tensor& memory_mask,
                           const SearchOptions& options = {});

}  // namespace attn::decode
