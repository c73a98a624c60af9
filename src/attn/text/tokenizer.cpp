// attn/text/tokenizer.cpp — see tokenizer.h. The order of steps and every rule follow HF's
// tokenizer/mod.rs (encode_single_sequence, post_process, encode_batch, decode) in tokenizers 0.20.3.
#include "attn/text/tokenizer.h"

#include <omp.h>

#include <algorithm>

#include "attn/core/error.h"
#include "attn/core/parallel_tasks.h"
#include "attn/core/threads.h"
#include "attn/text/decoders/wordpiece.h"
#include "attn/text/models/wordpiece.h"
#include "attn/text/normalizers/bert.h"
#include "attn/text/post_processors/template.h"
#include "attn/text/pre_tokenizers/bert.h"
#include "attn/text/unicode.h"

namespace attn::text {

Tokenizer::Tokenizer(std::unique_ptr<Model> model) : model_(std::move(model)) {}
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::~Tokenizer() = default;

void Tokenizer::set_normalizer(std::unique_ptr<Normalizer> n) { normalizer_ = std::move(n); }
void Tokenizer::set_pre_tokenizer(std::unique_ptr<PreTokenizer> p) { pre_tokenizer_ = std::move(p); }
void Tokenizer::set_post_processor(std::unique_ptr<PostProcessor> p) { post_processor_ = std::move(p); }
void Tokenizer::set_decoder(std::unique_ptr<Decoder> d) { decoder_ = std::move(d); }

void Tokenizer::add_tokens(const std::vector<AddedToken>& tokens) {
  for (const AddedToken& t : tokens) {
    ATTN_CHECK(!t.content.empty(), "Tokenizer: an added token has empty content");
    auto same = [&](const AddedToken& a) { return a.content == t.content; };
    auto it = std::find_if(added_.begin(), added_.end(), same);
    if (it != added_.end()) {
      *it = t;
    } else {
      added_.push_back(t);
    }
    first_byte_[static_cast<unsigned char>(t.content[0])] = true;
  }
}

Tokenizer Tokenizer::bert_from_vocab(const std::string& vocab_path, const BertOptions& o) {
  WordPieceOptions wp;
  wp.max_input_chars_per_word = o.max_input_chars_per_word;
  auto model = std::make_unique<WordPiece>(WordPiece::from_file(vocab_path, wp));
  std::vector<AddedToken> specials;
  for (const char* s : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}) {
    if (auto id = model->token_to_id(s)) specials.push_back({s, *id, true, false});
  }
  const auto cls = model->token_to_id("[CLS]");
  const auto sep = model->token_to_id("[SEP]");
  ATTN_CHECK_KIND(Format, cls && sep, "{}: a BERT vocabulary needs [CLS] and [SEP]", vocab_path);
  Tokenizer t(std::move(model));
  t.set_normalizer(std::make_unique<BertNormalizer>(
      BertNormalizerOptions{o.clean_text, o.handle_chinese_chars, o.strip_accents, o.lowercase}));
  t.set_pre_tokenizer(std::make_unique<BertPreTokenizer>());
  t.set_post_processor(
      std::make_unique<TemplateProcessing>(TemplateProcessing::bert("[CLS]", *cls, "[SEP]", *sep)));
  t.set_decoder(std::make_unique<WordPieceDecoder>("##", true));
  t.add_tokens(specials);
  return t;
}

// Converts byte offsets of one input text to code-point offsets, for tokens visited with non-decreasing
// start offsets (HF's BytesToCharOffsetConverter: start → index of its char, end → index of char(end-1)+1).
class CharCounter {
 public:
  explicit CharCounter(std::string_view text) : text_(text) {
    ascii_ =
        std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  }
  Span convert(Span b) {
    if (ascii_ || (b.begin == 0 && b.end == 0)) return b;
    if (b.begin < byte_) byte_ = 0, chars_ = 0;  // not monotonic (cannot happen in encode): restart
    advance(byte_, chars_, b.begin);
    size_t e = byte_;
    uint32_t ce = chars_;
    advance(e, ce, b.end);
    return {chars_, ce};
  }

 private:
  void advance(size_t& pos, uint32_t& count, size_t target) const {
    while (pos < target) {
      decode_utf8(text_, pos);
      ++count;
    }
  }
  std::string_view text_;
  bool ascii_ = false;  // then code points = bytes
  size_t byte_ = 0;
  uint32_t chars_ = 0;
};

namespace {

// Buffers reused across calls on the same thread (encode_batch calls encode millions of times).
struct Scratch {
  NormalizedString ns;
  std::vector<Word> words;
  std::vector<ModelToken> tokens;
  std::string word;
  std::vector<uint32_t> starts;  // byte offset of each character of `word`, then word.size()
};

// One pre-tokenized word through the model; its tokens, with offsets mapped back to the input through the
// NormalizedString's alignments, are appended to `enc`.
void encode_word(const Model& model, std::string_view text, const Word& w, bool byte_level, Scratch& s,
                 CharCounter& counter, int32_t sequence_id, Encoding& enc) {
  const std::vector<char32_t>& chars = s.ns.chars();
  s.word.clear();
  s.starts.clear();
  for (uint32_t i = w.begin; i < w.end; ++i) {
    s.starts.push_back(static_cast<uint32_t>(s.word.size()));
    if (chars[i] == 0xFFFD && byte_level) {
      // Byte-level models see the raw bytes of an ill-formed sequence, so that they round-trip.
      const Span a = s.ns.alignments()[i];
      s.word.append(text.substr(a.begin, a.end - a.begin));
    } else {
      append_utf8(s.word, chars[i]);
    }
  }
  s.starts.push_back(static_cast<uint32_t>(s.word.size()));
  s.tokens.clear();
  model.tokenize(s.word, s.tokens);
  size_t c = 0;  // character of `word` containing the current token's first byte
  for (const ModelToken& t : s.tokens) {
    while (s.starts[c + 1] <= t.begin) ++c;
    size_t last = c;
    while (s.starts[last + 1] < t.end) ++last;
    const Span bytes = s.ns.original_span(w.begin + c, w.begin + last + 1);
    enc.push(t.id, model.token(t.id), counter.convert(bytes), bytes, 0, false, sequence_id);
  }
}

}  // namespace

void Tokenizer::encode_piece(std::string_view text, size_t begin, size_t end, int32_t sequence_id,
                             CharCounter& counter, Encoding& enc) const {
  if (begin == end) return;
  thread_local Scratch s;
  s.ns.reset(text, begin, end);
  if (normalizer_) normalizer_->normalize(s.ns);
  s.words.clear();
  if (pre_tokenizer_) {
    pre_tokenizer_->pre_tokenize(s.ns, s.words);
  } else if (!s.ns.empty()) {
    s.words.push_back({0, static_cast<uint32_t>(s.ns.size())});
  }
  const bool byte_level = pre_tokenizer_ && pre_tokenizer_->byte_level();
  for (const Word& w : s.words) {
    encode_word(*model_, text, w, byte_level, s, counter, sequence_id, enc);
  }
}

Encoding Tokenizer::encode_sequence(std::string_view text, int32_t sequence_id) const {
  ATTN_CHECK(text.size() < (size_t{1} << 32) - 1, "encode: text of {} bytes is over the 4 GiB limit",
             text.size());
  Encoding enc;
  // Room for the special tokens the post-processor will add, so that it can work in place.
  enc.reserve(text.size() / 4 + 4);
  CharCounter counter(text);
  // Added tokens are cut out of the raw text first, leftmost-longest (HF AddedVocabulary).
  size_t piece_begin = 0;
  for (size_t i = 0; i < text.size() && !added_.empty(); ++i) {
    if (!first_byte_[static_cast<unsigned char>(text[i])]) continue;
    const AddedToken* best = nullptr;
    for (const AddedToken& a : added_) {
      if (text.compare(i, a.content.size(), a.content) == 0 &&
          (!best || a.content.size() > best->content.size())) {
        best = &a;
      }
    }
    if (!best) continue;
    encode_piece(text, piece_begin, i, sequence_id, counter, enc);
    const Span bytes{static_cast<uint32_t>(i), static_cast<uint32_t>(i + best->content.size())};
    enc.push(best->id, best->content, counter.convert(bytes), bytes, 0, false, sequence_id);
    i += best->content.size() - 1;
    piece_begin = i + 1;
  }
  encode_piece(text, piece_begin, text.size(), sequence_id, counter, enc);
  return enc;
}

std::vector<std::string> Tokenizer::pre_tokenize_words(std::string_view text) const {
  NormalizedString ns(text);
  if (normalizer_) normalizer_->normalize(ns);
  std::vector<Word> words;
  if (pre_tokenizer_) {
    pre_tokenizer_->pre_tokenize(ns, words);
  } else if (!ns.empty()) {
    words.push_back({0, static_cast<uint32_t>(ns.size())});
  }
  std::vector<std::string> out;
  out.reserve(words.size());
  const bool byte_level = pre_tokenizer_ && pre_tokenizer_->byte_level();
  for (const Word& w : words) {
    std::string word;
    for (uint32_t i = w.begin; i < w.end; ++i) {
      const Span a = ns.alignments()[i];
      if (ns.chars()[i] == 0xFFFD && byte_level) {
        word.append(text.substr(a.begin, a.end - a.begin));
      } else {
        append_utf8(word, ns.chars()[i]);
      }
    }
    out.push_back(std::move(word));
  }
  return out;
}

Encoding Tokenizer::post_process(Encoding a, std::optional<Encoding> b, bool add_special_tokens) const {
  if (truncation_) {
    TruncationParams t = *truncation_;
    const size_t added = post_processor_ ? post_processor_->added_tokens(b.has_value()) : 0;
    bool apply = true;
    if (add_special_tokens && added > 0) {
      // HF computes max_length - added in unsigned arithmetic: below the number of special tokens it wraps
      // around, which turns truncation off. Kept, so that the output stays identical.
      apply = t.max_length >= added;
      t.max_length -= apply ? added : 0;
    }
    if (apply) truncate_encodings(a, b ? &*b : nullptr, t);
  }
  Encoding out;
  if (post_processor_) {
    out = post_processor_->process(std::move(a), std::move(b), add_special_tokens);
  } else {
    out = std::move(a);
    if (b) merge_with(out, *b);
  }
  if (padding_) {
    const size_t target = padding_->strategy == PaddingStrategy::Fixed ? padding_->length : out.size();
    PaddingParams p = *padding_;
    p.strategy = PaddingStrategy::Fixed;
    p.length = target;
    std::vector<Encoding> one;
    one.push_back(std::move(out));
    pad_encodings(one, p);
    out = std::move(one[0]);
  }
  return out;
}

Encoding Tokenizer::encode(std::string_view text, bool add_special_tokens) const {
  return post_process(encode_sequence(text, 0), std::nullopt, add_special_tokens);
}

Encoding Tokenizer::encode_pair(std::string_view a, std::string_view b, bool add_special_tokens) const {
  return post_process(encode_sequence(a, 0), encode_sequence(b, 1), add_special_tokens);
}

namespace {

// Runs f(i) for i in [0, n) on attn's threads; the first exception is rethrown on the calling thread.
template <class F>
void parallel_for(size_t n, F f) {
  parallel_tasks(static_cast<int64_t>(n), get_num_threads(), 16,
                 [&](int64_t i) { f(static_cast<size_t>(i)); });
}

}  // namespace

std::vector<Encoding> Tokenizer::encode_batch(const std::vector<std::string>& texts,
                                              bool add_special_tokens) const {
  std::vector<Encoding> out(texts.size());
  parallel_for(texts.size(), [&](size_t i) { out[i] = encode(texts[i], add_special_tokens); });
  if (padding_) pad_encodings(out, *padding_);
  return out;
}

std::vector<Encoding> Tokenizer::encode_batch_pairs(
    const std::vector<std::pair<std::string, std::string>>& pairs, bool add_special_tokens) const {
  std::vector<Encoding> out(pairs.size());
  parallel_for(pairs.size(),
               [&](size_t i) { out[i] = encode_pair(pairs[i].first, pairs[i].second, add_special_tokens); });
  if (padding_) pad_encodings(out, *padding_);
  return out;
}

std::optional<int32_t> Tokenizer::token_to_id(std::string_view token) const {
  for (const AddedToken& a : added_) {
    if (a.content == token) return a.id;
  }
  return model_->token_to_id(token);
}

std::optional<std::string> Tokenizer::id_to_token(int32_t id) const {
  for (const AddedToken& a : added_) {
    if (a.id == id) return a.content;
  }
  return model_->id_to_token(id);
}

size_t Tokenizer::vocab_size(bool with_added_tokens) const {
  size_t n = model_->vocab_size();
  if (with_added_tokens) {
    for (const AddedToken& a : added_) n += model_->id_to_token(a.id) ? 0 : 1;
  }
  return n;
}

std::string Tokenizer::decode(const std::vector<int32_t>& ids, bool skip_special_tokens) const {
  std::vector<std::string> tokens;
  tokens.reserve(ids.size());
  for (int32_t id : ids) {
    const AddedToken* added = nullptr;
    for (const AddedToken& a : added_) {
      if (a.id == id) added = &a;
    }
    if (added) {
      if (!(skip_special_tokens && added->special)) tokens.push_back(added->content);
    } else if (auto t = model_->id_to_token(id)) {
      tokens.push_back(std::move(*t));
    }
  }
  if (decoder_) return decoder_->decode(tokens);
  std::string out;
  for (size_t i = 0; i < tokens.size(); ++i) out += (i ? " " : "") + tokens[i];
  return out;
}

}  // namespace attn::text
