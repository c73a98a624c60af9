// attn/text/trainers/bpe_trainer.h — learning a vocabulary from a corpus: BPE merges (byte-level GPT-2
// style), and WordPiece, which HF trains as BPE with the "##" continuation prefix and then keeps only the
// vocabulary. The algorithm is HF's BpeTrainer (bpe/trainer.rs): count words, build the alphabet
// (limit_alphabet keeps the most frequent characters), then repeatedly merge the most frequent pair.
//
// Deviation: HF breaks ties between equally frequent pairs by token ids that depend on hash-map order, so
// its result changes from run to run; attn breaks ties by (left id, right id) with ids given in sorted word
// order, so the same corpus always gives the same vocabulary.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "attn/text/tokenizer.h"

namespace attn::text {

struct BpeTrainerOptions {
  size_t vocab_size = 30000;
  uint64_t min_frequency = 0;
  std::vector<std::string> special_tokens;
  size_t limit_alphabet = 0;                  // 0: keep every character
  std::vector<std::string> initial_alphabet;  // characters always kept (byte-level: all 256 byte symbols)
  std::string continuing_subword_prefix;      // "##" for WordPiece
  std::string end_of_word_suffix;
};

struct BpeTrainResult {
  std::vector<std::string> vocab;  // id → token: special tokens, alphabet, merged tokens
  std::vector<std::pair<std::string, std::string>> merges;
};

using WordCounts = std::unordered_map<std::string, uint64_t>;

// Words of the corpus as the tokenizer's normalizer and pre-tokenizer see them (byte-level: in the GPT-2
// byte alphabet). Counted on attn's threads.
WordCounts count_words(const Tokenizer& tokenizer, const std::vector<std::string>& lines);
BpeTrainResult train_bpe(const WordCounts& words, const BpeTrainerOptions& options);

// A BERT tokenizer (BertNormalizer with these flags, BertPreTokenizer, WordPiece, [CLS]/[SEP] template)
// whose vocabulary is learned from `lines`; special tokens default to [PAD] [UNK] [CLS] [SEP] [MASK].
Tokenizer train_wordpiece(const std::vector<std::string>& lines, BpeTrainerOptions options,
                          const BertOptions& bert = {});
// A GPT-2 style byte-level BPE (ByteLevel pre-tokenizer, post-processor and decoder).
Tokenizer train_byte_level_bpe(const std::vector<std::string>& lines, BpeTrainerOptions options);

}  // namespace attn::text
