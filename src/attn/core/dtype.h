// attn/core/dtype.h — element types of tensors.
//
// F32 is the compute type; F64 instantiates the reference kernels for gradient checks; I64 holds token ids
// and class targets; Bool holds masks (1 byte, as torch.bool). F16/BF16/I32 exist only as file formats:
// the safetensors reader converts them on load (F16/BF16 → F32, I32 → I64).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace attn {

enum class DType : uint8_t { F32, F64, I64, I32, Bool, F16, BF16 };

constexpr size_t dtype_size(DType d) {
  switch (d) {
    case DType::F32:
      return 4;
    case DType::F64:
      return 8;
    case DType::I64:
      return 8;
    case DType::I32:
      return 4;
    case DType::Bool:
      return 1;
    case DType::F16:
      return 2;
    case DType::BF16:
      return 2;
  }
  return 0;
}

// Names as PyTorch prints them ("float32", "int64", …).
constexpr std::string_view dtype_name(DType d) {
  switch (d) {
    case DType::F32:
      return "float32";
    case DType::F64:
      return "float64";
    case DType::I64:
      return "int64";
    case DType::I32:
      return "int32";
    case DType::Bool:
      return "bool";
    case DType::F16:
      return "float16";
    case DType::BF16:
      return "bfloat16";
  }
  return "?";
}

constexpr bool is_floating(DType d) { return d == DType::F32 || d == DType::F64; }

// Maps a C++ type to its DType: dtype_of<float> == DType::F32.
template <typename T>
constexpr DType dtype_of();
template <>
constexpr DType dtype_of<float>() {
  return DType::F32;
}
template <>
constexpr DType dtype_of<double>() {
  return DType::F64;
}
template <>
constexpr DType dtype_of<int64_t>() {
  return DType::I64;
}
template <>
constexpr DType dtype_of<int32_t>() {
  return DType::I32;
}
template <>
constexpr DType dtype_of<bool>() {
  return DType::Bool;
}

}  // namespace attn
