// tests/support/params.h — the {Device, DType} grid every numeric test is parameterised over (STYLE P8).
//
// Only CPU is instantiated today; a CUDA backend adds rows here and every TEST_P runs on it. Tolerances are
// per dtype: float64 results must equal PyTorch's float64 to ~1e-12; float32 within the 1e-5
// relative bar (compared with PyTorch's float64 values, so the tolerance covers float32 rounding only).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "attn/core/device.h"
#include "attn/core/dtype.h"

namespace attn::test {

struct DeviceDType {
  Device device;
  DType dtype;
  double atol;
  double rtol;
};

inline std::vector<DeviceDType> all_device_dtypes() {
  return {{kCPU, DType::F64, 1e-12, 1e-10}, {kCPU, DType::F32, 1e-6, 1e-5}};
}

inline std::string device_dtype_name(const ::testing::TestParamInfo<DeviceDType>& info) {
  return info.param.device.str() + "_" + std::string(dtype_name(info.param.dtype));
}

}  // namespace attn::test
