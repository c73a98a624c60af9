// attn/io/safetensors_internal.h — helpers shared by the safetensors reader and writer (not installed API).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace attn::io::detail {

// Index of the first byte of `s` that does not start a valid UTF-8 sequence (RFC 3629: no overlong forms,
// no surrogates, nothing above U+10FFFF — what Rust's str::from_utf8 accepts), or npos if all is valid.
size_t invalid_utf8_at(std::string_view s);

// `s` quoted for an error message: control bytes escaped, cut to about 120 bytes on a character boundary.
std::string printable(std::string_view s);

}  // namespace attn::io::detail
