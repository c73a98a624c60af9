// attn pretrain bert — BERT pretraining from scratch (masked LM + next-sentence prediction) on raw text:
//   1. documents from --corpus (files or directories; Project Gutenberg headers/footers are stripped)
//   2. a WordPiece vocabulary trained on the corpus (or --vocab tokenizer.json)
//   3. sentence pairs (50 % IsNext / 50 % random next, HF's rules) split into training and held-out pairs
//   4. BertForPreTraining from HF's initialisation, AdamW (weight decay on all but biases and LayerNorm, as
//      BERT), linear warm-up then linear decay, gradient clipping, masks drawn anew for every batch
//   5. OUT/log.csv + log.json (per step; held-out evaluations), OUT/{loss,mlm_accuracy,nsp_accuracy}.svg,
//      OUT/checkpoint-<step>/ and the final HF-loadable OUT/model/ (config.json, model.safetensors,
//      tokenizer.json) that `attn fill-mask --model OUT/model` and transformers' from_pretrained read.
//
//   attn pretrain bert --corpus ../shared/data/gutenberg_en --config small --out runs/bert-small --steps 2000
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "attn/autograd/grad_mode.h"
#include "attn/core/error.h"
#include "attn/core/threads.h"
#include "attn/io/files.h"
#include "attn/models/bert_heads.h"
#include "attn/models/bert_save.h"
#include "attn/models/pretraining_data.h"
#include "attn/ops/shape.h"
#include "attn/optim/adam.h"
#include "attn/optim/clip_grad.h"
#include "attn/optim/schedule.h"
#include "attn/tensor/creation.h"
#include "attn/text/trainers/bpe_trainer.h"
#include "attn/train/progress.h"
#include "attn/viz/line_plot.h"
#include "commands.h"

namespace attn::cli {
namespace {

namespace fs = std::filesystem;

struct PretrainArgs {
  std::vector<std::string> corpus;
  std::string config = "small", out, vocab, doc_split = "file";
  size_t vocab_size = 8000, max_docs = 0;
  int64_t max_seq_len = 128, steps = 1000, batch_size = 32, warmup = 100, eval_pairs = 512, eval_every = 100,
          checkpoint_every = 500, log_every = 10;
  double lr = 5e-4, weight_decay = 0.01, clip = 1.0, mlm_probability = 0.15, max_minutes = 0;
  uint64_t seed = 42;
  bool whole_word_mask = false;
  int threads = 0;
};

// ---- configuration and data ----

models::BertConfig make_config(const PretrainArgs& a, int64_t vocab_size) {
  models::BertConfig c;
  if (a.config == "tiny") {  // 2 × 128, 2 heads: a smoke test
    c.num_hidden_layers = 2, c.hidden_size = 128, c.num_attention_heads = 2, c.intermediate_size = 512;
  } else if (a.config == "small") {  // 4 × 256, 4 heads (the size of Turc et al.'s BERT-Mini)
    c.num_hidden_layers = 4, c.hidden_size = 256, c.num_attention_heads = 4, c.intermediate_size = 1024;
  } else {
    ATTN_CHECK_KIND(Io, fs::exists(a.config),
                    "pretrain bert: --config must be tiny, small or a config.json file; "
                    "'{}' is neither",
                    a.config);
    c = models::BertConfig::from_file(a.config);
  }
  c.vocab_size = vocab_size;
  c.max_position_embeddings = std::max(c.max_position_embeddings, a.max_seq_len);
  c.architectures = {"BertForPreTraining"};
  return c;
}

std::vector<std::string> corpus_files(const std::vector<std::string>& corpus, size_t max_docs) {
  std::vector<std::string> files;
  for (const std::string& c : corpus) {
    ATTN_CHECK_KIND(Io, fs::exists(c), "pretrain bert: --corpus '{}' does not exist", c);
    if (!fs::is_directory(c)) {
      files.push_back(c);
      continue;
    }
    std::vector<std::string> in_dir;
    for (const auto& e : fs::directory_iterator(c))
      if (e.is_regular_file()) in_dir.push_back(e.path().string());
    std::sort(in_dir.begin(), in_dir.end());
    files.insert(files.end(), in_dir.begin(), in_dir.end());
  }
  ATTN_CHECK(!files.empty(), "pretrain bert: --corpus holds no files");
  if (max_docs > 0 && files.size() > max_docs) files.resize(max_docs);
  return files;
}

text::Tokenizer make_tokenizer(const PretrainArgs& a, const std::vector<std::vector<std::string>>& docs) {
  if (!a.vocab.empty()) return text::Tokenizer::from_file(a.vocab);
  std::vector<std::string> lines;
  for (const auto& d : docs) lines.insert(lines.end(), d.begin(), d.end());
  text::BpeTrainerOptions o;
  o.vocab_size = a.vocab_size;
  o.limit_alphabet = 1000;
  return text::train_wordpiece(lines, o);  // lower-cased BERT tokenizer with [PAD] [UNK] [CLS] [SEP] [MASK]
}

struct Data {
  std::vector<models::SentencePair> train, held_out;
};

Data make_pairs(const PretrainArgs& a, const std::vector<models::TokenizedDocument>& docs, Generator& gen) {
  Data d;
  d.train = models::create_pairs(docs, {.max_seq_len = a.max_seq_len}, gen);
  for (size_t i = d.train.size(); i > 1; --i) std::swap(d.train[i - 1], d.train[gen.randint(i)]);
  const auto n_eval =
      static_cast<size_t>(std::min<int64_t>(a.eval_pairs, static_cast<int64_t>(d.train.size()) / 10));
  d.held_out.assign(std::make_move_iterator(d.train.end() - static_cast<std::ptrdiff_t>(n_eval)),
                    std::make_move_iterator(d.train.end()));
  d.train.resize(d.train.size() - n_eval);
  ATTN_CHECK(!d.train.empty(), "pretrain bert: the corpus gave no training pairs");
  return d;
}

// ---- metrics ----

struct Metrics {
  double loss = 0, mlm_loss = 0, nsp_loss = 0, mlm_acc = 0, nsp_acc = 0;
  int64_t masked = 0, pairs = 0;
};

// Argmax hits of (N, K) logits against (N) targets.
int64_t hits(const Tensor& logits, const Tensor& targets) {
  const Tensor l = attn::contiguous(logits);
  const int64_t N = l.size(0), K = l.size(1);
  const float* p = l.data<float>();
  int64_t h = 0;
  for (int64_t i = 0; i < N; ++i) {
    const int64_t best = std::max_element(p + i * K, p + (i + 1) * K) - (p + i * K);
    h += best == element_as<int64_t>(targets, i) ? 1 : 0;
  }
  return h;
}

Metrics measure(const models::BertPreTrainingOutput& o, const models::PretrainingBatch& b) {
  std::vector<int64_t> tgt;  // the labels at the masked positions, in forward_masked's row-major order
  const int64_t* lab = b.labels.data<int64_t>();
  for (int64_t i = 0; i < b.labels.numel(); ++i)
    if (lab[i] != -100) tgt.push_back(lab[i]);
  Tensor t = empty({static_cast<int64_t>(tgt.size())}, DType::I64);
  std::copy(tgt.begin(), tgt.end(), t.data<int64_t>());
  Metrics m;
  m.loss = o.loss.item<double>(), m.mlm_loss = o.mlm_loss.item<double>(),
  m.nsp_loss = o.nsp_loss.item<double>();
  m.masked = static_cast<int64_t>(tgt.size()), m.pairs = b.next_sentence_label.numel();
  m.mlm_acc = static_cast<double>(hits(o.prediction_logits, t)) / static_cast<double>(m.masked);
  m.nsp_acc = static_cast<double>(hits(o.seq_relationship_logits, b.next_sentence_label)) /
              static_cast<double>(m.pairs);
  return m;
}

// Held-out pairs with masks drawn once (a fixed generator), so every evaluation sees the same inputs.
std::vector<models::PretrainingBatch> eval_batches(const PretrainArgs& a, const Data& d,
                                                   const models::SpecialIds& sp) {
  Generator gen(a.seed + 1);
  std::vector<models::PretrainingBatch> out;
  for (size_t i = 0; i < d.held_out.size(); i += static_cast<size_t>(a.batch_size)) {
    std::vector<const models::SentencePair*> ps;
    for (size_t j = i; j < std::min(d.held_out.size(), i + static_cast<size_t>(a.batch_size)); ++j)
      ps.push_back(&d.held_out[j]);
    out.push_back(models::make_batch(ps, sp, {a.mlm_probability, a.whole_word_mask}, gen));
  }
  return out;
}

Metrics evaluate(models::BertForPreTraining& model, const std::vector<models::PretrainingBatch>& batches) {
  NoGradGuard no_grad;
  model.eval();
  Metrics total;
  double mlm_hits = 0, nsp_hits = 0;
  for (const auto& b : batches) {
    const auto o = model.forward_masked(b.input_ids, b.attention_mask, b.token_type_ids,
                                        {b.labels, b.next_sentence_label});
    const Metrics m = measure(o, b);
    total.mlm_loss += m.mlm_loss * static_cast<double>(m.masked);
    total.nsp_loss += m.nsp_loss * static_cast<double>(m.pairs);
    mlm_hits += m.mlm_acc * static_cast<double>(m.masked),
        nsp_hits += m.nsp_acc * static_cast<double>(m.pairs);
    total.masked += m.masked, total.pairs += m.pairs;
  }
  model.train();
  total.mlm_loss /= static_cast<double>(std::max<int64_t>(total.masked, 1));
  total.nsp_loss /= static_cast<double>(std::max<int64_t>(total.pairs, 1));
  total.loss = total.mlm_loss + total.nsp_loss;
  total.mlm_acc = mlm_hits / static_cast<double>(std::max<int64_t>(total.masked, 1));
  total.nsp_acc = nsp_hits / static_cast<double>(std::max<int64_t>(total.pairs, 1));
  return total;
}

// ---- the log and its curves ----

struct Log {
  std::vector<double> step, loss, mlm_acc, nsp_acc, lr;                  // every training step
  std::vector<double> eval_step, eval_loss, eval_mlm_acc, eval_nsp_acc;  // held-out evaluations
};

// Mean of the last `w` values at every point (the raw per-batch accuracy is noisy).
std::vector<double> running_mean(const std::vector<double>& v, size_t w) {
  std::vector<double> out(v.size());
  double s = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    s += v[i];
    if (i >= w) s -= v[i - w];
    out[i] = s / static_cast<double>(std::min(i + 1, w));
  }
  return out;
}

void write_log(const std::string& out, const Log& g, const nlohmann::json& meta) {
  std::string csv = "step,loss,mlm_accuracy,nsp_accuracy,lr\n";
  for (size_t i = 0; i < g.step.size(); ++i)
    csv += fmt::format("{},{:.6f},{:.6f},{:.6f},{:.6e}\n", g.step[i], g.loss[i], g.mlm_acc[i], g.nsp_acc[i],
                       g.lr[i]);
  io::write_text_atomic(out + "/log.csv", csv);
  nlohmann::json j = meta;
  j["eval"] = nlohmann::json::array();
  for (size_t i = 0; i < g.eval_step.size(); ++i)
    j["eval"].push_back({{"step", g.eval_step[i]},
                         {"loss", g.eval_loss[i]},
                         {"mlm_accuracy", g.eval_mlm_acc[i]},
                         {"nsp_accuracy", g.eval_nsp_acc[i]}});
  io::write_text_atomic(out + "/log.json", j.dump(1) + "\n");
  const size_t w = 50;
  auto plot = [&](const std::string& name, const std::string& label, const std::vector<double>& train,
                  const std::vector<double>& held_out) {
    viz::line_plot({{fmt::format("train (avg {})", w), g.step, running_mean(train, w)},
                    {"held-out pairs", g.eval_step, held_out, true}},
                   {.title = "attn pretrain bert: " + label, .x_label = "step", .y_label = label})
        .save(out + "/" + name + ".svg");
  };
  plot("loss", "loss (MLM + NSP)", g.loss, g.eval_loss);
  plot("mlm_accuracy", "MLM accuracy", g.mlm_acc, g.eval_mlm_acc);
  plot("nsp_accuracy", "NSP accuracy", g.nsp_acc, g.eval_nsp_acc);
}

// ---- training ----

// AdamW over two groups, as BERT: weight decay on every weight matrix, none on biases and LayerNorm.
struct Optimizers {
  std::unique_ptr<optim::AdamW> decay, no_decay;
  std::unique_ptr<optim::LRScheduler> decay_sched, no_decay_sched;
  std::vector<Tensor> all;
};

Optimizers make_optimizers(models::BertForPreTraining& model, const PretrainArgs& a) {
  std::vector<Tensor> decay, no_decay;
  Optimizers o;
  for (auto& [name, p] : model.named_parameters()) {
    const bool nd = name.find("bias") != std::string::npos || name.find("LayerNorm") != std::string::npos;
    (nd ? no_decay : decay).push_back(p);
    o.all.push_back(p);
  }
  o.decay =
      std::make_unique<optim::AdamW>(decay, optim::AdamWOptions{.lr = a.lr, .weight_decay = a.weight_decay});
  o.no_decay = std::make_unique<optim::AdamW>(no_decay, optim::AdamWOptions{.lr = a.lr, .weight_decay = 0.0});
  o.decay_sched =
      std::make_unique<optim::LRScheduler>(optim::linear_schedule_with_warmup(*o.decay, a.warmup, a.steps));
  o.no_decay_sched = std::make_unique<optim::LRScheduler>(
      optim::linear_schedule_with_warmup(*o.no_decay, a.warmup, a.steps));
  return o;
}

void save_model(const std::string& dir, const models::BertForPreTraining& model,
                const std::string& tokenizer_dir) {
  models::save_pretrained(dir, model.config, model.state_dict_for_save(), tokenizer_dir);
}

struct Run {
  const PretrainArgs& a;
  models::BertForPreTraining& model;
  const Data& data;
  models::SpecialIds sp;
  std::string tokenizer_dir;
  nlohmann::json meta;
};

void note_eval(Run& r, Log& log, int64_t step, const std::vector<models::PretrainingBatch>& eval,
               train::ProgressBar& bar) {
  if (eval.empty()) return;
  const Metrics e = evaluate(r.model, eval);
  log.eval_step.push_back(static_cast<double>(step)), log.eval_loss.push_back(e.loss);
  log.eval_mlm_acc.push_back(e.mlm_acc), log.eval_nsp_acc.push_back(e.nsp_acc);
  bar.message(fmt::format(
      "held-out @ step {}: loss {:.4f} (mlm {:.4f}, nsp {:.4f}) | mlm acc {:.4f} | nsp acc {:.4f} "
      "({} masked tokens, {} pairs)",
      step, e.loss, e.mlm_loss, e.nsp_loss, e.mlm_acc, e.nsp_acc, e.masked, e.pairs));
  write_log(r.a.out, log, r.meta);
}

int64_t train_loop(Run& r, Log& log) {
  const PretrainArgs& a = r.a;
  Optimizers opt = make_optimizers(r.model, a);
  Generator gen(a.seed + 2);  // batch order and masks
  const auto eval = eval_batches(a, r.data, r.sp);
  train::ProgressBar bar(a.steps, a.log_every);
  const auto start = std::chrono::steady_clock::now();
  std::vector<size_t> order(r.data.train.size());
  size_t cursor = order.size();
  r.model.train();
  int64_t step = 0;
  while (step < a.steps) {
    std::vector<const models::SentencePair*> ps;
    while (static_cast<int64_t>(ps.size()) < a.batch_size) {
      if (cursor == order.size()) {  // a new epoch over the pairs, reshuffled
        for (size_t i = 0; i < order.size(); ++i) order[i] = i;
        for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[gen.randint(i)]);
        cursor = 0;
      }
      ps.push_back(&r.data.train[order[cursor++]]);
    }
    const auto b = models::make_batch(ps, r.sp, {a.mlm_probability, a.whole_word_mask}, gen);
    if (b.masked == 0) continue;
    const auto o = r.model.forward_masked(b.input_ids, b.attention_mask, b.token_type_ids,
                                          {b.labels, b.next_sentence_label});
    o.loss.backward();
    if (a.clip > 0) optim::clip_grad_norm_(opt.all, a.clip);
    const double lr = opt.decay->lr();
    opt.decay->step(), opt.no_decay->step();
    opt.decay_sched->step(), opt.no_decay_sched->step();
    opt.decay->zero_grad(), opt.no_decay->zero_grad();
    ++step;
    const Metrics m = measure(o, b);
    log.step.push_back(static_cast<double>(step)), log.loss.push_back(m.loss);
    log.mlm_acc.push_back(m.mlm_acc), log.nsp_acc.push_back(m.nsp_acc), log.lr.push_back(lr);
    bar.update(step, m.loss, b.tokens, lr,
               fmt::format("mlm acc {:.3f} | nsp acc {:.3f}", m.mlm_acc, m.nsp_acc));
    if (step % a.eval_every == 0 || step == a.steps) note_eval(r, log, step, eval, bar);
    if (a.checkpoint_every > 0 && step % a.checkpoint_every == 0 && step < a.steps)
      save_model(fmt::format("{}/checkpoint-{}", a.out, step), r.model, r.tokenizer_dir);
    const double minutes =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / 60;
    if (a.max_minutes > 0 && minutes >= a.max_minutes && step < a.steps) {
      bar.message(fmt::format("--max-minutes {} reached at step {} of {}: stopping early", a.max_minutes,
                              step, a.steps));
      note_eval(r, log, step, eval, bar);
      break;
    }
  }
  bar.finish();
  return step;
}

// Prints what the run is made of (and the held-out NSP majority baseline); returns it for log.json.
nlohmann::json announce(const PretrainArgs& a, size_t n_files,
                        const std::vector<std::vector<std::string>>& docs, const text::Tokenizer& tok,
                        const Data& data, const models::BertForPreTraining& model) {
  const models::BertConfig& config = model.config;
  int64_t n_params = 0;
  for (const auto& p : model.parameters()) n_params += p.numel();
  size_t n_sentences = 0;
  for (const auto& d : docs) n_sentences += d.size();
  std::fprintf(
      stderr,
      "attn pretrain bert: %zu files, %zu documents, %zu sentences; vocab %zu; %zu training pairs, %zu "
      "held out; %lld layers x %lld hidden, %lld heads; %.2fM parameters; %d thread(s)\n",
      n_files, docs.size(), n_sentences, tok.vocab_size(), data.train.size(), data.held_out.size(),
      static_cast<long long>(config.num_hidden_layers), static_cast<long long>(config.hidden_size),
      static_cast<long long>(config.num_attention_heads), static_cast<double>(n_params) / 1e6,
      get_num_threads());
  nlohmann::json meta = {{"files", n_files},
                         {"documents", docs.size()},
                         {"sentences", n_sentences},
                         {"vocab_size", tok.vocab_size()},
                         {"train_pairs", data.train.size()},
                         {"held_out_pairs", data.held_out.size()},
                         {"parameters", n_params},
                         {"max_seq_len", a.max_seq_len},
                         {"batch_size", a.batch_size},
                         {"lr", a.lr},
                         {"warmup", a.warmup},
                         {"steps", a.steps},
                         {"seed", a.seed},
                         {"whole_word_mask", a.whole_word_mask},
                         {"threads", get_num_threads()}};
  const auto random_next = std::count_if(data.held_out.begin(), data.held_out.end(),
                                         [](const models::SentencePair& p) { return p.is_random_next; });
  std::fprintf(
      stderr, "held-out pairs: %lld random next, %lld IsNext (NSP majority baseline %.4f)\n",
      static_cast<long long>(random_next), static_cast<long long>(data.held_out.size()) - random_next,
      data.held_out.empty() ? 0.0
                            : static_cast<double>(std::max<int64_t>(
                                  random_next, static_cast<int64_t>(data.held_out.size()) - random_next)) /
                                  static_cast<double>(data.held_out.size()));
  meta["held_out_random_next"] = random_next;
  return meta;
}

void run_pretrain(const PretrainArgs& a) {
  ATTN_CHECK(a.doc_split == "file" || a.doc_split == "blank",
             "pretrain bert: --doc-split must be file or blank, got '{}'", a.doc_split);
  ATTN_CHECK(
      a.steps > 0 && a.batch_size > 0 && a.max_seq_len >= 8 && a.eval_every > 0,
      "pretrain bert: --steps, --batch-size, --eval-every must be positive and --max-seq-len at least 8");
  if (a.threads > 0) set_num_threads(a.threads);
  fs::create_directories(a.out);
  const auto files = corpus_files(a.corpus, a.max_docs);
  const auto docs = models::read_documents(
      files, a.doc_split == "file" ? models::DocumentSplit::File : models::DocumentSplit::BlankLine);
  const text::Tokenizer tok = make_tokenizer(a, docs);
  const std::string tokenizer_dir = a.out + "/tokenizer";
  fs::create_directories(tokenizer_dir);
  tok.save(tokenizer_dir + "/tokenizer.json");
  Generator gen(a.seed);
  const Data data = make_pairs(a, models::tokenize_documents(docs, tok), gen);
  const models::BertConfig config = make_config(a, static_cast<int64_t>(tok.vocab_size()));
  models::BertForPreTraining model(config, gen);
  models::init_bert_weights(model, config.initializer_range, gen);
  const nlohmann::json meta = announce(a, files.size(), docs, tok, data, model);
  Run run{a, model, data, models::SpecialIds::from_tokenizer(tok), tokenizer_dir, meta};
  Log log;
  const int64_t steps = train_loop(run, log);
  run.meta["steps_done"] = steps;
  write_log(a.out, log, run.meta);
  save_model(a.out + "/model", model, tokenizer_dir);
  if (!log.eval_step.empty())
    std::printf("pretrained %lld steps; held-out MLM accuracy %.4f, NSP accuracy %.4f, loss %.4f\n",
                static_cast<long long>(steps), log.eval_mlm_acc.back(), log.eval_nsp_acc.back(),
                log.eval_loss.back());
  std::printf("wrote %s/{model/,log.csv,log.json,loss.svg,mlm_accuracy.svg,nsp_accuracy.svg}\n",
              a.out.c_str());
}

}  // namespace

void add_pretrain_command(CLI::App& app) {
  auto args = std::make_shared<PretrainArgs>();
  auto* pretrain = app.add_subcommand("pretrain", "pretrain a model from scratch (bert)");
  pretrain->require_subcommand(1);
  auto* cmd = pretrain->add_subcommand("bert", "BERT masked-LM + next-sentence pretraining on raw text");
  cmd->add_option("--corpus", args->corpus,
                  "text files or directories (one document per file, or see --doc-split)")
      ->required();
  cmd->add_option("--config", args->config, "tiny | small | config.json")->capture_default_str();
  cmd->add_option("--out", args->out, "output directory")->required();
  cmd->add_option("--vocab", args->vocab, "tokenizer.json to use instead of training a WordPiece vocabulary");
  cmd->add_option("--vocab-size", args->vocab_size, "WordPiece vocabulary size")->capture_default_str();
  cmd->add_option("--doc-split", args->doc_split,
                  "file: a file is a document; blank: one sentence per line, "
                  "blank lines between documents")
      ->capture_default_str();
  cmd->add_option("--max-docs", args->max_docs, "use only the first N corpus files (0 = all)");
  cmd->add_option("--max-seq-len", args->max_seq_len, "tokens per pair with [CLS]/[SEP]")
      ->capture_default_str();
  cmd->add_option("--steps", args->steps, "optimizer steps")->capture_default_str();
  cmd->add_option("--batch-size", args->batch_size, "pairs per step")->capture_default_str();
  cmd->add_option("--lr", args->lr, "peak learning rate")->capture_default_str();
  cmd->add_option("--warmup", args->warmup, "linear warm-up steps")->capture_default_str();
  cmd->add_option("--weight-decay", args->weight_decay, "AdamW weight decay (not on bias/LayerNorm)")
      ->capture_default_str();
  cmd->add_option("--clip", args->clip, "gradient clipping max norm (0 = off)")->capture_default_str();
  cmd->add_option("--mlm-probability", args->mlm_probability, "share of tokens masked")
      ->capture_default_str();
  cmd->add_flag("--whole-word-mask", args->whole_word_mask, "mask whole words (a token and its ## pieces)");
  cmd->add_option("--eval-pairs", args->eval_pairs, "held-out pairs")->capture_default_str();
  cmd->add_option("--eval-every", args->eval_every, "steps between held-out evaluations")
      ->capture_default_str();
  cmd->add_option("--checkpoint-every", args->checkpoint_every, "steps between checkpoints (0 = none)")
      ->capture_default_str();
  cmd->add_option("--log-every", args->log_every, "steps between progress lines (when not a terminal)")
      ->capture_default_str();
  cmd->add_option("--max-minutes", args->max_minutes,
                  "stop (and save) after this much training time (0 = no limit)");
  cmd->add_option("--seed", args->seed, "seed (data, masks, initialisation, dropout)")->capture_default_str();
  cmd->add_option("--threads", args->threads, "threads (default: ATTN_NUM_THREADS or all cores)");
  cmd->callback([args] { run_pretrain(*args); });
}

}  // namespace attn::cli
