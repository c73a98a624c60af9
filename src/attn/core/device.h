// attn/core/device.h — where a tensor's storage lives. CPU now; CUDA later behind the same tag.
#pragma once

#include <string>

namespace attn {

enum class DeviceType { CPU, CUDA };

struct Device {
  DeviceType type = DeviceType::CPU;
  int index = 0;
  bool operator==(const Device&) const = default;
  std::string str() const { return type == DeviceType::CPU ? "cpu" : "cuda:" + std::to_string(index); }
};

inline constexpr Device kCPU{};

}  // namespace attn
