// attn tokenize — text → tokens, ids and offsets with a tokenizer.json (or a BERT vocab.txt), as a readable
// aligned table per text, the padded id matrix and attention mask when several texts are given, or
// --json (one object per line). Texts come from the command line or, if none, from stdin (one per line).
//
//   attn tokenize --tokenizer models/all-MiniLM-L6-v2/tokenizer.json "Hello, y'all!" "How are you 😁 ?"
//   echo "고양이가 침대 위에서 잔다" | attn tokenize --tokenizer tokenizer.json --json
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "attn/core/error.h"
#include "attn/text/tokenizer.h"
#include "attn/text/unicode.h"
#include "commands.h"

namespace attn::cli {
namespace {

using text::Encoding;
using text::Tokenizer;

struct TokenizeArgs {
  std::string tokenizer, vocab;
  std::vector<std::string> texts;
  bool json = false, pair = false, no_special = false, cased = false, bytes = false;
  int max_length = -1;  // -1: as the tokenizer.json says; 0: no truncation
  std::string pad = "longest";
};

std::string pad_to(const std::string& s, int width) {
  return s + std::string(static_cast<size_t>(std::max(0, width - text::display_width(s))), ' ');
}

// A token as it should be shown: control and invisible characters escaped.
std::string printable(const std::string& token) {
  std::string out;
  for (size_t i = 0; i < token.size();) {
    const size_t start = i;
    const char32_t c = text::decode_utf8(token, i);
    const uint8_t f = text::char_flags(c);
    if ((f & text::kRemovedByClean) || ((f & text::kSplitSpace) && c != U' ')) {
      out += fmt::format("\\u{{{:04X}}}", static_cast<uint32_t>(c));
    } else {
      out += token.substr(start, i - start);
    }
  }
  return out;
}

void print_table(const std::string& input, const Encoding& e, bool bytes, bool type_ids) {
  std::printf("%s  (%zu tokens)\n", nlohmann::json(input).dump().c_str(), e.size());
  std::vector<std::string> rows[4];
  const int nrows = type_ids ? 4 : 3;
  for (size_t i = 0; i < e.size(); ++i) {
    const text::Span o = bytes ? e.byte_offsets[i] : e.offsets[i];
    rows[0].push_back(printable(e.tokens[i]));
    rows[1].push_back(std::to_string(e.ids[i]));
    rows[2].push_back(fmt::format("{}:{}", o.begin, o.end));
    rows[3].push_back(std::to_string(e.type_ids[i]));
  }
  const char* names[4] = {"token ", "id    ", bytes ? "bytes " : "offset", "type  "};
  // Wrap into chunks that fit 110 columns.
  for (size_t begin = 0; begin < e.size();) {
    size_t end = begin;
    int used = 9;
    std::vector<int> widths;
    while (end < e.size()) {
      int w = 0;
      for (int r = 0; r < nrows; ++r) w = std::max(w, text::display_width(rows[r][end]));
      if (end > begin && used + w + 2 > 110) break;
      widths.push_back(w);
      used += w + 2;
      ++end;
    }
    for (int r = 0; r < nrows; ++r) {
      std::string line = std::string("  ") + names[r] + " ";
      for (size_t i = begin; i < end; ++i) line += pad_to(rows[r][i], widths[i - begin]) + "  ";
      while (!line.empty() && line.back() == ' ') line.pop_back();
      std::printf("%s\n", line.c_str());
    }
    begin = end;
    if (begin < e.size()) std::printf("\n");
  }
}

void print_matrix(const char* name, const std::vector<Encoding>& encodings, bool mask) {
  std::printf("%s (%zu × %zu):\n", name, encodings.size(),
              encodings.empty() ? size_t{0} : encodings[0].size());
  int width = 1;
  for (const Encoding& e : encodings) {
    for (int32_t id : e.ids) width = std::max(width, static_cast<int>(std::to_string(id).size()));
  }
  for (const Encoding& e : encodings) {
    std::string line = "  [";
    for (size_t i = 0; i < e.size(); ++i) {
      const std::string v = mask ? std::to_string(e.attention_mask[i]) : std::to_string(e.ids[i]);
      line += std::string(static_cast<size_t>(mask ? 0 : width - static_cast<int>(v.size())), ' ') + v +
              (i + 1 < e.size() ? " " : "");
    }
    std::printf("%s]\n", line.c_str());
  }
}

nlohmann::ordered_json to_json(const Encoding& e, bool bytes) {
  nlohmann::ordered_json offsets = nlohmann::ordered_json::array();
  for (const text::Span& o : bytes ? e.byte_offsets : e.offsets) offsets.push_back({o.begin, o.end});
  return {{"ids", e.ids},
          {"tokens", e.tokens},
          {"offsets", offsets},
          {"attention_mask", e.attention_mask},
          {"type_ids", e.type_ids}};
}

Tokenizer load(const TokenizeArgs& a) {
  ATTN_CHECK(a.tokenizer.empty() != a.vocab.empty(), "tokenize: give exactly one of --tokenizer and --vocab");
  if (!a.vocab.empty()) {
    text::BertOptions o;
    o.lowercase = !a.cased;
    return Tokenizer::bert_from_vocab(a.vocab, o);
  }
  return Tokenizer::from_file(a.tokenizer);
}

// --pad: the file's own padding (all-MiniLM-L6-v2 pads every text to 128) is replaced by longest / N / none.
std::optional<text::PaddingParams> padding_from(const Tokenizer& tok, const std::string& pad) {
  if (pad == "none") return std::nullopt;
  text::PaddingParams p = tok.padding().value_or(text::PaddingParams{});
  p.pad_id = tok.token_to_id(p.pad_token).value_or(p.pad_id);
  if (pad == "longest") {
    p.strategy = text::PaddingStrategy::BatchLongest;
    return p;
  }
  p.strategy = text::PaddingStrategy::Fixed;
  try {
    p.length = std::stoul(pad);
  } catch (const std::exception&) {
    throw_error(ErrorKind::Value, "tokenize: --pad expects longest, none or a length, got '{}'", pad);
  }
  return p;
}

void run(TokenizeArgs a) {
  Tokenizer tok = load(a);
  if (a.max_length == 0) tok.set_truncation(std::nullopt);
  if (a.max_length > 0) {
    text::TruncationParams t = tok.truncation().value_or(text::TruncationParams{});
    t.max_length = static_cast<size_t>(a.max_length);
    tok.set_truncation(t);
  }
  const std::optional<text::PaddingParams> padding = padding_from(tok, a.pad);
  tok.set_padding(std::nullopt);
  if (a.texts.empty()) {
    for (std::string line; std::getline(std::cin, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      a.texts.push_back(line);
    }
  }
  std::vector<Encoding> encodings;
  std::vector<std::string> shown;
  if (a.pair) {
    ATTN_CHECK(a.texts.size() % 2 == 0, "tokenize: --pair needs an even number of texts, got {}",
               a.texts.size());
    std::vector<std::pair<std::string, std::string>> pairs;
    for (size_t i = 0; i < a.texts.size(); i += 2) {
      pairs.emplace_back(a.texts[i], a.texts[i + 1]);
      shown.push_back(a.texts[i] + " ‖ " + a.texts[i + 1]);
    }
    encodings = tok.encode_batch_pairs(pairs, !a.no_special);
  } else {
    encodings = tok.encode_batch(a.texts, !a.no_special);
    shown = a.texts;
  }
  if (padding && (encodings.size() > 1 || padding->strategy == text::PaddingStrategy::Fixed)) {
    text::pad_encodings(encodings, *padding);
  }
  if (a.json) {
    for (const Encoding& e : encodings) std::printf("%s\n", to_json(e, a.bytes).dump().c_str());
    return;
  }
  for (size_t i = 0; i < encodings.size(); ++i) {
    if (i) std::printf("\n");
    print_table(shown[i], encodings[i], a.bytes, a.pair);
  }
  if (encodings.size() > 1) {
    std::printf("\n");
    print_matrix("input_ids", encodings, false);
    print_matrix("attention_mask", encodings, true);
  }
}

}  // namespace

void add_tokenize_command(CLI::App& app) {
  auto args = std::make_shared<TokenizeArgs>();
  auto* cmd =
      app.add_subcommand("tokenize", "text → tokens, ids, offsets (HF tokenizer.json or BERT vocab.txt)");
  cmd->add_option("texts", args->texts, "texts to encode (default: stdin, one per line)");
  cmd->add_option("--tokenizer,-t", args->tokenizer,
                  "tokenizer.json (e.g. models/all-MiniLM-L6-v2/tokenizer.json)");
  cmd->add_option("--vocab", args->vocab, "BERT vocab.txt (uncased unless --cased)");
  cmd->add_flag("--cased", args->cased, "with --vocab: keep case and accents");
  cmd->add_flag("--json", args->json,
                "one JSON object per text: ids, tokens, offsets, attention_mask, type_ids");
  cmd->add_flag("--pair", args->pair, "encode texts two by two as pairs (A B A B …)");
  cmd->add_flag("--no-special", args->no_special, "do not add [CLS]/[SEP]");
  cmd->add_flag("--bytes", args->bytes, "offsets in bytes instead of code points");
  cmd->add_option("--max-length", args->max_length, "truncate to N tokens (0: no truncation)");
  cmd->add_option("--pad", args->pad, "several texts: pad to 'longest' (default), 'none' or a fixed length");
  cmd->callback([args] { run(*args); });
}

}  // namespace attn::cli
