// MtText (mt_text.h): word-level vocabularies or subword tokenizers for the translation commands.
#include <filesystem>

#include "attn/core/error.h"
#include "attn/text/trainers/bpe_trainer.h"
#include "mt_text.h"

namespace attn::cli {

MtText MtText::words(text::Vocab vocab) {
  MtText t;
  t.vocab_ = std::move(vocab);
  return t;
}

MtText MtText::subwords(std::shared_ptr<const text::Tokenizer> tokenizer, std::string source) {
  MtText t;
  t.tokenizer_ = std::move(tokenizer);
  t.source_ = std::move(source);
  for (const char* s : {"[PAD]", "[BOS]", "[EOS]"}) t.special_id(s);  // fail early, naming the file
  return t;
}

MtText MtText::train_bpe(const std::vector<std::string>& lines, size_t vocab_size) {
  text::BpeTrainerOptions o;
  o.vocab_size = vocab_size;
  o.special_tokens = {"[PAD]", "[UNK]", "[BOS]", "[EOS]"};
  auto tok = std::make_shared<text::Tokenizer>(text::train_byte_level_bpe(lines, o));
  return subwords(std::move(tok), "<trained byte-level BPE>");
}

MtText MtText::load(const std::string& dir, const std::string& side) {
  const std::string json = dir + "/" + side + "_tokenizer.json";
  if (std::filesystem::exists(json))
    return subwords(std::make_shared<text::Tokenizer>(text::Tokenizer::from_file(json)), json);
  const std::string txt = dir + "/" + side + "_vocab.txt";
  ATTN_CHECK(std::filesystem::exists(txt), "translation model {}: neither {} nor {} exists", dir, json, txt);
  return words(text::Vocab::load(txt));
}

void MtText::save(const std::string& dir, const std::string& side) const {
  if (tokenizer_)
    tokenizer_->save(dir + "/" + side + "_tokenizer.json");
  else
    vocab_->save(dir + "/" + side + "_vocab.txt");
}

std::vector<int64_t> MtText::encode(const std::string& line, size_t max_len) const {
  std::vector<int64_t> ids;
  if (tokenizer_) {
    for (int32_t id : tokenizer_->encode(line, /*add_special_tokens=*/false).ids) ids.push_back(id);
  } else {
    for (int32_t id : vocab_->encode(line)) ids.push_back(id);
  }
  if (ids.size() > max_len) ids.resize(max_len);
  return ids;
}

std::string MtText::decode(const std::vector<int64_t>& ids) const {
  const std::vector<int32_t> v(ids.begin(), ids.end());
  if (!tokenizer_) return vocab_->decode(v);
  std::string s = tokenizer_->decode(v, /*skip_special_tokens=*/true);
  const size_t b = s.find_first_not_of(" \t\n"), e = s.find_last_not_of(" \t\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string MtText::token(int64_t id) const {
  if (!tokenizer_) return vocab_->token(static_cast<int32_t>(id));
  return tokenizer_->decode({static_cast<int32_t>(id)}, /*skip_special_tokens=*/false);
}

size_t MtText::size() const { return tokenizer_ ? tokenizer_->vocab_size() : vocab_->size(); }

int64_t MtText::special_id(const std::string& token) const {
  if (!tokenizer_) return token == "[PAD]" ? vocab_->pad_id() : vocab_->id(token);
  const auto id = tokenizer_->token_to_id(token);
  ATTN_CHECK(id.has_value(),
             "tokenizer {} has no {} token; a translation tokenizer needs [PAD], [BOS] and [EOS] (e.g. "
             "attn vocab build --kind bpe --special [PAD] [UNK] [BOS] [EOS])",
             source_, token);
  return *id;
}

}  // namespace attn::cli
