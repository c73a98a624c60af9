// fuzz_safetensors — libFuzzer target for the safetensors parser (attn/io/safetensors.h).
//
// Each input is parsed from memory as a whole file. Rejecting it with attn::Error is fine; anything else is a
// bug: a crash, a sanitizer report (an out-of-bounds read of the input, which libFuzzer allocates with
// exactly `size` bytes), any other exception, or a file that parses but does not survive a round trip — every
// tensor attn can load is written back with serialize_safetensors, parsed again, and compared byte for byte.
//
// Build and run: docs/safetensors.md ("Fuzzing").
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>

#include "attn/io/safetensors.h"

namespace {

using attn::Tensor;
using attn::io::SafetensorsFile;

// Reads every byte of the tensor so ASan sees any access outside the input.
uint64_t touch(const void* p, size_t n) {
  uint64_t h = 0;
  const auto* b = static_cast<const unsigned char*>(p);
  for (size_t i = 0; i < n; ++i) h = h * 31 + b[i];
  return h;
}

size_t nbytes(const Tensor& t) { return static_cast<size_t>(t.numel()) * attn::dtype_size(t.dtype()); }

void check_round_trip(const std::map<std::string, Tensor>& loaded,
                      const std::map<std::string, std::string>& meta) {
  const auto bytes = attn::io::serialize_safetensors(loaded, meta);
  const SafetensorsFile again = SafetensorsFile::from_buffer(bytes, nullptr, "round-trip");  // must not throw
  if (again.metadata() != meta || again.infos().size() != loaded.size()) __builtin_trap();
  for (const auto& [name, t] : loaded) {
    const Tensor u = again.tensor(name);
    if (u.dtype() != t.dtype() || u.shape() != t.shape()) __builtin_trap();
    if (nbytes(t) > 0 && std::memcmp(u.data_ptr(), t.data_ptr(), nbytes(t)) != 0) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  volatile uint64_t sink = 0;
  try {
    const SafetensorsFile f =
        SafetensorsFile::from_buffer({reinterpret_cast<const std::byte*>(data), size}, nullptr, "fuzz-input");
    std::map<std::string, Tensor> loaded;
    for (const auto& info : f.infos()) {
      const auto raw = f.bytes(info.name);
      sink = sink + touch(raw.data(), raw.size());
      try {
        Tensor t = f.tensor(info.name);
        sink = sink + touch(t.data_ptr(), nbytes(t));
        loaded.emplace(info.name, std::move(t));
      } catch (const attn::Error&) {  // unsupported dtype, BOOL byte > 1
      }
    }
    check_round_trip(loaded, f.metadata());
  } catch (const attn::Error&) {
  }
  return 0;
}
