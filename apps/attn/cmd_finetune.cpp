// attn finetune classify --model DIR --train FILE --dev FILE --out DIR [...]  — fine-tunes a BERT checkpoint
// for sentence (or sentence-pair) classification as HF's Trainer does (train/finetune.h), printing progress
// and the dev accuracy each epoch, and saves a HF-loadable directory (config.json with id2label,
// model.safetensors, the tokenizer) plus loss.svg and metrics.json.
// attn classify --model DIR [--json] "text" …  — label and probability for each text (stdin lines without
// TEXT; a line "first<TAB>second" is a sentence pair).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "attn/core/threads.h"
#include "attn/io/files.h"
#include "attn/models/bert_save.h"
#include "attn/tensor/creation.h"
#include "attn/train/finetune.h"
#include "commands.h"

namespace attn::cli {

namespace {

text::Tokenizer load_truncating_tokenizer(const std::string& dir, int64_t max_len) {
  const std::filesystem::path d(dir);
  text::Tokenizer tok = std::filesystem::exists(d / "tokenizer.json")
                            ? text::Tokenizer::from_file((d / "tokenizer.json").string())
                            : text::Tokenizer::bert_from_vocab((d / "vocab.txt").string());
  text::TruncationParams t;  // HF truncation=True: longest_first, right
  t.max_length = static_cast<size_t>(max_len);
  tok.set_truncation(t);
  tok.set_padding(std::nullopt);
  return tok;
}

void warn_initialized(const models::ClassifierLoadInfo& info, const std::string& dir) {
  for (const auto& key : info.initialized_keys)
    if (key.rfind("bert.pooler.", 0) == 0) {
      std::fprintf(
          stderr,
          "attn: WARNING: %s has no pooler (bert.pooler.dense.*): it was initialised AT RANDOM, as HF "
          "does; the classifier reads the pooled [CLS] vector, so only fine-tuning gives it meaning\n",
          dir.c_str());
      break;
    }
  std::string keys;
  for (const auto& k : info.initialized_keys) keys += (keys.empty() ? "" : ", ") + k;
  if (!keys.empty())
    std::fprintf(stderr, "attn: newly initialised (not in %s): %s — train this model before using it\n",
                 dir.c_str(), keys.c_str());
}

// softmax of one row of logits, in double.
std::vector<double> softmax_row(const std::vector<float>& z) {
  const double m = *std::max_element(z.begin(), z.end());
  std::vector<double> p;
  double sum = 0;
  for (float v : z) sum += p.emplace_back(std::exp(v - m));
  for (double& v : p) v /= sum;
  return p;
}

struct FinetuneArgs {
  std::string model = "models/all-MiniLM-L6-v2", train, dev, out;
  train::TableColumns columns;
  train::FinetuneOptions opt;
  int64_t max_len = 128;
  int threads = 0;
  size_t max_train = 0;
};

nlohmann::json metrics_json(const FinetuneArgs& a, const train::FinetuneResult& r, size_t n_train) {
  nlohmann::json epochs = nlohmann::json::array();
  for (const auto& e : r.epochs)
    epochs.push_back({{"epoch", e.epoch},
                      {"step", e.step},
                      {"train_loss", e.train_loss},
                      {"dev_accuracy", e.dev.accuracy},
                      {"dev_loss", e.dev.loss},
                      {"dev_examples", e.dev.examples},
                      {"seconds", e.seconds}});
  return {{"model", a.model},
          {"train", a.train},
          {"dev", a.dev},
          {"train_examples", n_train},
          {"epochs", a.opt.epochs},
          {"lr", a.opt.lr},
          {"batch_size", a.opt.batch_size},
          {"max_len", a.max_len},
          {"warmup_ratio", a.opt.warmup_ratio},
          {"weight_decay", a.opt.weight_decay},
          {"seed", a.opt.seed},
          {"threads", get_num_threads()},
          {"steps", r.steps},
          {"wall_seconds", r.seconds},
          {"per_epoch", epochs},
          {"step_losses", r.step_losses}};
}

void run_finetune(const FinetuneArgs& a) {
  if (a.threads > 0) set_num_threads(a.threads);
  const auto train_table = train::read_labelled_table(a.train, a.columns, a.max_train);
  const auto dev_table = train::read_labelled_table(a.dev, a.columns);
  const auto labels = train::label_set(train_table);
  ATTN_CHECK(labels.size() >= 2, "{}: column \"{}\" has only one label (\"{}\"); classification needs two",
             a.train, a.columns.label, labels[0]);
  train::label_ids(dev_table, labels);  // an unknown dev label fails before the model loads
  Generator gen(a.opt.seed);            // the classifier's initialisation and dropout
  models::ClassifierLoadInfo info;
  auto model =
      models::BertForSequenceClassification::from_pretrained(a.model, {.labels = labels}, &info, gen);
  warn_initialized(info, a.model);
  const auto tok = load_truncating_tokenizer(a.model, a.max_len);
  const auto train_data = train::encode_table(tok, train_table, labels);
  const auto dev_data = train::encode_table(tok, dev_table, labels);
  std::fprintf(stderr,
               "attn: fine-tuning %s on %zu examples of %s (%zu labels), dev %zu examples, %d thread(s)\n",
               a.model.c_str(), train_table.texts.size(), a.train.c_str(), labels.size(),
               dev_table.texts.size(), get_num_threads());

  const auto r = train::finetune_classifier(*model, train_data, dev_data, a.opt);
  models::BertConfig config = model->config;
  config.architectures = {"BertForSequenceClassification"};
  models::save_pretrained(a.out, config, model->state_dict(), a.model);
  train::save_finetune_curve(
      r, a.out + "/loss.svg",
      fmt::format("fine-tuning {} on {}", std::filesystem::path(a.model).filename().string(),
                  std::filesystem::path(a.train).filename().string()));
  io::write_text_atomic(a.out + "/metrics.json", metrics_json(a, r, train_table.texts.size()).dump(1) + "\n");
  const auto& last = r.epochs.back();
  std::printf(
      "dev accuracy %.2f%% (%lld examples), dev loss %.4f after %lld steps in %.0fs; saved %s "
      "(config.json, model.safetensors, tokenizer, loss.svg, metrics.json)\n",
      100 * last.dev.accuracy, static_cast<long long>(last.dev.examples), last.dev.loss,
      static_cast<long long>(r.steps), r.seconds, a.out.c_str());
}

}  // namespace

CLI::App* finetune_group(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands([](const CLI::App* s) { return s->get_name() == "finetune"; }))
    return sub;
  auto* g = app.add_subcommand("finetune", "fine-tune a pretrained model (classify, …)");
  g->require_subcommand(1);
  return g;
}

void add_finetune_classify_command(CLI::App& app) {
  auto a = std::make_shared<FinetuneArgs>();
  auto* cmd = finetune_group(app)->add_subcommand(
      "classify", "fine-tune a BERT checkpoint for sentence (or sentence-pair) classification");
  cmd->add_option("--model", a->model,
                  "BERT checkpoint directory (config.json, model.safetensors, tokenizer)")
      ->capture_default_str();
  cmd->add_option("--train", a->train, "training set: .tsv or .csv with a header line")->required();
  cmd->add_option("--dev", a->dev, "dev set, same columns (accuracy and loss after every epoch)")->required();
  cmd->add_option("--out", a->out, "directory to write the fine-tuned model to")->required();
  cmd->add_option("--text-column", a->columns.text, "column with the text")->capture_default_str();
  cmd->add_option("--text-pair-column", a->columns.pair, "column with the second text of a pair");
  cmd->add_option("--label-column", a->columns.label, "column with the label")->capture_default_str();
  cmd->add_option("--epochs", a->opt.epochs, "passes over the training set")->capture_default_str();
  cmd->add_option("--lr", a->opt.lr, "peak learning rate (AdamW)")->capture_default_str();
  cmd->add_option("--batch-size", a->opt.batch_size, "examples per step")->capture_default_str();
  cmd->add_option("--max-len", a->max_len, "tokens per example, [CLS]/[SEP] included (longer: truncated)")
      ->capture_default_str();
  cmd->add_option("--warmup-ratio", a->opt.warmup_ratio, "fraction of the steps with linear warm-up")
      ->capture_default_str();
  cmd->add_option("--weight-decay", a->opt.weight_decay, "AdamW weight decay (not on biases / LayerNorm)")
      ->capture_default_str();
  cmd->add_option("--seed", a->opt.seed, "shuffling, dropout and the classifier's initialisation")
      ->capture_default_str();
  cmd->add_option("--threads", a->threads, "threads (default: ATTN_NUM_THREADS or all cores)");
  cmd->add_option("--max-train-examples", a->max_train, "use only the first N training rows (0 = all)");
  cmd->callback([a] { run_finetune(*a); });
}

void add_classify_command(CLI::App& app) {
  struct Args {
    std::string model;
    std::vector<std::string> texts;
    bool json = false;
    int64_t max_len = 512;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "classify", "label and probability from a fine-tuned classifier (stdin lines if no TEXT; TAB = pair)");
  cmd->add_option("--model", a->model, "fine-tuned classifier directory (attn finetune classify --out)")
      ->required();
  cmd->add_option("TEXT", a->texts, "texts to classify; \"first<TAB>second\" is a sentence pair");
  cmd->add_flag("--json", a->json,
                "print [{\"text\", \"label\", \"probability\", \"probabilities\", \"logits\"}, …]");
  cmd->add_option("--max-len", a->max_len, "tokens per text (longer: truncated)")->capture_default_str();
  cmd->callback([a] {
    models::ClassifierLoadInfo info;
    auto model = models::BertForSequenceClassification::from_pretrained(a->model, {}, &info);
    warn_initialized(info, a->model);
    const auto tok =
        load_truncating_tokenizer(a->model, std::min(a->max_len, model->config.max_position_embeddings));
    std::vector<std::string> texts = a->texts;
    if (texts.empty())
      for (std::string line; std::getline(std::cin, line);) texts.push_back(line);
    std::vector<text::Encoding> enc;
    for (const auto& t : texts) {
      const auto tab = t.find('\t');
      enc.push_back(tab == std::string::npos ? tok.encode(t)
                                             : tok.encode_pair(t.substr(0, tab), t.substr(tab + 1)));
    }
    const auto logits = to_vector<float>(train::classify_logits(*model, enc));
    const auto K = static_cast<size_t>(model->num_labels());
    auto j = nlohmann::json::array();
    for (size_t i = 0; i < texts.size(); ++i) {
      const std::vector<float> row(logits.begin() + static_cast<int64_t>(i * K),
                                   logits.begin() + static_cast<int64_t>((i + 1) * K));
      const auto p = softmax_row(row);
      const size_t best = static_cast<size_t>(std::max_element(p.begin(), p.end()) - p.begin());
      const std::string& label = model->config.id2label[best];
      if (!a->json) {
        std::printf("%s\t%.4f\t%s\n", label.c_str(), p[best], texts[i].c_str());
        continue;
      }
      nlohmann::json all;
      for (size_t k = 0; k < K; ++k) all[model->config.id2label[k]] = p[k];
      j.push_back({{"text", texts[i]},
                   {"label", label},
                   {"probability", p[best]},
                   {"probabilities", all},
                   {"logits", row}});
    }
    if (a->json) std::puts(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  });
}

}  // namespace attn::cli
