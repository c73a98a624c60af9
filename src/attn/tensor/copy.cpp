#include "attn/tensor/copy.h"

#include <cstring>

#include "attn/tensor/creation.h"

namespace attn {

float half_to_float(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
  uint32_t exp = (h >> 10) & 0x1f, mant = h & 0x3ff, bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {  // subnormal: renormalise
      exp = 127 - 15 + 1;
      while ((mant & 0x400) == 0) {
        mant <<= 1;
        --exp;
      }
      bits = sign | (exp << 23) | ((mant & 0x3ff) << 13);
    }
  } else if (exp == 0x1f) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else {
    bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

float bfloat16_to_float(uint16_t b) {
  const uint32_t bits = static_cast<uint32_t>(b) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

uint16_t float_to_bfloat16(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  if ((bits & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((bits >> 16) | 0x40);  // quiet NaN
  bits += 0x7fff + ((bits >> 16) & 1);
  return static_cast<uint16_t>(bits >> 16);
}

uint16_t float_to_half(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const uint16_t sign = static_cast<uint16_t>((x >> 16) & 0x8000);
  const uint32_t ax = x & 0x7fffffffu;
  if (ax > 0x7f800000u) return sign | 0x7e00;   // NaN
  if (ax >= 0x477ff000u) return sign | 0x7c00;  // overflow → inf (≥ 65520 rounds up)
  if (ax < 0x38800000u) {                       // subnormal half or zero
    float af;
    std::memcpy(&af, &ax, 4);
    const float scaled = af * 16777216.0f;  // 2^24: units of the smallest subnormal
    uint32_t m = static_cast<uint32_t>(scaled);
    const float rem = scaled - static_cast<float>(m);
    if (rem > 0.5f || (rem == 0.5f && (m & 1))) ++m;
    return sign | static_cast<uint16_t>(m);
  }
  uint32_t r = ax + 0xfff + ((ax >> 13) & 1) - 0x38000000u;  // rebias 127 → 15, round to nearest even
  return sign | static_cast<uint16_t>(r >> 13);
}

namespace {
template <typename D, typename S>
void copy_typed(const Tensor& dst, const Tensor& src) {
  D* d = static_cast<D*>(dst.storage()->data());
  const S* s = static_cast<const S*>(src.storage()->data());
  for_each_strided(dst.shape(), dst.strides(), dst.offset(), src.strides(), src.offset(),
                   [&](int64_t i, int64_t j) {
                     if constexpr (std::is_same_v<D, uint8_t>) {
                       d[i] = s[j] != S(0);
                     } else {
                       d[i] = static_cast<D>(s[j]);
                     }
                   });
}

template <typename D>
void copy_from(const Tensor& dst, const Tensor& src) {
  switch (src.dtype()) {
    case DType::F32:
      return copy_typed<D, float>(dst, src);
    case DType::F64:
      return copy_typed<D, double>(dst, src);
    case DType::I64:
      return copy_typed<D, int64_t>(dst, src);
    case DType::I32:
      return copy_typed<D, int32_t>(dst, src);
    case DType::Bool:
      return copy_typed<D, uint8_t>(dst, src);
    case DType::F16:
    case DType::BF16: {
      if constexpr (std::is_same_v<D, float>) {
        float* d = static_cast<float*>(dst.storage()->data());
        const uint16_t* s = static_cast<const uint16_t*>(src.storage()->data());
        const bool half = src.dtype() == DType::F16;
        for_each_strided(
            dst.shape(), dst.strides(), dst.offset(), src.strides(), src.offset(),
            [&](int64_t i, int64_t j) { d[i] = half ? half_to_float(s[j]) : bfloat16_to_float(s[j]); });
        return;
      }
      break;
    }
  }
  throw_error(ErrorKind::DTypeMismatch,
              "copy_: cannot convert {} to {} (16-bit floats convert to float32 only)",
              dtype_name(src.dtype()), dtype_name(dst.dtype()));
}
}  // namespace

void copy_(const Tensor& dst, const Tensor& src) {
  ATTN_CHECK_KIND(ShapeMismatch, dst.shape() == src.shape(),
                  "copy_: destination shape {} differs from source shape {}", shape_str(dst.shape()),
                  shape_str(src.shape()));
  if (dst.dtype() == src.dtype() && dst.is_contiguous() && src.is_contiguous()) {
    std::memcpy(dst.data_ptr(), src.data_ptr(), static_cast<size_t>(src.numel()) * dtype_size(src.dtype()));
    return;
  }
  switch (dst.dtype()) {
    case DType::F32:
      return copy_from<float>(dst, src);
    case DType::F64:
      return copy_from<double>(dst, src);
    case DType::I64:
      return copy_from<int64_t>(dst, src);
    case DType::I32:
      return copy_from<int32_t>(dst, src);
    case DType::Bool:
      return copy_from<uint8_t>(dst, src);
    case DType::F16:
    case DType::BF16:
      break;
  }
  throw_error(ErrorKind::DTypeMismatch, "copy_: cannot write into a {} tensor", dtype_name(dst.dtype()));
}

Tensor contiguous_copy(const Tensor& src) {
  Tensor out = empty(src.shape(), src.dtype());
  copy_(out, src);
  return out;
}

Tensor convert(const Tensor& src, DType dtype) {
  Tensor out = empty(src.shape(), dtype);
  copy_(out, src);
  return out;
}

}  // namespace attn
