// attn/text/batch.cpp — see batch.h.
#include "attn/text/batch.h"

#include <algorithm>
#include <numeric>
#include <random>

#include "attn/core/error.h"

namespace attn::text {

Batch make_batch(std::vector<Encoding> encodings, const PaddingParams& padding) {
  pad_encodings(encodings, padding);
  Batch b;
  b.rows = static_cast<int64_t>(encodings.size());
  b.cols = encodings.empty() ? 0 : static_cast<int64_t>(encodings[0].size());
  for (const Encoding& e : encodings) {
    ATTN_CHECK(static_cast<int64_t>(e.size()) == b.cols,
               "make_batch: encodings of length {} and {} after padding (fixed length too short?)", b.cols,
               e.size());
    b.input_ids.insert(b.input_ids.end(), e.ids.begin(), e.ids.end());
    b.attention_mask.insert(b.attention_mask.end(), e.attention_mask.begin(), e.attention_mask.end());
    b.token_type_ids.insert(b.token_type_ids.end(), e.type_ids.begin(), e.type_ids.end());
  }
  return b;
}

Batcher::Batcher(std::vector<size_t> lengths, std::vector<size_t> pair_lengths, BatcherOptions options)
    : a_(std::move(lengths)), b_(std::move(pair_lengths)), options_(options) {
  ATTN_CHECK(b_.empty() || b_.size() == a_.size(), "Batcher: {} sources but {} targets", a_.size(),
             b_.size());
  ATTN_CHECK(options_.batch_size > 0 || options_.max_tokens > 0,
             "Batcher: batch_size and max_tokens are both 0");
}

std::vector<std::vector<size_t>> Batcher::epoch(uint64_t e) const {
  std::mt19937_64 rng(options_.seed + e);
  std::vector<size_t> order(a_.size());
  std::iota(order.begin(), order.end(), 0);
  if (options_.shuffle) std::shuffle(order.begin(), order.end(), rng);  // random order among equal lengths
  auto len_b = [&](size_t i) { return b_.empty() ? size_t{0} : b_[i]; };
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    return std::pair(a_[x], len_b(x)) < std::pair(a_[y], len_b(y));
  });
  std::vector<std::vector<size_t>> batches;
  std::vector<size_t> cur;
  size_t max_a = 0, max_b = 0;
  for (size_t i : order) {
    const size_t na = std::max(max_a, a_[i]), nb = std::max(max_b, len_b(i));
    const bool full = options_.max_tokens > 0 ? (cur.size() + 1) * (na + nb) > options_.max_tokens
                                              : cur.size() >= options_.batch_size;
    if (!cur.empty() && full) {
      batches.push_back(std::move(cur));
      cur.clear();
      max_a = max_b = 0;
    }
    cur.push_back(i);
    max_a = std::max(max_a, a_[i]);
    max_b = std::max(max_b, len_b(i));
  }
  if (!cur.empty()) batches.push_back(std::move(cur));
  if (options_.shuffle) std::shuffle(batches.begin(), batches.end(), rng);
  return batches;
}

double Batcher::padding_fraction(const std::vector<std::vector<size_t>>& batches) const {
  size_t real = 0, total = 0;
  for (const auto& batch : batches) {
    size_t max_a = 0, max_b = 0;
    for (size_t i : batch) {
      max_a = std::max(max_a, a_[i]);
      max_b = std::max(max_b, b_.empty() ? 0 : b_[i]);
      real += a_[i] + (b_.empty() ? 0 : b_[i]);
    }
    total += batch.size() * (max_a + max_b);
  }
  return total == 0 ? 0.0 : 1.0 - static_cast<double>(real) / static_cast<double>(total);
}

}  // namespace attn::text
