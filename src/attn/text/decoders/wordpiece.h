// attn/text/decoders/wordpiece.h — WordPiece decoder: glue "##" pieces to the previous token, put a space
// before the others, and (cleanup) undo BERT's spacing around punctuation and English contractions.
// https://github.com/huggingface/tokenizers/blob/v0.20.3/tokenizers/src/decoders/wordpiece.rs
#pragma once

#include <string>

#include "attn/text/pipeline.h"

namespace attn::text {

class WordPieceDecoder : public Decoder {
 public:
  WordPieceDecoder(std::string prefix, bool cleanup) : prefix_(std::move(prefix)), cleanup_(cleanup) {}
  std::string decode(const std::vector<std::string>& tokens) const override;
  const std::string& prefix() const { return prefix_; }
  bool cleanup() const { return cleanup_; }

 private:
  std::string prefix_;
  bool cleanup_;
};

// HF's cleanup(): " ." → ".", " n't" → "n't", " do not" → " don't", … applied to one piece.
std::string cleanup_tokenization_spaces(std::string s);

}  // namespace attn::text
