// attn/text/normalizers/bert.h — BertNormalizer: the four steps of BERT's BasicTokenizer, in HF's order:
// clean_text (drop controls, map whitespace to ' '), handle_chinese_chars (pad CJK ideographs with spaces),
// strip_accents (NFD, then drop non-spacing marks), lowercase. strip_accents unset = follow lowercase.
// https://github.com/huggingface/tokenizers/blob/v0.20.3/tokenizers/src/normalizers/bert.rs
#pragma once

#include <optional>

#include "attn/text/pipeline.h"

namespace attn::text {

struct BertNormalizerOptions {
  bool clean_text = true;
  bool handle_chinese_chars = true;
  std::optional<bool> strip_accents;  // nullopt: same as lowercase
  bool lowercase = true;
};

class BertNormalizer : public Normalizer {
 public:
  explicit BertNormalizer(BertNormalizerOptions options = {}) : options_(options) {}
  void normalize(NormalizedString& s) const override;
  const BertNormalizerOptions& options() const { return options_; }

 private:
  BertNormalizerOptions options_;
};

// Sequence / NFD / NFC / Lowercase / StripAccents as standalone normalizers (tokenizer.json "Sequence").
class NfdNormalizer : public Normalizer {
 public:
  void normalize(NormalizedString& s) const override { s.nfd(); }
};
class LowercaseNormalizer : public Normalizer {
 public:
  void normalize(NormalizedString& s) const override { s.lowercase(); }
};
class StripAccentsNormalizer : public Normalizer {
 public:
  void normalize(NormalizedString& s) const override;
};

}  // namespace attn::text
