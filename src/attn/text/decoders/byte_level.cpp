// attn/text/decoders/byte_level.cpp — see byte_level.h.
#include "attn/text/decoders/byte_level.h"

#include "attn/text/models/bpe.h"
#include "attn/text/unicode.h"

namespace attn::text {

std::string ByteLevelDecoder::decode(const std::vector<std::string>& tokens) const {
  std::string out;
  std::string bytes;
  for (const std::string& t : tokens) {
    bytes.clear();
    bool ok = true;
    for (size_t i = 0; i < t.size() && ok;) {
      const int b = unicode_to_byte(decode_utf8(t, i));
      ok = b >= 0;
      bytes.push_back(static_cast<char>(b));
    }
    out += ok ? bytes : t;  // HF: a token with a character outside the alphabet is kept as is
  }
  return out;
}

}  // namespace attn::text
