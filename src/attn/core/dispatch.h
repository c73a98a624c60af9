// attn/core/dispatch.h — dtype dispatch: run a templated lambda with the C++ type of a runtime DType.
//
//   dispatch_floating(x.dtype(), "softmax", [&]<typename T>() { softmax_forward<T>(...); });
// Floating ops instantiate their kernels for float (compute) and double (reference, gradient checks).
#pragma once

#include "attn/core/dtype.h"
#include "attn/core/error.h"

namespace attn {

template <typename F>
decltype(auto) dispatch_floating(DType dtype, const char* op, F&& f) {
  switch (dtype) {
    case DType::F32:
      return f.template operator()<float>();
    case DType::F64:
      return f.template operator()<double>();
    default:
      break;
  }
  throw_error(ErrorKind::DTypeMismatch, "{}: expected a floating-point tensor (float32 or float64), got {}",
              op, dtype_name(dtype));
}

// Floating types plus int64 (for ops that are also meaningful on ids: add, max, where, cat, …).
template <typename F>
decltype(auto) dispatch_numeric(DType dtype, const char* op, F&& f) {
  switch (dtype) {
    case DType::F32:
      return f.template operator()<float>();
    case DType::F64:
      return f.template operator()<double>();
    case DType::I64:
      return f.template operator()<int64_t>();
    default:
      break;
  }
  throw_error(ErrorKind::DTypeMismatch, "{}: expected float32, float64 or int64, got {}", op,
              dtype_name(dtype));
}

// Every dtype that can be copied element by element (cat, where, masked_fill, gather of bytes).
template <typename F>
decltype(auto) dispatch_all(DType dtype, const char* op, F&& f) {
  switch (dtype) {
    case DType::F32:
      return f.template operator()<float>();
    case DType::F64:
      return f.template operator()<double>();
    case DType::I64:
      return f.template operator()<int64_t>();
    case DType::I32:
      return f.template operator()<int32_t>();
    case DType::Bool:
      return f.template operator()<uint8_t>();
    default:
      break;
  }
  throw_error(ErrorKind::DTypeMismatch, "{}: unsupported dtype {}", op, dtype_name(dtype));
}

}  // namespace attn
