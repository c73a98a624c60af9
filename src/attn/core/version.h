// attn/core/version.h — the library's version, as in CMakeLists.txt's project().
#pragma once

namespace attn {
inline constexpr const char* kVersion = "0.1.0";
}
