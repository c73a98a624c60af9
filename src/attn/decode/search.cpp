// decode::greedy_search and decode::beam_search over the Decoder interface.
#include "attn/decode/search.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "attn/autograd/grad_mode.h"
#include "attn/tensor/creation.h"

namespace attn::decode {

namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

double length_penalty(int64_t length, double alpha) {
  return alpha == 0.0 ? 1.0 : std::pow((5.0 + static_cast<double>(length)) / 6.0, alpha);
}

Tensor ids_tensor(const std::vector<int64_t>& ids) { return from_vector<int64_t>(ids); }

}  // namespace

DecodingResult greedy_search(Decoder& decoder, const Tensor& memory, const Tensor& memory_mask,
                             const SearchOptions& o) {
  NoGradGuard no_grad;
  const int64_t B = memory.size(0);
  State state = decoder.initial_state(memory, memory_mask);
  DecodingResult r{std::vector<std::vector<int64_t>>(B), std::vector<double>(B, 0.0)};
  std::vector<int64_t> last(B, o.bos_id);
  std::vector<bool> done(B, false);
  for (int64_t t = 0; t < o.max_length; ++t) {
    const auto logp = to_vector<float>(decoder.step(ids_tensor(last), state));  // (B, V)
    const int64_t V = static_cast<int64_t>(logp.size()) / B;
    for (int64_t b = 0; b < B; ++b) {
      if (done[b]) continue;  // keeps feeding its [EOS]; the output is ignored
      const float* row = logp.data() + b * V;
      const int64_t best = std::max_element(row, row + V) - row;  // the first maximum, as torch.argmax
      r.scores[b] += row[best];
      last[b] = best;
      if (best == o.eos_id)
        done[b] = true;
      else
        r.hypotheses[b].push_back(best);
    }
    if (std::all_of(done.begin(), done.end(), [](bool d) { return d; })) break;
  }
  return r;
}

namespace {

struct Finished {
  double score;  // length-normalised
  std::vector<int64_t> tokens;
};

struct Candidate {
  double score;
  int64_t beam, token;
};

// The 2K best continuations of sentence b's K beams (2K so that K survive even if K of them end).
std::vector<Candidate> top_candidates(const std::vector<float>& logp, int64_t V, int64_t b, int64_t K,
                                      const std::vector<double>& beam_score) {
  std::vector<Candidate> c;
  c.reserve(static_cast<size_t>(K * V));
  for (int64_t k = 0; k < K; ++k) {
    const double s = beam_score[b * K + k];
    if (s == kNegInf) continue;
    const float* row = logp.data() + (b * K + k) * V;
    for (int64_t v = 0; v < V; ++v) c.push_back({s + row[v], k, v});
  }
  const size_t n = std::min(c.size(), static_cast<size_t>(2 * K));
  std::partial_sort(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(n), c.end(),
                    [](const Candidate& a, const Candidate& z) {
                      return a.score != z.score ? a.score > z.score
                                                : a.beam * 1000003 + a.token < z.beam * 1000003 + z.token;
                    });
  c.resize(n);
  return c;
}

}  // namespace

DecodingResult beam_search(Decoder& decoder, const Tensor& memory, const Tensor& memory_mask,
                           const SearchOptions& o) {
  NoGradGuard no_grad;
  const int64_t B = memory.size(0), K = o.beam_size;
  ATTN_CHECK(K >= 1, "beam_search: beam_size must be at least 1, got {}", K);
  State state = decoder.initial_state(memory, memory_mask);
  std::vector<int64_t> replicate(static_cast<size_t>(B * K));
  for (int64_t i = 0; i < B * K; ++i) replicate[i] = i / K;
  decoder.reorder(state, ids_tensor(replicate));  // N = B·K rows, beam k of sentence b at row b·K + k

  std::vector<double> beam_score(B * K, kNegInf);           // log P of each active hypothesis
  for (int64_t b = 0; b < B; ++b) beam_score[b * K] = 0.0;  // one live beam at the start: no duplicates
  std::vector<std::vector<int64_t>> tokens(B * K);
  std::vector<int64_t> last(B * K, o.bos_id);
  std::vector<std::vector<Finished>> finished(B);
  std::vector<bool> done(B, false);

  for (int64_t t = 0; t < o.max_length; ++t) {
    const auto logp = to_vector<float>(decoder.step(ids_tensor(last), state));  // (N, V)
    const int64_t V = static_cast<int64_t>(logp.size()) / (B * K);
    std::vector<int64_t> source(B * K), next(B * K, o.eos_id);
    std::vector<double> next_score(B * K, kNegInf);
    std::vector<std::vector<int64_t>> next_tokens(B * K);
    for (int64_t b = 0; b < B; ++b) {
      for (int64_t k = 0; k < K; ++k) source[b * K + k] = b * K;  // dead rows: anything valid
      if (done[b]) continue;
      int64_t kept = 0;
      bool best_ended = false;
      const auto cands = top_candidates(logp, V, b, K, beam_score);
      for (size_t i = 0; i < cands.size() && kept < K; ++i) {
        const Candidate& c = cands[i];
        const auto& prefix = tokens[b * K + c.beam];
        if (c.token == o.eos_id) {
          // Only an ending among the K best counts (as HF's BeamSearchScorer), so a long tail of unlikely
          // endings cannot fill the finished list.
          if (static_cast<int64_t>(i) < K)
            finished[b].push_back({c.score / length_penalty(t + 1, o.length_penalty), prefix});
          best_ended = best_ended || i == 0;
          continue;
        }
        const int64_t row = b * K + kept++;
        source[row] = b * K + c.beam;
        next[row] = c.token;
        next_score[row] = c.score;
        next_tokens[row] = prefix;
        next_tokens[row].push_back(c.token);
      }
      if (o.early_stop) {
        // CTranslate2's rule: stop when the best-scoring continuation is an ending. (Stopping as soon as K
        // hypotheses have ended, HF's early_stopping=True, lets short, unlikely endings win.)
        done[b] = best_ended;
      } else if (static_cast<int64_t>(finished[b].size()) >= K) {
        double best_fin = kNegInf;
        for (const auto& f : finished[b]) best_fin = std::max(best_fin, f.score);
        done[b] = best_fin >= next_score[b * K] / length_penalty(t + 1, o.length_penalty);
      }
      if (done[b]) std::fill(next_score.begin() + b * K, next_score.begin() + (b + 1) * K, kNegInf);
    }
    beam_score = next_score;
    tokens = next_tokens;
    last = next;
    if (std::all_of(done.begin(), done.end(), [](bool d) { return d; })) break;
    decoder.reorder(state, ids_tensor(source));
  }

  DecodingResult r{std::vector<std::vector<int64_t>>(B), std::vector<double>(B, kNegInf)};
  for (int64_t b = 0; b < B; ++b) {
    auto& fin = finished[b];
    if (!done[b]) {  // max_length reached: the live beams compete too
      for (int64_t k = 0; k < K; ++k) {
        const double s = beam_score[b * K + k];
        if (s != kNegInf)
          fin.push_back({s / length_penalty(static_cast<int64_t>(tokens[b * K + k].size()), o.length_penalty),
                         tokens[b * K + k]});
      }
    }
    for (const auto& f : fin) {
      if (f.score > r.scores[b]) r.scores[b] = f.score, r.hypotheses[b] = f.tokens;
    }
  }
  return r;
}

}  // namespace attn::decode
