// attn/text/trainers/bpe_trainer.cpp — see bpe_trainer.h.
#include "attn/text/trainers/bpe_trainer.h"

#include <omp.h>

#include <algorithm>
#include <map>
#include <queue>
#include <set>

#include "attn/core/error.h"
#include "attn/core/threads.h"
#include "attn/text/decoders/byte_level.h"
#include "attn/text/decoders/wordpiece.h"
#include "attn/text/models/bpe.h"
#include "attn/text/models/wordpiece.h"
#include "attn/text/normalizers/bert.h"
#include "attn/text/post_processors/template.h"
#include "attn/text/pre_tokenizers/bert.h"
#include "attn/text/pre_tokenizers/byte_level.h"
#include "attn/text/unicode.h"

namespace attn::text {

WordCounts count_words(const Tokenizer& tokenizer, const std::vector<std::string>& lines) {
  const int threads = std::max(1, get_num_threads());
  std::vector<WordCounts> partial(static_cast<size_t>(threads));
  const bool byte_level = tokenizer.pre_tokenizer() && tokenizer.pre_tokenizer()->byte_level();
#pragma omp parallel for schedule(dynamic, 64) num_threads(threads)
  for (size_t i = 0; i < lines.size(); ++i) {
    WordCounts& counts = partial[static_cast<size_t>(omp_get_thread_num())];
    for (const std::string& w : tokenizer.pre_tokenize_words(lines[i])) {
      if (!byte_level) {
        ++counts[w];
        continue;
      }
      std::string mapped;
      for (unsigned char b : w) mapped += byte_to_unicode()[b];
      ++counts[mapped];
    }
  }
  WordCounts total = std::move(partial[0]);
  for (size_t t = 1; t < partial.size(); ++t) {
    for (auto& [w, n] : partial[t]) total[w] += n;
  }
  return total;
}

namespace {

std::vector<std::string> split_chars(const std::string& w) {
  std::vector<std::string> out;
  for (size_t i = 0; i < w.size();) {
    const size_t start = i;
    decode_utf8(w, i);
    out.push_back(w.substr(start, i - start));
  }
  return out;
}

struct TrainState {
  std::vector<std::string> vocab;
  std::unordered_map<std::string, int32_t> ids;
  int32_t add(const std::string& t) {
    auto [it, inserted] = ids.emplace(t, static_cast<int32_t>(vocab.size()));
    if (inserted) vocab.push_back(t);
    return it->second;
  }
};

using Pair = std::pair<int32_t, int32_t>;

}  // namespace

namespace {

using Words = std::vector<std::pair<std::string, uint64_t>>;

// Every character weighted by its words' counts; limit_alphabet keeps the most frequent; HF then orders the
// kept characters by code point.
std::vector<std::string> alphabet_of(const Words& words, const BpeTrainerOptions& o) {
  std::map<std::string, uint64_t> alphabet;
  for (const auto& [w, n] : words) {
    for (const std::string& c : split_chars(w)) alphabet[c] += n;
  }
  for (const std::string& c : o.initial_alphabet) alphabet[c] = UINT64_MAX;
  std::vector<std::pair<std::string, uint64_t>> kept(alphabet.begin(), alphabet.end());
  if (o.limit_alphabet > 0 && kept.size() > o.limit_alphabet) {
    std::stable_sort(kept.begin(), kept.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    kept.resize(o.limit_alphabet);
  }
  auto code_point = [](const std::string& c) {
    size_t i = 0;
    return decode_utf8(c, i);
  };
  std::sort(kept.begin(), kept.end(),
            [&](const auto& a, const auto& b) { return code_point(a.first) < code_point(b.first); });
  std::vector<std::string> out;
  for (auto& [c, n] : kept) out.push_back(std::move(c));
  return out;
}

// Pair counts and, per pair, the words that contain it.
struct PairStats {
  std::map<Pair, int64_t> counts;
  std::map<Pair, std::set<size_t>> where;
};

// Applies the merge pair → merged to every word that contains it, updating the pair statistics; returns
// the pairs whose counts changed.
std::set<Pair> apply_merge(const Pair& pair, int32_t merged, const Words& words,
                           std::vector<std::vector<int32_t>>& symbols, PairStats& stats) {
  std::set<Pair> touched;
  for (size_t w : stats.where[pair]) {
    std::vector<int32_t>& s = symbols[w];
    const auto n = static_cast<int64_t>(words[w].second);
    auto change = [&](Pair p, int64_t delta) {
      stats.counts[p] += delta * n;
      if (delta > 0) stats.where[p].insert(w);
      touched.insert(p);
    };
    for (size_t i = 0; i + 1 < s.size(); ++i) {
      if (s[i] != pair.first || s[i + 1] != pair.second) continue;
      // (x a) (a b) (b y) → (x ab) (ab y)
      if (i > 0) change({s[i - 1], s[i]}, -1), change({s[i - 1], merged}, +1);
      if (i + 2 < s.size()) change({s[i + 1], s[i + 2]}, -1), change({merged, s[i + 2]}, +1);
      s[i] = merged;
      s.erase(s.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    }
  }
  stats.counts[pair] = 0;
  return touched;
}

}  // namespace

BpeTrainResult train_bpe(const WordCounts& word_counts, const BpeTrainerOptions& o) {
  TrainState st;
  for (const std::string& s : o.special_tokens) st.add(s);
  // Words in sorted order: ids (and so tie-breaks) do not depend on hash-map order.
  Words words(word_counts.begin(), word_counts.end());
  std::sort(words.begin(), words.end());
  const std::vector<std::string> kept = alphabet_of(words, o);
  for (const std::string& c : kept) st.add(c);
  const std::set<std::string> alphabet(kept.begin(), kept.end());
  // Each word as symbol ids (characters outside the alphabet are dropped, as in HF).
  std::vector<std::vector<int32_t>> symbols(words.size());
  PairStats stats;
  for (size_t w = 0; w < words.size(); ++w) {
    const std::vector<std::string> chars = split_chars(words[w].first);
    for (size_t i = 0; i < chars.size(); ++i) {
      if (!alphabet.count(chars[i])) continue;
      std::string s = (i > 0 ? o.continuing_subword_prefix : "") + chars[i];
      if (i + 1 == chars.size()) s += o.end_of_word_suffix;
      symbols[w].push_back(st.add(s));
    }
    for (size_t i = 0; i + 1 < symbols[w].size(); ++i) {
      const Pair p{symbols[w][i], symbols[w][i + 1]};
      stats.counts[p] += static_cast<int64_t>(words[w].second);
      stats.where[p].insert(w);
    }
  }
  // Max-heap on (count, then smaller pair first); stale counts are refreshed when popped.
  auto cmp = [](const std::pair<int64_t, Pair>& a, const std::pair<int64_t, Pair>& b) {
    return a.first != b.first ? a.first < b.first : a.second > b.second;
  };
  std::priority_queue<std::pair<int64_t, Pair>, std::vector<std::pair<int64_t, Pair>>, decltype(cmp)> queue(
      cmp);
  for (const auto& [p, n] : stats.counts) {
    if (n > 0) queue.emplace(n, p);
  }
  BpeTrainResult result;
  const std::string& prefix = o.continuing_subword_prefix;
  while (st.vocab.size() < o.vocab_size && !queue.empty()) {
    auto [count, pair] = queue.top();
    queue.pop();
    if (const int64_t current = stats.counts[pair]; count != current) {
      if (current > 0) queue.emplace(current, pair);
      continue;
    }
    if (count < 1 || static_cast<uint64_t>(count) < o.min_frequency) break;
    const std::string a = st.vocab[static_cast<size_t>(pair.first)],
                      b = st.vocab[static_cast<size_t>(pair.second)];
    const bool strip = !prefix.empty() && b.compare(0, prefix.size(), prefix) == 0;
    const int32_t merged = st.add(a + (strip ? b.substr(prefix.size()) : b));
    result.merges.emplace_back(a, b);
    for (const Pair& p : apply_merge(pair, merged, words, symbols, stats)) {
      if (p != pair && stats.counts[p] > 0) queue.emplace(stats.counts[p], p);
    }
  }
  result.vocab = std::move(st.vocab);
  return result;
}

Tokenizer train_wordpiece(const std::vector<std::string>& lines, BpeTrainerOptions o,
                          const BertOptions& bert) {
  if (o.special_tokens.empty()) o.special_tokens = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
  if (o.continuing_subword_prefix.empty()) o.continuing_subword_prefix = "##";
  Tokenizer counter(std::make_unique<WordPiece>(std::vector<std::string>{"[UNK]"}));
  counter.set_normalizer(std::make_unique<BertNormalizer>(
      BertNormalizerOptions{bert.clean_text, bert.handle_chinese_chars, bert.strip_accents, bert.lowercase}));
  counter.set_pre_tokenizer(std::make_unique<BertPreTokenizer>());
  BpeTrainResult r = train_bpe(count_words(counter, lines), o);
  WordPieceOptions wp;
  wp.continuing_subword_prefix = o.continuing_subword_prefix;
  wp.max_input_chars_per_word = bert.max_input_chars_per_word;
  auto model = std::make_unique<WordPiece>(std::move(r.vocab), wp);
  const auto cls = model->token_to_id("[CLS]"), sep = model->token_to_id("[SEP]");
  ATTN_CHECK(cls && sep, "train_wordpiece: the special tokens must include [CLS] and [SEP]");
  std::vector<AddedToken> specials;
  for (const std::string& s : o.special_tokens) specials.push_back({s, *model->token_to_id(s), true, false});
  Tokenizer t(std::move(model));
  t.set_normalizer(std::make_unique<BertNormalizer>(
      BertNormalizerOptions{bert.clean_text, bert.handle_chinese_chars, bert.strip_accents, bert.lowercase}));
  t.set_pre_tokenizer(std::make_unique<BertPreTokenizer>());
  t.set_post_processor(
      std::make_unique<TemplateProcessing>(TemplateProcessing::bert("[CLS]", *cls, "[SEP]", *sep)));
  t.set_decoder(std::make_unique<WordPieceDecoder>("##", true));
  t.add_tokens(specials);
  return t;
}

Tokenizer train_byte_level_bpe(const std::vector<std::string>& lines, BpeTrainerOptions o) {
  for (const std::string& c : byte_to_unicode()) o.initial_alphabet.push_back(c);
  Tokenizer counter(std::make_unique<WordPiece>(std::vector<std::string>{"[UNK]"}));
  counter.set_pre_tokenizer(std::make_unique<ByteLevelPreTokenizer>(false, true));
  BpeTrainResult r = train_bpe(count_words(counter, lines), o);
  BpeOptions bo;
  bo.byte_level = true;
  auto model = std::make_unique<Bpe>(std::move(r.vocab), std::move(r.merges), bo);
  std::vector<AddedToken> specials;
  for (const std::string& s : o.special_tokens) specials.push_back({s, *model->token_to_id(s), true, false});
  Tokenizer t(std::move(model));
  t.set_pre_tokenizer(std::make_unique<ByteLevelPreTokenizer>(false, true));
  t.set_post_processor(std::make_unique<ByteLevelPostProcessor>(true, true));
  t.set_decoder(std::make_unique<ByteLevelDecoder>());
  t.add_tokens(specials);
  return t;
}

}  // namespace attn::text
