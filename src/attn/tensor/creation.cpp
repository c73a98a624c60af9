#include "attn/tensor/creation.h"

#include <cmath>
#include <cstring>

#include "attn/tensor/copy.h"

namespace attn {

namespace {
void check_shape(const Shape& shape, const char* op) {
  for (int64_t s : shape)
    ATTN_CHECK_KIND(ShapeMismatch, s >= 0, "{}: negative dimension in shape {}", op, shape_str(shape));
}

// Writes value(i) for i in [0, numel) into a contiguous tensor of any dtype.
template <typename F>
void fill_with(const Tensor& t, F&& value) {
  const int64_t n = t.numel();
  switch (t.dtype()) {
    case DType::F32: {
      float* p = t.data<float>();
      for (int64_t i = 0; i < n; ++i) p[i] = static_cast<float>(value(i));
      return;
    }
    case DType::F64: {
      double* p = t.data<double>();
      for (int64_t i = 0; i < n; ++i) p[i] = static_cast<double>(value(i));
      return;
    }
    case DType::I64: {
      int64_t* p = t.data<int64_t>();
      for (int64_t i = 0; i < n; ++i) p[i] = static_cast<int64_t>(value(i));
      return;
    }
    case DType::I32: {
      int32_t* p = t.data<int32_t>();
      for (int64_t i = 0; i < n; ++i) p[i] = static_cast<int32_t>(value(i));
      return;
    }
    case DType::Bool: {
      uint8_t* p = static_cast<uint8_t*>(t.data_ptr());
      for (int64_t i = 0; i < n; ++i) p[i] = value(i) != 0;
      return;
    }
    case DType::F16:
    case DType::BF16:
      break;
  }
  throw_error(ErrorKind::DTypeMismatch,
              "fill: cannot create {} tensors (16-bit floats are read from files only)",
              dtype_name(t.dtype()));
}
}  // namespace

Tensor empty(const Shape& shape, DType dtype) {
  check_shape(shape, "empty");
  auto storage = Storage::allocate(static_cast<size_t>(numel(shape)) * dtype_size(dtype));
  return Tensor(std::move(storage), Layout::contiguous(shape), dtype);
}

Tensor zeros(const Shape& shape, DType dtype) {
  Tensor t = empty(shape, dtype);
  std::memset(t.data_ptr(), 0, static_cast<size_t>(t.numel()) * dtype_size(dtype));
  return t;
}

Tensor full(const Shape& shape, double value, DType dtype) {
  Tensor t = empty(shape, dtype);
  fill_with(t, [value](int64_t) { return value; });
  return t;
}

Tensor ones(const Shape& shape, DType dtype) { return full(shape, 1.0, dtype); }
Tensor scalar_tensor(double value, DType dtype) { return full({}, value, dtype); }
Tensor empty_like(const Tensor& t) { return empty(t.shape(), t.dtype()); }
Tensor zeros_like(const Tensor& t) { return zeros(t.shape(), t.dtype()); }
Tensor ones_like(const Tensor& t) { return ones(t.shape(), t.dtype()); }
Tensor full_like(const Tensor& t, double value) { return full(t.shape(), value, t.dtype()); }

Tensor arange(double start, double end, double step, DType dtype) {
  ATTN_CHECK(step != 0.0, "arange: step must be nonzero");
  ATTN_CHECK((end - start) / step >= 0, "arange: upper bound and larger bound inconsistent with step sign");
  const auto n = static_cast<int64_t>(std::ceil((end - start) / step));
  Tensor t = empty({n}, dtype);
  fill_with(t, [=](int64_t i) { return start + static_cast<double>(i) * step; });
  return t;
}

Tensor arange(int64_t end, DType dtype) { return arange(0.0, static_cast<double>(end), 1.0, dtype); }

Tensor eye(int64_t n, DType dtype) {
  Tensor t = zeros({n, n}, dtype);
  fill_with(t, [n](int64_t i) { return (i / n == i % n) ? 1.0 : 0.0; });
  return t;
}

template <typename T>
Tensor from_vector(const std::vector<T>& values, const Shape& shape) {
  ATTN_CHECK_KIND(ShapeMismatch, numel(shape) == static_cast<int64_t>(values.size()),
                  "from_vector: {} values do not fill shape {} ({} elements)", values.size(),
                  shape_str(shape), numel(shape));
  return from_blob(values.data(), shape, dtype_of<T>());
}
template Tensor from_vector(const std::vector<float>&, const Shape&);
template Tensor from_vector(const std::vector<double>&, const Shape&);
template Tensor from_vector(const std::vector<int64_t>&, const Shape&);
template Tensor from_vector(const std::vector<int32_t>&, const Shape&);

Tensor from_blob(const void* data, const Shape& shape, DType dtype) {
  Tensor t = empty(shape, dtype);
  if (t.numel() > 0) std::memcpy(t.data_ptr(), data, static_cast<size_t>(t.numel()) * dtype_size(dtype));
  return t;
}

Tensor bool_tensor(const std::vector<uint8_t>& values, const Shape& shape) {
  ATTN_CHECK_KIND(ShapeMismatch, numel(shape) == static_cast<int64_t>(values.size()),
                  "bool_tensor: {} values do not fill shape {}", values.size(), shape_str(shape));
  Tensor t = empty(shape, DType::Bool);
  fill_with(t, [&](int64_t i) { return values[i] ? 1.0 : 0.0; });
  return t;
}

template <typename T>
std::vector<T> to_vector(const Tensor& t) {
  std::vector<T> out(static_cast<size_t>(t.numel()));
  for (int64_t i = 0; i < t.numel(); ++i) out[i] = element_as<T>(t, i);
  return out;
}
template std::vector<float> to_vector(const Tensor&);
template std::vector<double> to_vector(const Tensor&);
template std::vector<int64_t> to_vector(const Tensor&);
template std::vector<int32_t> to_vector(const Tensor&);

Tensor randn(const Shape& shape, Generator& gen, DType dtype) { return normal(shape, 0.0, 1.0, gen, dtype); }
Tensor rand(const Shape& shape, Generator& gen, DType dtype) { return uniform(shape, 0.0, 1.0, gen, dtype); }

Tensor uniform(const Shape& shape, double lo, double hi, Generator& gen, DType dtype) {
  Tensor t = empty(shape, dtype);
  fill_with(t, [&](int64_t) { return gen.uniform(lo, hi); });
  return t;
}

Tensor normal(const Shape& shape, double mean, double std, Generator& gen, DType dtype) {
  Tensor t = empty(shape, dtype);
  fill_with(t, [&](int64_t) { return gen.normal(mean, std); });
  return t;
}

Tensor randint(int64_t lo, int64_t hi, const Shape& shape, Generator& gen) {
  ATTN_CHECK(hi > lo, "randint: expected lo < hi, got [{}, {})", lo, hi);
  Tensor t = empty(shape, DType::I64);
  fill_with(t, [&](int64_t) { return static_cast<double>(lo + static_cast<int64_t>(gen.randint(hi - lo))); });
  return t;
}

}  // namespace attn
