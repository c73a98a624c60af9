// attn/models/pretraining_data.h — BERT pretraining data: raw text → documents of sentences → sentence
// pairs (IsNext / random next, truncated) → masked batches. The rules are Hugging Face's (transformers
// 4.46.3): TextDatasetForNextSentencePrediction.create_examples_from_document (data/datasets/
// language_modeling.py, which follows Google's create_pretraining_data.py) for the pairs, and
// DataCollatorForLanguageModeling / DataCollatorForWholeWordMask (data/data_collator.py) for the masking.
// All randomness comes from an attn::Generator, so a seed fixes the data.
//
//   auto docs = read_documents({"book.txt"}, DocumentSplit::File);      // sentences per document
//   auto pairs = create_pairs(tokenize_documents(docs, tok), {.max_seq_len = 128}, gen);
//   PretrainingBatch b = make_batch(examples, special, {.mlm_probability = 0.15}, gen);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "attn/core/rng.h"
#include "attn/tensor/tensor.h"
#include "attn/text/tokenizer.h"

namespace attn::models {

// How a corpus is cut into documents.
enum class DocumentSplit {
  BlankLine,  // HF's format: one sentence per line, a blank line between documents
  File,       // each file is one document; paragraphs (blank-line separated, wrapped lines joined) are split
              // into sentences at . ! ? (see split_sentences) — for books such as Project Gutenberg's
};

// The text between Project Gutenberg's "*** START OF …" and "*** END OF …" marker lines (the licence
// header and footer removed); the whole text when the markers are absent.
std::string strip_gutenberg(std::string_view text);
// Sentences of one paragraph: split after . ! ? (and any closing quotes or brackets) that are followed by
// whitespace, except after a few abbreviations (Mr. Mrs. Dr. St. …). Whitespace runs become one space.
std::vector<std::string> split_sentences(std::string_view paragraph);
// Documents (each a list of non-empty sentences) from files; a document without a sentence is dropped.
std::vector<std::vector<std::string>> read_documents(const std::vector<std::string>& paths,
                                                     DocumentSplit split);

// A sentence as token ids (no special tokens) and, per token, whether it continues a word ("##…").
struct TokenizedSentence {
  std::vector<int32_t> ids;
  std::vector<uint8_t> continues_word;
};
using TokenizedDocument = std::vector<TokenizedSentence>;
std::vector<TokenizedDocument> tokenize_documents(const std::vector<std::vector<std::string>>& docs,
                                                  const text::Tokenizer& tokenizer);

struct PairOptions {
  int64_t max_seq_len = 128;     // with [CLS] A [SEP] B [SEP]
  double short_seq_prob = 0.1;   // chance of a shorter target length for a document (HF's default)
  double nsp_probability = 0.5;  // chance that B is a random segment of another document
};

// One training pair: [CLS] a [SEP] b [SEP]; is_random_next = B came from another document (label 1).
struct SentencePair {
  TokenizedSentence a, b;
  bool is_random_next = false;
};

// HF's create_examples_from_document over every document (in order): segments are gathered up to a target
// length, split at a random point into A and B; with nsp_probability (or when the chunk is one segment)
// B is taken from a random other document and the unused segments are put back. Pairs are then truncated
// with truncate_seq_pair to max_seq_len − 3. Needs at least two documents.
std::vector<SentencePair> create_pairs(const std::vector<TokenizedDocument>& docs, const PairOptions& options,
                                       Generator& gen);
// Google's / HF's rule: while len(a) + len(b) > max_num_tokens, drop a token from the longer one (a when
// equal lengths… b), from the front or the back with probability ½ each.
void truncate_seq_pair(TokenizedSentence& a, TokenizedSentence& b, size_t max_num_tokens, Generator& gen);

struct SpecialIds {
  int32_t pad = 0, cls = 2, sep = 3, mask = 4;
  int64_t vocab_size = 0;  // random replacements are drawn from [0, vocab_size), as HF (len(tokenizer))
  static SpecialIds from_tokenizer(const text::Tokenizer& tokenizer);  // [PAD] [CLS] [SEP] [MASK]
};

struct MaskingOptions {
  double mlm_probability = 0.15;  // share of (non-special) tokens selected
  bool whole_word = false;        // select whole words (a token and its "##" continuations) together
};

// A padded, masked batch ready for BertForPreTraining (all int64, (B, T) / (B)).
struct PretrainingBatch {
  Tensor input_ids, attention_mask, token_type_ids;
  Tensor labels;               // original id at the selected positions, −100 elsewhere
  Tensor next_sentence_label;  // 0 IsNext, 1 random
  int64_t tokens = 0;          // non-pad tokens
  int64_t masked = 0;          // selected positions
};

// [CLS] a [SEP] b [SEP] with token_type_ids 0 for [CLS] a [SEP] and 1 for b [SEP]; padded with [PAD] to the
// longest pair; then the masking of DataCollatorForLanguageModeling: each non-special token selected with
// mlm_probability (Bernoulli), of the selected 80 % → [MASK], 10 % → a random id, 10 % unchanged. With
// whole_word, DataCollatorForWholeWordMask's rule: whole words in random order until
// max(1, round(n · mlm_probability)) tokens are chosen (a word that would overshoot is skipped).
PretrainingBatch make_batch(const std::vector<const SentencePair*>& pairs, const SpecialIds& special,
                            const MaskingOptions& options, Generator& gen);

}  // namespace attn::models
