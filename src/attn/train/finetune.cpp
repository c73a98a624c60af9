// Fine-tuning BertForSequenceClassification: the labelled-table reader, tokenization, HF Trainer's
// optimisation loop (AdamW, linear warm-up/decay, clipping), evaluation and the loss curve.
#include "attn/train/finetune.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <set>

#include "attn/autograd/grad_mode.h"
#include "attn/core/error.h"
#include "attn/models/text_batch.h"
#include "attn/ops/reduce.h"
#include "attn/optim/optim.h"
#include "attn/tensor/creation.h"
#include "attn/text/batch.h"
#include "attn/train/progress.h"
#include "attn/viz/line_plot.h"

namespace attn::train {

namespace {

// One line of a .tsv (split on tabs, no quoting) or .csv (commas; "…" quoted fields with "" for a quote).
std::vector<std::string> split_fields(const std::string& line, bool csv, const std::string& where) {
  std::vector<std::string> out(1);
  if (!csv) {
    for (char ch : line) {
      if (ch == '\t')
        out.emplace_back();
      else
        out.back().push_back(ch);
    }
    return out;
  }
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char ch = line[i];
    if (quoted && ch == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      out.back().push_back('"');
      ++i;
    } else if (ch == '"') {
      quoted = !quoted;
    } else if (ch == ',' && !quoted) {
      out.emplace_back();
    } else {
      out.back().push_back(ch);
    }
  }
  ATTN_CHECK_KIND(Format, !quoted, "{}: unterminated quoted field (quoted fields may not span lines)", where);
  return out;
}

size_t column_index(const std::vector<std::string>& header, const std::string& name, const std::string& path,
                    const char* option) {
  const auto it = std::find(header.begin(), header.end(), name);
  if (it != header.end()) return static_cast<size_t>(it - header.begin());
  std::string cols;
  for (const auto& h : header) cols += (cols.empty() ? "" : ", ") + ("\"" + h + "\"");
  throw_error(ErrorKind::Format, "{}:1: no column \"{}\" in the header (columns: {}); choose one with {}",
              path, name, cols, option);
}

}  // namespace

LabelledTable read_labelled_table(const std::string& path, const TableColumns& columns, size_t max_rows) {
  std::ifstream in(path, std::ios::binary);
  ATTN_CHECK_KIND(Io, in.good(), "cannot open {}", path);
  const bool csv = path.size() >= 4 && path.substr(path.size() - 4) == ".csv";
  LabelledTable t;
  t.path = path;
  std::string line;
  ATTN_CHECK_KIND(Format, std::getline(in, line) && !line.empty(),
                  "{}: empty file (expected a header line naming the columns, e.g. sentence<TAB>label)",
                  path);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // UTF-8 byte-order mark
  const auto header = split_fields(line, csv, path + ":1");
  const size_t ti = column_index(header, columns.text, path, "--text-column");
  const size_t li = column_index(header, columns.label, path, "--label-column");
  const bool has_pair = !columns.pair.empty();
  const size_t pi = has_pair ? column_index(header, columns.pair, path, "--text-pair-column") : 0;
  const size_t need = std::max({ti, li, pi}) + 1;
  for (int64_t n = 2; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const std::string where = fmt::format("{}:{}", path, n);
    const auto f = split_fields(line, csv, where);
    ATTN_CHECK_KIND(Format, f.size() >= need, "{}: {} field(s), expected {} (the header has {} columns)",
                    where, f.size(), header.size(), header.size());
    t.texts.push_back(f[ti]);
    if (has_pair) t.pairs.push_back(f[pi]);
    t.labels.push_back(f[li]);
    t.lines.push_back(n);
    if (max_rows > 0 && t.texts.size() == max_rows) break;
  }
  ATTN_CHECK_KIND(Format, !t.texts.empty(), "{}: no rows after the header line", path);
  return t;
}

std::vector<std::string> label_set(const LabelledTable& table) {
  const std::set<std::string> s(table.labels.begin(), table.labels.end());
  return {s.begin(), s.end()};
}

std::vector<int64_t> label_ids(const LabelledTable& table, const std::vector<std::string>& id2label) {
  std::vector<int64_t> ids;
  for (size_t i = 0; i < table.labels.size(); ++i) {
    const auto it = std::find(id2label.begin(), id2label.end(), table.labels[i]);
    if (it == id2label.end()) {
      std::string known;
      for (const auto& l : id2label) known += (known.empty() ? "" : ", ") + ("\"" + l + "\"");
      throw_error(ErrorKind::Format, "{}:{}: unknown label \"{}\" (the model's labels: {})", table.path,
                  table.lines[i], table.labels[i], known);
    }
    ids.push_back(it - id2label.begin());
  }
  return ids;
}

ClassificationData encode_table(const text::Tokenizer& tokenizer, const LabelledTable& table,
                                const std::vector<std::string>& id2label) {
  ClassificationData d;
  d.labels = label_ids(table, id2label);
  if (table.pairs.empty()) {
    d.encodings = tokenizer.encode_batch(table.texts);
  } else {
    std::vector<std::pair<std::string, std::string>> pairs;
    for (size_t i = 0; i < table.texts.size(); ++i) pairs.emplace_back(table.texts[i], table.pairs[i]);
    d.encodings = tokenizer.encode_batch_pairs(pairs);
  }
  return d;
}

namespace {

// Rows `idx` as (B, T) tensors padded to the longest row (HF's DataCollatorWithPadding), and their labels.
struct ClassBatch {
  BatchTensors x;
  Tensor labels;  // (B) int64
  int64_t tokens = 0;
};

ClassBatch make_class_batch(const ClassificationData& data, const std::vector<size_t>& idx, int64_t pad_id) {
  std::vector<text::Encoding> rows;
  std::vector<int64_t> labels;
  for (size_t i : idx) {
    rows.push_back(data.encodings[i]);
    labels.push_back(data.labels.empty() ? 0 : data.labels[i]);
  }
  text::PaddingParams pad;
  pad.pad_id = static_cast<int32_t>(pad_id);
  ClassBatch b;
  const text::Batch batch = text::make_batch(std::move(rows), pad);
  b.x = to_tensors(batch);
  b.labels = from_vector(labels);
  for (int64_t m : batch.attention_mask) b.tokens += m;
  return b;
}

// HF Trainer's parameter groups: weight decay for every weight that is neither a bias nor a LayerNorm's.
struct Groups {
  std::vector<Tensor> decay, no_decay;
};

Groups decay_groups(const nn::Module& model) {
  Groups g;
  for (const auto& [name, p] : model.named_parameters()) {
    const bool no = name.find("bias") != std::string::npos || name.find("LayerNorm") != std::string::npos;
    (no ? g.no_decay : g.decay).push_back(p);
  }
  return g;
}

// A permutation of 0..n-1 (Fisher–Yates) from the seed and epoch.
std::vector<size_t> shuffled(size_t n, uint64_t seed, int64_t epoch) {
  std::vector<size_t> p(n);
  for (size_t i = 0; i < n; ++i) p[i] = i;
  Generator g(seed * 1000003ULL + static_cast<uint64_t>(epoch));
  for (size_t i = n; i > 1; --i) std::swap(p[i - 1], p[g.next_u64() % i]);
  return p;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

EvalResult evaluate_classifier(models::BertForSequenceClassification& model, const ClassificationData& data,
                               size_t batch_size) {
  NoGradGuard no_grad;
  const bool was_training = model.is_training();
  model.eval();
  EvalResult r;
  double loss_sum = 0;
  int64_t correct = 0;
  const size_t n = data.encodings.size();
  for (size_t start = 0; start < n; start += batch_size) {
    std::vector<size_t> idx;
    for (size_t i = start; i < std::min(n, start + batch_size); ++i) idx.push_back(i);
    const ClassBatch b = make_class_batch(data, idx, model.config.pad_token_id);
    const auto out = model.forward(b.x.input_ids, b.x.attention_mask, b.x.token_type_ids, b.labels);
    loss_sum += out.loss.item<double>() * static_cast<double>(idx.size());
    const auto pred = to_vector<int64_t>(argmax(out.logits, 1));
    for (size_t k = 0; k < idx.size(); ++k) correct += pred[k] == data.labels[idx[k]];
  }
  model.train(was_training);
  r.examples = static_cast<int64_t>(n);
  r.loss = n ? loss_sum / static_cast<double>(n) : 0.0;
  r.accuracy = n ? static_cast<double>(correct) / static_cast<double>(n) : 0.0;
  return r;
}

Tensor classify_logits(models::BertForSequenceClassification& model,
                       const std::vector<text::Encoding>& encodings, size_t batch_size) {
  NoGradGuard no_grad;
  model.eval();
  const ClassificationData data{encodings, {}};
  std::vector<float> probs;
  for (size_t start = 0; start < encodings.size(); start += batch_size) {
    std::vector<size_t> idx;
    for (size_t i = start; i < std::min(encodings.size(), start + batch_size); ++i) idx.push_back(i);
    const ClassBatch b = make_class_batch(data, idx, model.config.pad_token_id);
    const auto out = model.forward(b.x.input_ids, b.x.attention_mask, b.x.token_type_ids);
    const auto p = to_vector<float>(out.logits);
    probs.insert(probs.end(), p.begin(), p.end());
  }
  return from_vector(probs, Shape{static_cast<int64_t>(encodings.size()), model.num_labels()});
}

FinetuneResult finetune_classifier(models::BertForSequenceClassification& model,
                                   const ClassificationData& train_data, const ClassificationData& dev_data,
                                   const FinetuneOptions& o) {
  const size_t n = train_data.encodings.size();
  ATTN_CHECK(n > 0 && o.batch_size > 0 && o.epochs > 0,
             "finetune: needs examples ({}), batch_size ({}) and "
             "epochs ({}) > 0",
             n, o.batch_size, o.epochs);
  const auto per_epoch = static_cast<int64_t>((n + o.batch_size - 1) / o.batch_size);
  const auto total = static_cast<int64_t>(std::ceil(o.epochs * static_cast<double>(per_epoch)));
  const auto warmup = static_cast<int64_t>(std::ceil(o.warmup_ratio * static_cast<double>(total)));

  const Groups groups = decay_groups(model);
  std::vector<std::unique_ptr<optim::AdamW>> opts;
  std::vector<optim::LRScheduler> scheds;
  for (const auto* g : {&groups.decay, &groups.no_decay}) {
    if (g->empty()) continue;
    const double wd = g == &groups.decay ? o.weight_decay : 0.0;
    opts.push_back(std::make_unique<optim::AdamW>(*g, optim::AdamWOptions{.lr = o.lr, .weight_decay = wd}));
    scheds.push_back(optim::linear_schedule_with_warmup(*opts.back(), warmup, total));
  }
  const std::vector<Tensor> params = model.parameters();

  FinetuneResult r;
  ProgressBar bar(total, o.log_every);
  const auto t0 = std::chrono::steady_clock::now();
  model.train();
  for (int64_t epoch = 0; r.steps < total; ++epoch) {
    const auto order = shuffled(n, o.seed, epoch);
    double epoch_loss = 0;
    int64_t epoch_steps = 0;
    for (size_t start = 0; start < n && r.steps < total; start += o.batch_size) {
      const std::vector<size_t> idx(order.begin() + static_cast<int64_t>(start),
                                    order.begin() + static_cast<int64_t>(std::min(n, start + o.batch_size)));
      const ClassBatch b = make_class_batch(train_data, idx, model.config.pad_token_id);
      const auto out = model.forward(b.x.input_ids, b.x.attention_mask, b.x.token_type_ids, b.labels);
      out.loss.backward();
      if (o.max_grad_norm > 0) optim::clip_grad_norm_(params, o.max_grad_norm);
      const double lr = opts[0]->lr(), loss = out.loss.item<double>();
      for (auto& opt : opts) opt->step();
      for (auto& s : scheds) s.step();
      model.zero_grad();
      r.step_losses.push_back(loss);
      r.step_lrs.push_back(lr);
      epoch_loss += loss;
      ++epoch_steps;
      ++r.steps;
      if (o.progress) {  // the batch's accuracy (perplexity, the bar's default, means nothing here)
        const Tensor pred = argmax(out.logits.detach(), 1);
        int64_t right = 0;
        for (int64_t i = 0; i < pred.numel(); ++i)
          right += pred.at<int64_t>({i}) == b.labels.at<int64_t>({i});
        bar.update(
            r.steps, loss, b.tokens, lr,
            fmt::format("batch acc {:.1f}%", 100.0 * static_cast<double>(right) /
                                                 static_cast<double>(std::max<int64_t>(1, pred.numel()))));
      }
    }
    EpochResult e{
        epoch + 1, r.steps, epoch_loss / static_cast<double>(std::max<int64_t>(1, epoch_steps)), {}, 0};
    if (!dev_data.encodings.empty()) e.dev = evaluate_classifier(model, dev_data, o.eval_batch_size);
    e.seconds = seconds_since(t0);
    if (o.progress)
      bar.message(fmt::format(
          "epoch {}: train loss {:.4f} | dev accuracy {:.2f}% ({} examples) | dev loss {:.4f} "
          "| step {} | {:.0f}s",
          e.epoch, e.train_loss, 100 * e.dev.accuracy, e.dev.examples, e.dev.loss, e.step, e.seconds));
    r.epochs.push_back(e);
  }
  if (o.progress) bar.finish();
  model.eval();
  r.seconds = seconds_since(t0);
  return r;
}

void save_finetune_curve(const FinetuneResult& r, const std::string& path, const std::string& title) {
  // Short legend names: the legend column of line_plot is narrow.
  viz::Series steps{"batch loss", {}, {}}, smooth{"50-step mean", {}, {}}, dev{"dev loss", {}, {}, true};
  double window = 0;
  for (size_t i = 0; i < r.step_losses.size(); ++i) {
    steps.x.push_back(static_cast<double>(i + 1));
    steps.y.push_back(r.step_losses[i]);
    window += r.step_losses[i] - (i >= 50 ? r.step_losses[i - 50] : 0.0);
    smooth.x.push_back(static_cast<double>(i + 1));
    smooth.y.push_back(window / static_cast<double>(std::min<size_t>(i + 1, 50)));
  }
  for (const auto& e : r.epochs) {
    dev.x.push_back(static_cast<double>(e.step));
    dev.y.push_back(e.dev.loss);
  }
  std::vector<viz::Series> series{steps, smooth};
  if (dev.x.size() >= 2) series.push_back(dev);  // one point draws no line
  viz::line_plot(series, {.title = title, .x_label = "optimizer step", .y_label = "cross-entropy"})
      .save(path);
}

}  // namespace attn::train
