#include "attn/embed/keyed_vectors.h"

#include <algorithm>
#include <cmath>

#include "attn/core/error.h"
#include "attn/embed/simd.h"

namespace attn::embed {

KeyedVectors::KeyedVectors(std::vector<std::string> words, int64_t dim, std::vector<float> vectors)
    : words_(std::move(words)), dim_(dim), vectors_(std::move(vectors)) {
  ATTN_CHECK_KIND(Value, dim_ > 0 && static_cast<int64_t>(vectors_.size()) == size() * dim_,
                  "KeyedVectors: expected {} x {} = {} floats, got {}", size(), dim_, size() * dim_,
                  vectors_.size());
  unit_.resize(vectors_.size());
  for (int64_t i = 0; i < size(); ++i) {
    const float* v = vector(i);
    const float norm = std::sqrt(dot(v, v, dim_));
    const float inv = norm > 0 ? 1.0f / norm : 0.0f;
    for (int64_t d = 0; d < dim_; ++d) unit_[i * dim_ + d] = v[d] * inv;
  }
  index_.build(words_);
}

int32_t KeyedVectors::id_of(std::string_view word) const {
  const int32_t id = find(word);
  ATTN_CHECK_KIND(Value, id >= 0, "word vectors: '{}' is not in the vocabulary ({} words)", word, size());
  return id;
}

float KeyedVectors::similarity(std::string_view a, std::string_view b) const {
  return dot(unit_vector(id_of(a)), unit_vector(id_of(b)), dim_);
}

namespace {
// Keeps the k best (score, id) pairs seen so far, best first.
class TopK {
 public:
  explicit TopK(int k) : k_(k) {}
  void push(float score, int32_t id) {
    if (static_cast<int>(best_.size()) == k_ && score <= best_.back().first) return;
    auto it = std::upper_bound(best_.begin(), best_.end(), score,
                               [](float s, const std::pair<float, int32_t>& e) { return s > e.first; });
    best_.insert(it, {score, id});
    if (static_cast<int>(best_.size()) > k_) best_.pop_back();
  }
  std::vector<Neighbor> result(const std::vector<std::string>& words) const {
    std::vector<Neighbor> out;
    for (const auto& [score, id] : best_) out.push_back({id, words[id], score});
    return out;
  }

 private:
  int k_;
  std::vector<std::pair<float, int32_t>> best_;
};

bool excluded(std::span<const int32_t> exclude, int32_t id) {
  return std::find(exclude.begin(), exclude.end(), id) != exclude.end();
}
}  // namespace

std::vector<Neighbor> KeyedVectors::nearest(const float* query, int k, std::span<const int32_t> exclude,
                                            int64_t restrict_vocab) const {
  const float qn = std::sqrt(dot(query, query, dim_));
  const float inv = qn > 0 ? 1.0f / qn : 0.0f;
  const int64_t n = restrict_vocab > 0 ? std::min(restrict_vocab, size()) : size();
  TopK top(k);
  for (int64_t i = 0; i < n; ++i) {
    const float s = dot(query, unit_vector(i), dim_) * inv;
    if (!excluded(exclude, static_cast<int32_t>(i))) top.push(s, static_cast<int32_t>(i));
  }
  return top.result(words_);
}

std::vector<Neighbor> KeyedVectors::most_similar(std::string_view word, int k) const {
  const int32_t id = id_of(word);
  const int32_t ex[] = {id};
  return nearest(unit_vector(id), k, ex);
}

std::vector<Neighbor> KeyedVectors::analogy(int32_t a, int32_t b, int32_t c, int k, AnalogyMethod method,
                                            int64_t restrict_vocab) const {
  const int32_t ex[] = {a, b, c};
  const float* ua = unit_vector(a);
  const float* ub = unit_vector(b);
  const float* uc = unit_vector(c);
  if (method == AnalogyMethod::CosAdd) {
    std::vector<float> q(dim_);
    for (int64_t d = 0; d < dim_; ++d) q[d] = ub[d] - ua[d] + uc[d];
    return nearest(q.data(), k, ex, restrict_vocab);
  }
  const int64_t n = restrict_vocab > 0 ? std::min(restrict_vocab, size()) : size();
  TopK top(k);
  for (int64_t i = 0; i < n; ++i) {
    if (excluded(ex, static_cast<int32_t>(i))) continue;
    const float* u = unit_vector(i);
    const float sa = (dot(u, ua, dim_) + 1) / 2;
    const float sb = (dot(u, ub, dim_) + 1) / 2;
    const float sc = (dot(u, uc, dim_) + 1) / 2;
    top.push(sb * sc / (sa + 0.001f), static_cast<int32_t>(i));
  }
  return top.result(words_);
}

}  // namespace attn::embed
