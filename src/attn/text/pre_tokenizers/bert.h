// attn/text/pre_tokenizers/bert.h — BertPreTokenizer: split on whitespace (removed), then isolate every
// punctuation character (ASCII symbols and Unicode P*). WhitespaceSplit is the first half alone.
// https://github.com/huggingface/tokenizers/blob/v0.20.3/tokenizers/src/pre_tokenizers/bert.rs
#pragma once

#include "attn/text/pipeline.h"

namespace attn::text {

class BertPreTokenizer : public PreTokenizer {
 public:
  void pre_tokenize(NormalizedString& s, std::vector<Word>& words) const override;
};

class WhitespaceSplit : public PreTokenizer {
 public:
  void pre_tokenize(NormalizedString& s, std::vector<Word>& words) const override;
};

}  // namespace attn::text
