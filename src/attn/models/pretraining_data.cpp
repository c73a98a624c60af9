// BERT pretraining data — HF transformers 4.46.3's TextDatasetForNextSentencePrediction and
// DataCollatorForLanguageModeling / DataCollatorForWholeWordMask, on attn::Generator.
#include "attn/models/pretraining_data.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "attn/core/error.h"
#include "attn/tensor/creation.h"

namespace attn::models {

// ---- text → documents ----

std::string strip_gutenberg(std::string_view text) {
  auto line_after = [&](size_t pos) {
    const size_t nl = text.find('\n', pos);
    return nl == std::string_view::npos ? text.size() : nl + 1;
  };
  size_t begin = 0, end = text.size();
  if (const size_t s = text.find("*** START OF"); s != std::string_view::npos) begin = line_after(s);
  if (const size_t e = text.find("*** END OF", begin); e != std::string_view::npos) {
    end = text.rfind('\n', e);
    end = end == std::string_view::npos || end < begin ? begin : end;
  }
  return std::string(text.substr(begin, end - begin));
}

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool ends_with_abbreviation(const std::string& s) {
  static const char* kAbbrev[] = {"Mr.", "Mrs.", "Dr.", "St.", "Ms.", "Prof.", "Jr.", "Sr.", "vs.", "Mt."};
  for (const char* a : kAbbrev) {
    const std::string_view ab(a);
    if (s.size() >= ab.size() && s.compare(s.size() - ab.size(), ab.size(), ab) == 0 &&
        (s.size() == ab.size() || is_space(s[s.size() - ab.size() - 1])))
      return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> split_sentences(std::string_view paragraph) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    while (!cur.empty() && cur.back() == ' ') cur.pop_back();
    if (!cur.empty()) out.push_back(std::move(cur));
    cur.clear();
  };
  for (size_t i = 0; i < paragraph.size(); ++i) {
    const char c = paragraph[i];
    if (is_space(c)) {
      if (!cur.empty() && cur.back() != ' ') cur += ' ';
      continue;
    }
    cur += c;
    if (c != '.' && c != '!' && c != '?') continue;
    // Closing quotes / brackets stay with the sentence: ." .’ !) …
    size_t j = i + 1;
    while (j < paragraph.size() &&
           (paragraph[j] == '"' || paragraph[j] == '\'' || paragraph[j] == ')' || paragraph[j] == ']' ||
            static_cast<unsigned char>(paragraph[j]) >= 0x80)) {
      if (static_cast<unsigned char>(paragraph[j]) >= 0x80) {
        // ” ’ (U+201D, U+2019: E2 80 9D / E2 80 99) close a quote; other non-ASCII does not.
        if (paragraph.substr(j, 3) != "\xE2\x80\x9D" && paragraph.substr(j, 3) != "\xE2\x80\x99") break;
        cur += paragraph.substr(j, 3);
        j += 3;
        continue;
      }
      cur += paragraph[j++];
    }
    i = j - 1;
    if ((j == paragraph.size() || is_space(paragraph[j])) && !(c == '.' && ends_with_abbreviation(cur)))
      flush();
  }
  flush();
  return out;
}

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  ATTN_CHECK_KIND(Io, in.good(), "pretraining data: cannot open corpus file '{}'", path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Lines with '\r' removed; a line of only whitespace counts as blank.
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (std::all_of(line.begin(), line.end(), is_space)) line.clear();
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace

std::vector<std::vector<std::string>> read_documents(const std::vector<std::string>& paths,
                                                     DocumentSplit split) {
  std::vector<std::vector<std::string>> docs;
  for (const std::string& path : paths) {
    const std::vector<std::string> lines = lines_of(strip_gutenberg(read_file(path)));
    std::vector<std::string> doc;
    std::string paragraph;
    auto end_paragraph = [&] {
      for (auto& s : split_sentences(paragraph)) doc.push_back(std::move(s));
      paragraph.clear();
    };
    for (const std::string& line : lines) {
      if (split == DocumentSplit::BlankLine) {
        if (line.empty()) {
          if (!doc.empty()) docs.push_back(std::move(doc));
          doc.clear();
        } else {
          doc.push_back(line);
        }
      } else if (line.empty()) {
        end_paragraph();
      } else {
        paragraph += (paragraph.empty() ? "" : " ") + line;
      }
    }
    end_paragraph();
    if (!doc.empty()) docs.push_back(std::move(doc));
  }
  return docs;
}

std::vector<TokenizedDocument> tokenize_documents(const std::vector<std::vector<std::string>>& docs,
                                                  const text::Tokenizer& tokenizer) {
  std::vector<TokenizedDocument> out;
  out.reserve(docs.size());
  for (const auto& doc : docs) {
    const std::vector<text::Encoding> encs = tokenizer.encode_batch(doc, /*add_special_tokens=*/false);
    TokenizedDocument td;
    for (const text::Encoding& e : encs) {
      if (e.ids.empty()) continue;
      TokenizedSentence s;
      s.ids = e.ids;
      for (const std::string& tok : e.tokens) s.continues_word.push_back(tok.rfind("##", 0) == 0 ? 1 : 0);
      td.push_back(std::move(s));
    }
    if (!td.empty()) out.push_back(std::move(td));
  }
  return out;
}

// ---- documents → sentence pairs ----

void truncate_seq_pair(TokenizedSentence& a, TokenizedSentence& b, size_t max_num_tokens, Generator& gen) {
  while (a.ids.size() + b.ids.size() > max_num_tokens) {
    TokenizedSentence& t = a.ids.size() > b.ids.size() ? a : b;  // HF: tokens_a if len(a) > len(b) else b
    if (gen.uniform() < 0.5) {
      t.ids.erase(t.ids.begin());
      t.continues_word.erase(t.continues_word.begin());
    } else {
      t.ids.pop_back();
      t.continues_word.pop_back();
    }
  }
}

namespace {

void extend(TokenizedSentence& dst, const TokenizedSentence& src) {
  dst.ids.insert(dst.ids.end(), src.ids.begin(), src.ids.end());
  dst.continues_word.insert(dst.continues_word.end(), src.continues_word.begin(), src.continues_word.end());
}

// random.randint(lo, hi) (both inclusive)
int64_t randint(Generator& gen, int64_t lo, int64_t hi) {
  return lo + static_cast<int64_t>(gen.randint(static_cast<uint64_t>(hi - lo + 1)));
}

// B from a random other document, starting at a random segment, until target_b_length tokens.
TokenizedSentence random_next(const std::vector<TokenizedDocument>& docs, size_t doc_index,
                              size_t target_b_length, Generator& gen) {
  size_t r = doc_index;
  for (int k = 0; k < 10 && r == doc_index; ++k)  // HF tries ten times to avoid the current document
    r = static_cast<size_t>(randint(gen, 0, static_cast<int64_t>(docs.size()) - 1));
  const TokenizedDocument& rd = docs[r];
  TokenizedSentence b;
  for (size_t j = static_cast<size_t>(randint(gen, 0, static_cast<int64_t>(rd.size()) - 1)); j < rd.size();
       ++j) {
    extend(b, rd[j]);
    if (b.ids.size() >= target_b_length) break;
  }
  return b;
}

void pairs_of_document(const std::vector<TokenizedDocument>& docs, size_t doc_index, const PairOptions& o,
                       Generator& gen, std::vector<SentencePair>& out) {
  const TokenizedDocument& doc = docs[doc_index];
  const auto max_num_tokens = static_cast<size_t>(o.max_seq_len - 3);  // [CLS] A [SEP] B [SEP]
  size_t target = max_num_tokens;
  if (gen.uniform() < o.short_seq_prob) target = static_cast<size_t>(randint(gen, 2, o.max_seq_len - 3));
  std::vector<const TokenizedSentence*> chunk;
  size_t length = 0;
  for (int64_t i = 0; i < static_cast<int64_t>(doc.size()); ++i) {
    chunk.push_back(&doc[static_cast<size_t>(i)]);
    length += doc[static_cast<size_t>(i)].ids.size();
    if (i != static_cast<int64_t>(doc.size()) - 1 && length < target) continue;
    const size_t a_end =
        chunk.size() >= 2 ? static_cast<size_t>(randint(gen, 1, static_cast<int64_t>(chunk.size()) - 1)) : 1;
    SentencePair p;
    for (size_t j = 0; j < a_end; ++j) extend(p.a, *chunk[j]);
    if (chunk.size() == 1 || gen.uniform() < o.nsp_probability) {
      p.is_random_next = true;
      p.b = random_next(docs, doc_index, target > p.a.ids.size() ? target - p.a.ids.size() : 1, gen);
      i -= static_cast<int64_t>(chunk.size() - a_end);  // the unused segments are read again
    } else {
      for (size_t j = a_end; j < chunk.size(); ++j) extend(p.b, *chunk[j]);
    }
    truncate_seq_pair(p.a, p.b, max_num_tokens, gen);
    if (!p.a.ids.empty() && !p.b.ids.empty()) out.push_back(std::move(p));
    chunk.clear();
    length = 0;
  }
}

}  // namespace

std::vector<SentencePair> create_pairs(const std::vector<TokenizedDocument>& docs, const PairOptions& o,
                                       Generator& gen) {
  ATTN_CHECK(docs.size() >= 2, "pretraining data: next-sentence pairs need at least 2 documents, got {}",
             docs.size());
  ATTN_CHECK(o.max_seq_len >= 5,
             "pretraining data: max_seq_len must be at least 5 ([CLS] a [SEP] b [SEP]), got {}",
             o.max_seq_len);
  std::vector<SentencePair> out;
  for (size_t d = 0; d < docs.size(); ++d) pairs_of_document(docs, d, o, gen, out);
  return out;
}

// ---- pairs → masked batches ----

SpecialIds SpecialIds::from_tokenizer(const text::Tokenizer& tok) {
  auto id = [&](const char* name) {
    const auto v = tok.token_to_id(name);
    ATTN_CHECK(v.has_value(), "pretraining data: the tokenizer has no {} token", name);
    return *v;
  };
  SpecialIds s;
  s.pad = id("[PAD]");
  s.cls = id("[CLS]");
  s.sep = id("[SEP]");
  s.mask = id("[MASK]");
  s.vocab_size = static_cast<int64_t>(tok.vocab_size());
  return s;
}

namespace {

// Which positions of one row (n tokens, specials excluded) are selected for prediction.
std::vector<uint8_t> select_positions(const std::vector<uint8_t>& special,
                                      const std::vector<uint8_t>& continues, const MaskingOptions& o,
                                      Generator& gen) {
  const size_t n = special.size();
  std::vector<uint8_t> sel(n, 0);
  if (!o.whole_word) {
    for (size_t i = 0; i < n; ++i) sel[i] = !special[i] && gen.uniform() < o.mlm_probability;  // bernoulli(p)
    return sel;
  }
  // DataCollatorForWholeWordMask._whole_word_mask: words = [start, end) runs of a token and its "##" tokens.
  std::vector<std::pair<size_t, size_t>> words;
  size_t tokens = 0;
  for (size_t i = 0; i < n; ++i) {
    if (special[i]) continue;
    ++tokens;
    if (continues[i] && !words.empty() && words.back().second == i)
      words.back().second = i + 1;
    else
      words.emplace_back(i, i + 1);
  }
  for (size_t i = words.size(); i > 1; --i) std::swap(words[i - 1], words[gen.randint(i)]);  // random.shuffle
  const auto target =
      std::max<size_t>(1, static_cast<size_t>(std::llround(static_cast<double>(tokens) * o.mlm_probability)));
  size_t chosen = 0;
  for (const auto& [s, e] : words) {
    if (chosen >= target) break;
    if (chosen + (e - s) > target) continue;
    for (size_t i = s; i < e; ++i) sel[i] = 1;
    chosen += e - s;
  }
  return sel;
}

}  // namespace

PretrainingBatch make_batch(const std::vector<const SentencePair*>& pairs, const SpecialIds& sp,
                            const MaskingOptions& o, Generator& gen) {
  ATTN_CHECK(!pairs.empty(), "pretraining data: make_batch needs at least one pair");
  ATTN_CHECK(sp.vocab_size > 0, "pretraining data: SpecialIds.vocab_size is not set");
  const auto B = static_cast<int64_t>(pairs.size());
  int64_t T = 0;
  for (const SentencePair* p : pairs)
    T = std::max<int64_t>(T, static_cast<int64_t>(p->a.ids.size() + p->b.ids.size() + 3));
  PretrainingBatch b;
  b.input_ids = full({B, T}, static_cast<double>(sp.pad), DType::I64);
  b.attention_mask = zeros({B, T}, DType::I64);
  b.token_type_ids = zeros({B, T}, DType::I64);
  b.labels = full({B, T}, -100.0, DType::I64);
  b.next_sentence_label = empty({B}, DType::I64);
  int64_t *ids = b.input_ids.data<int64_t>(), *am = b.attention_mask.data<int64_t>(),
          *tt = b.token_type_ids.data<int64_t>(), *lab = b.labels.data<int64_t>();
  for (int64_t r = 0; r < B; ++r) {
    const SentencePair& p = *pairs[static_cast<size_t>(r)];
    std::vector<int32_t> row{sp.cls};
    std::vector<uint8_t> special{1}, cont{0};
    auto put = [&](const TokenizedSentence& s) {
      row.insert(row.end(), s.ids.begin(), s.ids.end());
      special.insert(special.end(), s.ids.size(), 0);
      cont.insert(cont.end(), s.continues_word.begin(), s.continues_word.end());
      row.push_back(sp.sep), special.push_back(1), cont.push_back(0);
    };
    put(p.a);
    const size_t b_start = row.size();
    put(p.b);
    const std::vector<uint8_t> sel = select_positions(special, cont, o, gen);
    for (size_t i = 0; i < row.size(); ++i) {
      const int64_t k = r * T + static_cast<int64_t>(i);
      ids[k] = row[i], am[k] = 1, tt[k] = i >= b_start ? 1 : 0;
      if (!sel[i]) continue;
      lab[k] = row[i];
      ++b.masked;
      // HF draws bernoulli(0.8) for [MASK], then bernoulli(0.5) among the rest for a random id.
      if (gen.uniform() < 0.8)
        ids[k] = sp.mask;
      else if (gen.uniform() < 0.5)
        ids[k] = static_cast<int64_t>(gen.randint(static_cast<uint64_t>(sp.vocab_size)));
    }
    b.tokens += static_cast<int64_t>(row.size());
    b.next_sentence_label.data<int64_t>()[r] = p.is_random_next ? 1 : 0;
  }
  return b;
}

}  // namespace attn::models
