// fuzz/fuzz_tokenizer.cpp — libFuzzer target for tokenizer.json loading + encoding + decoding.
//
// Input: a tokenizer.json, then a NUL byte, then the text to encode (if there is no NUL, the text is the
// JSON itself). Loading may reject the JSON with attn::Error — that is the expected outcome for garbage;
// any other exception, a crash, a leak or an ASan/UBSan report is a bug.
//   build/text-fuzz/fuzz/fuzz_tokenizer -max_total_time=600 fuzz/corpus/tokenizer
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "attn/core/error.h"
#include "attn/text/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  const size_t nul = all.find('\0');
  const std::string_view json = all.substr(0, nul);
  const std::string_view text = nul == std::string_view::npos ? all : all.substr(nul + 1);
  try {
    const attn::text::Tokenizer tok = attn::text::Tokenizer::from_json(json, "fuzz.json");
    const attn::text::Encoding e = tok.encode(text);
    tok.decode(e.ids, false);
    tok.encode_pair(text, json.substr(0, 64));
  } catch (const attn::Error&) {
  }
  return 0;
}
