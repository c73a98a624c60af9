// attn/text/vocab.cpp — see vocab.h.
#include "attn/text/vocab.h"

#include <algorithm>
#include <fstream>

#include "attn/core/error.h"
#include "attn/text/normalizers/bert.h"
#include "attn/text/pre_tokenizers/bert.h"

namespace attn::text {

Vocab::Vocab(std::vector<std::string> tokens, std::string unk_token) : tokens_(std::move(tokens)) {
  for (size_t i = 0; i < tokens_.size(); ++i) {
    ATTN_CHECK(index_.emplace(tokens_[i], static_cast<int32_t>(i)).second, "Vocab: token '{}' appears twice",
               tokens_[i]);
  }
  auto it = index_.find(unk_token);
  unk_id_ = it == index_.end() ? -1 : it->second;
}

std::vector<std::string> Vocab::tokenize(std::string_view text) const {
  NormalizedString ns(text);
  BertNormalizer({true, true, false, lowercase_}).normalize(ns);
  std::vector<Word> words;
  BertPreTokenizer().pre_tokenize(ns, words);
  std::vector<std::string> out;
  out.reserve(words.size());
  for (const Word& w : words) out.push_back(ns.utf8(w.begin, w.end));
  return out;
}

Vocab Vocab::build(const std::vector<std::string>& corpus, const VocabOptions& options) {
  Vocab splitter;
  splitter.lowercase_ = options.lowercase;
  std::unordered_map<std::string, size_t> counts;
  for (const std::string& line : corpus) {
    for (std::string& w : splitter.tokenize(line)) ++counts[std::move(w)];
  }
  std::vector<std::pair<std::string, size_t>> words;
  for (auto& [w, n] : counts) {
    const bool special =
        std::find(options.specials.begin(), options.specials.end(), w) != options.specials.end();
    if (n >= options.min_freq && !special) words.emplace_back(w, n);
  }
  std::sort(words.begin(), words.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  std::vector<std::string> tokens = options.specials;
  for (auto& [w, n] : words) {
    if (options.max_size > 0 && tokens.size() >= options.max_size) break;
    tokens.push_back(std::move(w));
  }
  Vocab v(std::move(tokens));
  v.lowercase_ = options.lowercase;
  return v;
}

Vocab Vocab::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  ATTN_CHECK_KIND(Io, in.good(), "{}: cannot open vocabulary (one token per line)", path);
  std::vector<std::string> tokens;
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    ATTN_CHECK_KIND(Format, !line.empty(), "{}: line {}: empty token", path, n);
    tokens.push_back(line);
  }
  try {
    return Vocab(std::move(tokens));
  } catch (const Error& e) {
    throw Error(ErrorKind::Format, path + ": " + e.what());
  }
}

void Vocab::save(const std::string& path) const {
  std::ofstream out(path, std::ios::binary);
  ATTN_CHECK_KIND(Io, out.good(), "{}: cannot write vocabulary", path);
  for (const std::string& t : tokens_) out << t << '\n';
  ATTN_CHECK_KIND(Io, out.good(), "{}: write failed", path);
}

int32_t Vocab::id(std::string_view token) const {
  auto it = index_.find(std::string(token));
  return it == index_.end() ? unk_id_ : it->second;
}

const std::string& Vocab::token(int32_t id) const {
  ATTN_CHECK(id >= 0 && static_cast<size_t>(id) < tokens_.size(), "Vocab: id {} out of range [0, {})", id,
             tokens_.size());
  return tokens_[static_cast<size_t>(id)];
}

std::vector<int32_t> Vocab::encode(std::string_view text) const {
  std::vector<int32_t> ids;
  for (const std::string& w : tokenize(text)) {
    const int32_t i = id(w);
    ATTN_CHECK(i >= 0, "Vocab: '{}' is not in the vocabulary and it has no [UNK]", w);
    ids.push_back(i);
  }
  return ids;
}

std::string Vocab::decode(const std::vector<int32_t>& ids, bool skip_special_tokens) const {
  std::string out;
  for (int32_t i : ids) {
    const std::string& t = token(i);
    const auto& sp = default_special_tokens();
    if (skip_special_tokens && std::find(sp.begin(), sp.end(), t) != sp.end()) continue;
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

}  // namespace attn::text
