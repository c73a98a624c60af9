// attn/core/error.h — the one exception type of attn, and ATTN_CHECK.
//
// Every error a user can cause (wrong shapes, broken files, missing models) is an attn::Error whose message
// starts with the op or file, then says what was found and what was expected (STYLE P13). The CLI's main()
// is the only place that catches it. ATTN_DCHECK is for "cannot happen" invariants inside kernels only.
#pragma once

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cassert>
#include <stdexcept>
#include <string>

namespace attn {

enum class ErrorKind { Value, ShapeMismatch, DTypeMismatch, Io, Format, Unsupported, IndexOutOfRange };

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  explicit Error(const std::string& message) : Error(ErrorKind::Value, message) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

// throw_error("matmul: inner dimensions differ: {} vs {}", a, b)
template <typename... Args>
[[noreturn]] void throw_error(ErrorKind kind, fmt::format_string<Args...> f, Args&&... args) {
  throw Error(kind, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace attn

// ATTN_CHECK(cond, "op: what was found {} and what was expected {}", ...) — throws attn::Error(Value).
#define ATTN_CHECK(cond, ...)                                                \
  do {                                                                       \
    if (!(cond)) ::attn::throw_error(::attn::ErrorKind::Value, __VA_ARGS__); \
  } while (0)

// ATTN_CHECK_KIND(ErrorKind::ShapeMismatch, cond, "...") — same, with an explicit kind.
#define ATTN_CHECK_KIND(kind, cond, ...)                                    \
  do {                                                                      \
    if (!(cond)) ::attn::throw_error(::attn::ErrorKind::kind, __VA_ARGS__); \
  } while (0)

// Internal invariants of kernels ("cannot happen"); compiled out in release builds.
#define ATTN_DCHECK(cond) assert(cond)
