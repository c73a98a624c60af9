// attn/text/decoders/byte_level.h — ByteLevel decoder: each character of the tokens back to its byte.
// Deviation from HF: the bytes are returned as they are (HF applies from_utf8_lossy), so that any byte
// string survives encode → decode.
#pragma once

#include "attn/text/pipeline.h"

namespace attn::text {

class ByteLevelDecoder : public Decoder {
 public:
  std::string decode(const std::vector<std::string>& tokens) const override;
};

}  // namespace attn::text
