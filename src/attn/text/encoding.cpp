// attn/text/encoding.cpp — see encoding.h.
#include "attn/text/encoding.h"

#include <algorithm>

#include "attn/core/error.h"

namespace attn::text {

void Encoding::push(int32_t id, const std::string& token, Span offset, Span byte_offset, int32_t type_id,
                    bool special, int32_t sequence_id) {
  ids.push_back(id);
  tokens.push_back(token);
  offsets.push_back(offset);
  byte_offsets.push_back(byte_offset);
  type_ids.push_back(type_id);
  special_tokens_mask.push_back(special ? 1 : 0);
  attention_mask.push_back(1);
  sequence_ids.push_back(sequence_id);
}

void Encoding::append(const Encoding& o) {
  ids.insert(ids.end(), o.ids.begin(), o.ids.end());
  tokens.insert(tokens.end(), o.tokens.begin(), o.tokens.end());
  offsets.insert(offsets.end(), o.offsets.begin(), o.offsets.end());
  byte_offsets.insert(byte_offsets.end(), o.byte_offsets.begin(), o.byte_offsets.end());
  type_ids.insert(type_ids.end(), o.type_ids.begin(), o.type_ids.end());
  special_tokens_mask.insert(special_tokens_mask.end(), o.special_tokens_mask.begin(),
                             o.special_tokens_mask.end());
  attention_mask.insert(attention_mask.end(), o.attention_mask.begin(), o.attention_mask.end());
  sequence_ids.insert(sequence_ids.end(), o.sequence_ids.begin(), o.sequence_ids.end());
}

void Encoding::append(Encoding&& o) {
  const size_t n = tokens.size();
  tokens.resize(n + o.tokens.size());
  std::move(o.tokens.begin(), o.tokens.end(), tokens.begin() + static_cast<std::ptrdiff_t>(n));
  o.tokens.clear();
  append(o);  // the other fields; o.tokens is empty now
}

void Encoding::reserve(size_t n) {
  ids.reserve(n), type_ids.reserve(n), tokens.reserve(n), offsets.reserve(n), byte_offsets.reserve(n);
  special_tokens_mask.reserve(n), attention_mask.reserve(n), sequence_ids.reserve(n);
}

namespace {

Encoding slice(const Encoding& e, size_t start, size_t stop) {
  auto cut = [&](const auto& v) { return std::decay_t<decltype(v)>(v.begin() + start, v.begin() + stop); };
  Encoding r;
  r.ids = cut(e.ids);
  r.type_ids = cut(e.type_ids);
  r.tokens = cut(e.tokens);
  r.offsets = cut(e.offsets);
  r.byte_offsets = cut(e.byte_offsets);
  r.special_tokens_mask = cut(e.special_tokens_mask);
  r.attention_mask = cut(e.attention_mask);
  r.sequence_ids = cut(e.sequence_ids);
  return r;
}

}  // namespace

void truncate(Encoding& e, size_t max_len, size_t stride, Direction direction) {
  const size_t n = e.size();
  if (max_len >= n) return;
  if (max_len == 0) {
    Encoding all = std::move(e);
    e = Encoding{};
    e.overflowing.push_back(std::move(all));
    return;
  }
  ATTN_CHECK(stride < max_len,
             "truncate: stride ({}) must be strictly less than max_length ({}) minus the special tokens",
             stride, max_len);
  const size_t step = max_len - stride;
  std::vector<std::pair<size_t, size_t>> parts;
  if (direction == Direction::Right) {
    for (size_t start = 0; start < n; start += step) {
      const size_t stop = std::min(start + max_len, n);
      parts.emplace_back(start, stop);
      if (stop == n) break;
    }
  } else {
    // HF: (0..n).rev().step_by(step), window [stop+1-max_len, stop+1), until a window reaches 0.
    for (size_t k = 0; k < n; k += step) {
      const size_t stop = n - k;
      const size_t start = stop < max_len ? 0 : stop - max_len;
      parts.emplace_back(start, stop);
      if (start == 0) break;
    }
  }
  Encoding head = slice(e, parts[0].first, parts[0].second);
  for (size_t i = 1; i < parts.size(); ++i)
    head.overflowing.push_back(slice(e, parts[i].first, parts[i].second));
  e = std::move(head);
}

void truncate_encodings(Encoding& a, Encoding* b, const TruncationParams& p) {
  if (p.max_length == 0) {
    truncate(a, 0, p.stride, p.direction);
    if (b) truncate(*b, 0, p.stride, p.direction);
    return;
  }
  const size_t total = a.size() + (b ? b->size() : 0);
  if (total <= p.max_length) return;
  const size_t to_remove = total - p.max_length;
  if (p.strategy == TruncationStrategy::LongestFirst) {
    if (!b) return truncate(a, total - to_remove, p.stride, p.direction);
    // HF: with n1 the shorter length, keep n1 if the longer one can absorb the cut, else split evenly.
    size_t n1 = a.size(), n2 = b->size();
    const bool swap = n1 > n2;
    if (swap) std::swap(n1, n2);
    n2 = n1 > p.max_length ? n1 : std::max(n1, p.max_length - n1);
    if (n1 + n2 > p.max_length) {
      n1 = p.max_length / 2;
      n2 = n1 + p.max_length % 2;
    }
    if (swap) std::swap(n1, n2);
    truncate(a, n1, p.stride, p.direction);
    truncate(*b, n2, p.stride, p.direction);
    return;
  }
  Encoding* target = &a;
  if (p.strategy == TruncationStrategy::OnlySecond) {
    ATTN_CHECK(b != nullptr, "truncate: only_second needs a pair of sequences");
    target = b;
  }
  ATTN_CHECK(target->size() > to_remove,
             "truncate: sequence too short to truncate: {} tokens, {} must go to fit max_length {}",
             target->size(), to_remove, p.max_length);
  truncate(*target, target->size() - to_remove, p.stride, p.direction);
}

void pad(Encoding& e, size_t target, const PaddingParams& p) {
  for (Encoding& o : e.overflowing) pad(o, target, p);
  if (e.size() >= target) return;
  const size_t k = target - e.size();
  auto grow = [&](auto& v, auto value) {
    using T = typename std::decay_t<decltype(v)>::value_type;
    if (p.direction == Direction::Right) {
      v.insert(v.end(), k, static_cast<T>(value));
    } else {
      v.insert(v.begin(), k, static_cast<T>(value));
    }
  };
  grow(e.ids, p.pad_id);
  grow(e.type_ids, p.pad_type_id);
  grow(e.tokens, p.pad_token);
  grow(e.offsets, Span{});
  grow(e.byte_offsets, Span{});
  grow(e.special_tokens_mask, 1);
  grow(e.attention_mask, 0);
  grow(e.sequence_ids, -1);
}

void pad_encodings(std::vector<Encoding>& encodings, const PaddingParams& p) {
  if (encodings.empty()) return;
  size_t target = p.length;
  if (p.strategy == PaddingStrategy::BatchLongest) {
    target = 0;
    for (const Encoding& e : encodings) target = std::max(target, e.size());
  }
  if (p.pad_to_multiple_of > 0 && target % p.pad_to_multiple_of > 0) {
    target += p.pad_to_multiple_of - target % p.pad_to_multiple_of;
  }
  for (Encoding& e : encodings) pad(e, target, p);
}

}  // namespace attn::text
