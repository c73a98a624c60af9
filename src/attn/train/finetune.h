// attn/train/finetune.h — fine-tuning BERT for sequence (or sentence-pair) classification, the way Hugging
// Face's Trainer does it with its defaults (transformers 4.46.3, trainer.py / training_args.py):
//   AdamW (torch.optim.AdamW; β = (0.9, 0.999), ε = 1e-8; weight decay only on weights that are neither
//   biases nor LayerNorm), linear warm-up over ceil(warmup_ratio · steps) then linear decay to 0, gradient
//   norm clipped to max_grad_norm = 1.0, the training set reshuffled every epoch (from the seed), each batch
//   padded to its longest row, and the dev set's accuracy and loss after every epoch.
// Data: a TSV or CSV file with a header line, read by column name; labels are strings mapped to class ids.
//
//   auto train = train::read_labelled_table("sst2/train.tsv", {.text = "sentence", .label = "label"});
//   auto model = models::BertForSequenceClassification::from_pretrained(dir, {.labels =
//   train::label_set(train)}); auto result = train::finetune_classifier(*model, encode(train), encode(dev),
//   {.epochs = 3});
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "attn/core/rng.h"
#include "attn/models/bert_classifier.h"
#include "attn/text/tokenizer.h"

namespace attn::train {

struct TableColumns {
  std::string text = "sentence";
  std::string pair;  // second text of a sentence pair; empty = single sentences
  std::string label = "label";
};

// Rows of a labelled text file; lines[i] is the 1-based line number of row i (for error messages).
struct LabelledTable {
  std::string path;
  std::vector<std::string> texts, pairs, labels;  // pairs empty without a pair column
  std::vector<int64_t> lines;
};

// A header line, then one example per line. ".csv" files are comma-separated with RFC 4180 quoting; any
// other name is tab-separated without quoting (GLUE's .tsv). A trailing '\r' is dropped. max_rows > 0 keeps
// the first max_rows rows. Errors (kind Format/Io) name the file and line: an empty file, a column missing
// from the header (listing the header's columns), a row with too few fields, a file with no rows.
LabelledTable read_labelled_table(const std::string& path, const TableColumns& columns, size_t max_rows = 0);

// The distinct labels of a table, sorted (their order is the class ids).
std::vector<std::string> label_set(const LabelledTable& table);

// Tokenized examples (truncated as the tokenizer is set up) and their class ids.
struct ClassificationData {
  std::vector<text::Encoding> encodings;
  std::vector<int64_t> labels;
};

// The class id of every row's label; a label outside id2label is an error naming the file, line and the
// known labels.
std::vector<int64_t> label_ids(const LabelledTable& table, const std::vector<std::string>& id2label);

// Tokenizes every row (sentence pairs when the table has them) and maps labels to ids (label_ids).
ClassificationData encode_table(const text::Tokenizer& tokenizer, const LabelledTable& table,
                                const std::vector<std::string>& id2label);

struct FinetuneOptions {
  double epochs =
      3;  // whole epochs (a fraction ends the last epoch early, as the Trainer's num_train_epochs)
  double lr = 5e-5;
  size_t batch_size = 32;
  double warmup_ratio = 0.0;
  double weight_decay = 0.0;
  double max_grad_norm = 1.0;
  uint64_t seed = 42;  // shuffling (dropout and the classifier's init use the model's generator)
  size_t eval_batch_size = 64;
  int64_t log_every = 10;  // progress line every N steps when stderr is not a terminal
  bool progress = true;
};

struct EvalResult {
  double loss = 0;      // mean cross-entropy per example
  double accuracy = 0;  // fraction of argmax(logits) == label
  int64_t examples = 0;
};

struct EpochResult {
  int64_t epoch = 0, step = 0;
  double train_loss = 0;  // mean of the epoch's step losses
  EvalResult dev;
  double seconds = 0;  // since the start of training
};

struct FinetuneResult {
  std::vector<double> step_losses;  // the mean batch loss of every optimizer step
  std::vector<double> step_lrs;     // the learning rate each step used
  std::vector<EpochResult> epochs;
  int64_t steps = 0;
  double seconds = 0;
};

// Trains `model` (switched to train mode, left in eval mode) on `train_data`, evaluating on `dev_data`
// after every epoch (skipped when it is empty).
FinetuneResult finetune_classifier(models::BertForSequenceClassification& model,
                                   const ClassificationData& train_data, const ClassificationData& dev_data,
                                   const FinetuneOptions& options);

// Eval mode, no gradients; batches of `batch_size` in order.
EvalResult evaluate_classifier(models::BertForSequenceClassification& model, const ClassificationData& data,
                               size_t batch_size = 64);

// The logits of each encoding: (N, K) float32, run in eval mode without gradients, in batches padded to
// their longest row.
Tensor classify_logits(models::BertForSequenceClassification& model,
                       const std::vector<text::Encoding>& encodings, size_t batch_size = 64);

// The loss curve: every step's batch loss, its 50-step running mean, and the dev loss per epoch (2+ epochs).
void save_finetune_curve(const FinetuneResult& result, const std::string& path, const std::string& title);

}  // namespace attn::train
