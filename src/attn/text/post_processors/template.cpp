// attn/text/post_processors/template.cpp — see template.h.
#include "attn/text/post_processors/template.h"

#include "attn/core/error.h"

namespace attn::text {

TemplateProcessing::TemplateProcessing(std::vector<TemplatePiece> single, std::vector<TemplatePiece> pair,
                                       std::map<std::string, SpecialTokenIds> special_tokens)
    : single_(std::move(single)), pair_(std::move(pair)), special_tokens_(std::move(special_tokens)) {
  for (const auto* t : {&single_, &pair_}) {
    for (const TemplatePiece& p : *t) {
      ATTN_CHECK_KIND(Format, p.is_sequence || special_tokens_.count(p.special),
                      "TemplateProcessing: special token '{}' is used in the template but not defined in "
                      "special_tokens",
                      p.special);
    }
  }
}

TemplateProcessing TemplateProcessing::bert(const std::string& cls, int32_t cls_id, const std::string& sep,
                                            int32_t sep_id) {
  std::vector<TemplatePiece> single = {{false, 0, cls, 0}, {true, 0, "", 0}, {false, 0, sep, 0}};
  std::vector<TemplatePiece> pair = {
      {false, 0, cls, 0}, {true, 0, "", 0}, {false, 0, sep, 0}, {true, 1, "", 1}, {false, 0, sep, 1}};
  return TemplateProcessing(std::move(single), std::move(pair),
                            {{cls, {{cls_id}, {cls}}}, {sep, {{sep_id}, {sep}}}});
}

size_t TemplateProcessing::added_tokens(bool is_pair) const {
  size_t n = 0;
  for (const TemplatePiece& p : is_pair ? pair_ : single_) {
    if (!p.is_sequence) n += special_tokens_.at(p.special).ids.size();
  }
  return n;
}

namespace {

void insert_special(Encoding& e, size_t at, int32_t id, const std::string& token, int32_t type_id) {
  const auto pos = static_cast<std::ptrdiff_t>(at);
  e.ids.insert(e.ids.begin() + pos, id);
  e.tokens.insert(e.tokens.begin() + pos, token);
  e.offsets.insert(e.offsets.begin() + pos, Span{});
  e.byte_offsets.insert(e.byte_offsets.begin() + pos, Span{});
  e.type_ids.insert(e.type_ids.begin() + pos, type_id);
  e.special_tokens_mask.insert(e.special_tokens_mask.begin() + pos, 1);
  e.attention_mask.insert(e.attention_mask.begin() + pos, 1);
  e.sequence_ids.insert(e.sequence_ids.begin() + pos, -1);
}

}  // namespace

void merge_with(Encoding& self, const Encoding& pair) {
  std::vector<Encoding> overflowings;
  for (const Encoding& self_o : self.overflowing) {
    Encoding n = self_o;
    merge_with(n, pair);
    overflowings.push_back(std::move(n));
    for (const Encoding& other_o : pair.overflowing) {
      Encoding m = self_o;
      merge_with(m, other_o);
      overflowings.push_back(std::move(m));
    }
  }
  for (const Encoding& other_o : pair.overflowing) {
    Encoding n = self;
    merge_with(n, other_o);
    overflowings.push_back(std::move(n));
  }
  self.append(pair);
  self.overflowing = std::move(overflowings);
}

// One sequence without overflowing windows (the common case): the special tokens are added around `a` in
// place, which is what merge_with would build, without copying the tokens.
Encoding TemplateProcessing::process_single_in_place(Encoding a, bool add_special_tokens) const {
  size_t at = 0;
  bool before = true;
  for (const TemplatePiece& p : single_) {
    if (p.is_sequence) {
      a.type_ids.assign(a.size(), p.type_id);
      a.sequence_ids.assign(a.size(), 0);
      before = false;
      continue;
    }
    if (!add_special_tokens) continue;
    const SpecialTokenIds& sp = special_tokens_.at(p.special);
    for (size_t i = 0; i < sp.ids.size(); ++i) {
      if (before) {
        insert_special(a, at++, sp.ids[i], sp.tokens[i], p.type_id);
      } else {
        a.push(sp.ids[i], sp.tokens[i], {}, {}, p.type_id, true, -1);
      }
    }
  }
  return a;
}

Encoding TemplateProcessing::process(Encoding a, std::optional<Encoding> b, bool add_special_tokens) const {
  if (!b && a.overflowing.empty()) return process_single_in_place(std::move(a), add_special_tokens);
  Encoding* seqs[2] = {&a, b ? &*b : nullptr};
  Encoding result;
  for (const TemplatePiece& p : b ? pair_ : single_) {
    if (p.is_sequence) {
      Encoding& s = *seqs[p.sequence];
      s.type_ids.assign(s.size(), p.type_id);
      s.sequence_ids.assign(s.size(), p.sequence);
      for (Encoding& o : s.overflowing) {  // HF 0.20.3 gives the overflowing windows the same type id
        o.type_ids.assign(o.size(), p.type_id);
        o.sequence_ids.assign(o.size(), p.sequence);
      }
      merge_with(result, s);
    } else if (add_special_tokens) {
      const SpecialTokenIds& t = special_tokens_.at(p.special);
      Encoding s;
      for (size_t i = 0; i < t.ids.size(); ++i) s.push(t.ids[i], t.tokens[i], {}, {}, p.type_id, true, -1);
      merge_with(result, s);
    }
  }
  return result;
}

}  // namespace attn::text
