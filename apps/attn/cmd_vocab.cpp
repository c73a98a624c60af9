// attn vocab build — learn a vocabulary or a whole tokenizer from corpus files (one text per line):
//   --kind word       word-level Vocab, saved one token per line ([PAD]=0 [UNK] [CLS] [SEP] [MASK] [BOS]
//   [EOS])
//   --kind wordpiece  BERT tokenizer (WordPiece trained as HF's WordPieceTrainer), saved as tokenizer.json
//   --kind bpe        GPT-2 style byte-level BPE (HF's BpeTrainer), saved as tokenizer.json
//
//   attn vocab build --kind wordpiece --size 8000 ../shared/data/sst2/train.tsv -o sst2-wordpiece.json
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "attn/core/error.h"
#include "attn/text/trainers/bpe_trainer.h"
#include "attn/text/vocab.h"
#include "commands.h"

namespace attn::cli {
namespace {

struct VocabArgs {
  std::string kind = "wordpiece", out;
  std::vector<std::string> corpus, specials;
  size_t size = 30000, min_freq = 0, limit_alphabet = 1000;
  bool cased = false;
};

std::vector<std::string> read_lines(const std::vector<std::string>& paths) {
  std::vector<std::string> lines;
  for (const std::string& p : paths) {
    std::ifstream in(p, std::ios::binary);
    ATTN_CHECK_KIND(Io, in.good(), "{}: cannot open corpus file", p);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty()) lines.push_back(std::move(line));
    }
  }
  return lines;
}

void run(const VocabArgs& a) {
  ATTN_CHECK(!a.out.empty(), "vocab build: -o OUT is required");
  const std::vector<std::string> lines = read_lines(a.corpus);
  if (a.kind == "word") {
    text::VocabOptions o;
    o.min_freq = std::max<size_t>(a.min_freq, 1);
    o.max_size = a.size;
    o.lowercase = !a.cased;
    if (!a.specials.empty()) o.specials = a.specials;
    const text::Vocab v = text::Vocab::build(lines, o);
    v.save(a.out);
    std::printf("%s: %zu tokens from %zu lines (word-level, one per line)\n", a.out.c_str(), v.size(),
                lines.size());
    return;
  }
  text::BpeTrainerOptions o;
  o.vocab_size = a.size;
  o.min_frequency = a.min_freq;
  o.special_tokens = a.specials;
  if (a.kind == "wordpiece") {
    o.limit_alphabet = a.limit_alphabet;
    text::BertOptions bert;
    bert.lowercase = !a.cased;
    const text::Tokenizer t = text::train_wordpiece(lines, o, bert);
    t.save(a.out);
    std::printf("%s: WordPiece, %zu tokens from %zu lines\n", a.out.c_str(), t.vocab_size(), lines.size());
  } else if (a.kind == "bpe") {
    if (o.special_tokens.empty()) o.special_tokens = {"<|endoftext|>"};
    const text::Tokenizer t = text::train_byte_level_bpe(lines, o);
    t.save(a.out);
    std::printf("%s: byte-level BPE, %zu tokens from %zu lines\n", a.out.c_str(), t.vocab_size(),
                lines.size());
  } else {
    throw_error(ErrorKind::Value, "vocab build: --kind must be word, wordpiece or bpe, got '{}'", a.kind);
  }
}

}  // namespace

void add_vocab_command(CLI::App& app) {
  auto args = std::make_shared<VocabArgs>();
  auto* vocab = app.add_subcommand("vocab", "build vocabularies and tokenizers from a corpus");
  vocab->require_subcommand(1);
  auto* build = vocab->add_subcommand("build", "learn a word / WordPiece / byte-level BPE vocabulary");
  build->add_option("corpus", args->corpus, "text files, one text per line")->required();
  build->add_option("--kind", args->kind, "word | wordpiece | bpe")->capture_default_str();
  build->add_option("--size", args->size, "vocabulary size (with the special tokens)")->capture_default_str();
  build->add_option("--min-freq", args->min_freq, "minimum count of a word / pair");
  build
      ->add_option("--limit-alphabet", args->limit_alphabet, "wordpiece: keep the N most frequent characters")
      ->capture_default_str();
  build->add_option("--special", args->specials,
                    "special tokens (default: [PAD] [UNK] [CLS] [SEP] [MASK] …)");
  build->add_flag("--cased", args->cased, "keep case and accents");
  build->add_option("-o,--output", args->out, "output: vocab.txt (word) or tokenizer.json")->required();
  build->callback([args] { run(*args); });
}

}  // namespace attn::cli
