// attn/tensor/creation.h — making new tensors: constants, ranges, copies of host data, random values.
//
// Names and defaults follow PyTorch (torch.zeros, torch.arange, torch.randn, …): float32 unless a dtype is
// given; arange of integers is int64. Random functions draw from an attn::Generator (default: the global
// one, seeded by attn::manual_seed). New tensors never require grad; call requires_grad_() on them.
#pragma once

#include <cstdint>
#include <vector>

#include "attn/core/rng.h"
#include "attn/tensor/tensor.h"

namespace attn {

Tensor empty(const Shape& shape, DType dtype = DType::F32);
Tensor zeros(const Shape& shape, DType dtype = DType::F32);
Tensor ones(const Shape& shape, DType dtype = DType::F32);
Tensor full(const Shape& shape, double value, DType dtype = DType::F32);
Tensor scalar_tensor(double value, DType dtype = DType::F32);  // shape []
Tensor empty_like(const Tensor& t);
Tensor zeros_like(const Tensor& t);
Tensor ones_like(const Tensor& t);
Tensor full_like(const Tensor& t, double value);

// [start, end) in steps of `step`, as torch.arange.
Tensor arange(double start, double end, double step = 1.0, DType dtype = DType::I64);
Tensor arange(int64_t end, DType dtype = DType::I64);
// n × n identity.
Tensor eye(int64_t n, DType dtype = DType::F32);

// Copies host values into a new tensor of `shape` (numel must equal values.size()).
template <typename T>
Tensor from_vector(const std::vector<T>& values, const Shape& shape);
// 1-D convenience: from_vector({1.f, 2.f, 3.f}).
template <typename T>
Tensor from_vector(const std::vector<T>& values) {
  return from_vector(values, Shape{static_cast<int64_t>(values.size())});
}
// Copies numel(shape) elements of `dtype` from `data` (the caller's memory is not kept).
Tensor from_blob(const void* data, const Shape& shape, DType dtype);
// A Bool tensor from 0/1 values (std::vector<bool> has no data()).
Tensor bool_tensor(const std::vector<uint8_t>& values, const Shape& shape);

// Row-major copy of all elements, converted to T (tests, printing, small results).
template <typename T>
std::vector<T> to_vector(const Tensor& t);

Tensor randn(const Shape& shape, Generator& gen = default_generator(), DType dtype = DType::F32);
Tensor rand(const Shape& shape, Generator& gen = default_generator(), DType dtype = DType::F32);
Tensor uniform(const Shape& shape, double lo, double hi, Generator& gen = default_generator(),
               DType dtype = DType::F32);
Tensor normal(const Shape& shape, double mean, double std, Generator& gen = default_generator(),
              DType dtype = DType::F32);
// Uniform integers in [lo, hi), int64 (torch.randint).
Tensor randint(int64_t lo, int64_t hi, const Shape& shape, Generator& gen = default_generator());

}  // namespace attn
