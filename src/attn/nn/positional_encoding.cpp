// nn::PositionalEncoding — the paper's sinusoids and a learned table (Vaswani et al. 2017, §3.5).
#include "attn/nn/positional_encoding.h"

#include <cmath>
#include <vector>

#include "attn/nn/init.h"
#include "attn/ops/binary.h"
#include "attn/ops/shape.h"
#include "attn/tensor/creation.h"

namespace attn::nn {

Tensor sinusoid_table(int64_t length, int64_t d_model) {
  ATTN_CHECK(length >= 0 && d_model > 0,
             "sinusoid_table: expected length >= 0 and d_model > 0, got {} and {}", length, d_model);
  std::vector<float> pe(static_cast<size_t>(length * d_model));
  for (int64_t pos = 0; pos < length; ++pos) {
    for (int64_t i = 0; i < d_model; i += 2) {
      // 1 / 10000^(2i/d_model) = exp(−2i · ln(10000) / d_model), computed in double as the Annotated
      // Transformer's div_term (there in float32).
      const double angle = static_cast<double>(pos) * std::exp(-static_cast<double>(i) * std::log(10000.0) /
                                                               static_cast<double>(d_model));
      pe[pos * d_model + i] = static_cast<float>(std::sin(angle));
      if (i + 1 < d_model) pe[pos * d_model + i + 1] = static_cast<float>(std::cos(angle));
    }
  }
  return from_vector(pe, {length, d_model});
}

// Adds rows [offset, offset + T) of a (max_len, C) table to x (B, T, C), in x's dtype.
static Tensor add_rows(const Tensor& x, const Tensor& table, int64_t offset, int64_t max_len,
                       const char* who) {
  ATTN_CHECK(x.dim() == 3, "{}: expected x of shape (B, T, C), got {}", who, shape_str(x.shape()));
  const int64_t T = x.size(1);
  ATTN_CHECK(offset >= 0 && offset + T <= max_len, "{}: positions [{}, {}) exceed max_len {}", who, offset,
             offset + T, max_len);
  ATTN_CHECK(x.size(2) == table.size(1), "{}: x has {} channels but d_model is {}", who, x.size(2),
             table.size(1));
  Tensor rows = narrow(table, 0, offset, T);  // (T, C)
  if (rows.dtype() != x.dtype()) rows = to_dtype(rows, x.dtype());
  return add(x, rows);  // (B, T, C) + (T, C)
}

SinusoidalPositionalEncoding::SinusoidalPositionalEncoding(int64_t d_model_, double p, int64_t max_len_,
                                                           Generator& gen)
    : d_model(d_model_), max_len(max_len_), dropout(p, gen), pe_(sinusoid_table(max_len_, d_model_)) {
  register_module("dropout", dropout);
}

Tensor SinusoidalPositionalEncoding::forward(const Tensor& x, int64_t offset) {
  return dropout.forward(add_rows(x, pe_, offset, max_len, "SinusoidalPositionalEncoding"));
}

Tensor SinusoidalPositionalEncoding::table(int64_t length) const {
  ATTN_CHECK(length <= max_len, "SinusoidalPositionalEncoding: length {} exceeds max_len {}", length,
             max_len);
  return narrow(pe_, 0, 0, length);
}

LearnedPositionalEncoding::LearnedPositionalEncoding(int64_t d_model_, double p, int64_t max_len_,
                                                     Generator& gen)
    : d_model(d_model_), max_len(max_len_), weight(empty({max_len_, d_model_})), dropout(p, gen) {
  register_parameter("weight", weight);
  register_module("dropout", dropout);
  init::normal_(weight, 0.0, 1.0, gen);
}

Tensor LearnedPositionalEncoding::forward(const Tensor& x, int64_t offset) {
  return dropout.forward(add_rows(x, weight, offset, max_len, "LearnedPositionalEncoding"));
}

Tensor LearnedPositionalEncoding::table(int64_t length) const {
  ATTN_CHECK(length <= max_len, "LearnedPositionalEncoding: length {} exceeds max_len {}", length, max_len);
  return narrow(weight.detach(), 0, 0, length);
}

}  // namespace attn::nn
