// attn/text/post_processors/template.h — TemplateProcessing: "[CLS] $A [SEP]" for one sequence and
// "[CLS] $A [SEP] $B:1 [SEP]:1" for a pair; BertProcessing is this template with its cls/sep tokens.
// Overflowing windows are combined exactly as HF's Encoding::merge_with does (each window of A with B and
// with each window of B, then A with each window of B).
// https://github.com/huggingface/tokenizers/blob/v0.20.3/tokenizers/src/processors/template.rs
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "attn/text/encoding.h"
#include "attn/text/pipeline.h"

namespace attn::text {

struct TemplatePiece {
  bool is_sequence;     // $A / $B, or a special token
  int sequence;         // 0 = A, 1 = B (for sequences)
  std::string special;  // name of the special token (for special tokens)
  int32_t type_id;
};

struct SpecialTokenIds {
  std::vector<int32_t> ids;
  std::vector<std::string> tokens;
};

class TemplateProcessing : public PostProcessor {
 public:
  TemplateProcessing(std::vector<TemplatePiece> single, std::vector<TemplatePiece> pair,
                     std::map<std::string, SpecialTokenIds> special_tokens);
  // BERT's template: [CLS] A [SEP] and [CLS] A [SEP] B:1 [SEP]:1.
  static TemplateProcessing bert(const std::string& cls, int32_t cls_id, const std::string& sep,
                                 int32_t sep_id);

  size_t added_tokens(bool is_pair) const override;
  const std::vector<TemplatePiece>& single() const { return single_; }
  const std::vector<TemplatePiece>& pair() const { return pair_; }
  const std::map<std::string, SpecialTokenIds>& special_tokens() const { return special_tokens_; }
  Encoding process(Encoding a, std::optional<Encoding> b, bool add_special_tokens) const override;

 private:
  Encoding process_single_in_place(Encoding a, bool add_special_tokens) const;
  std::vector<TemplatePiece> single_, pair_;
  std::map<std::string, SpecialTokenIds> special_tokens_;
};

// HF Encoding::merge_with (growing_offsets = false): appends `pair`, combining overflowing windows.
void merge_with(Encoding& self, const Encoding& pair);

}  // namespace attn::text
