// attn train seq2seq — train the RNN encoder–decoder (models/seq2seq.h) with no attention, Bahdanau or
// Luong attention on parallel text files, with word-level vocabularies built from the training side
// (text::Vocab, lowercased, punctuation split) and the same training loop as `attn train transformer`.
// --out gets src_vocab.txt, tgt_vocab.txt, config.json ("model_type": "seq2seq"), model.safetensors,
// checkpoint/, loss.svg; `attn translate` and `attn viz attention` read it back (they dispatch on
// config.json's model_type to translate_seq2seq / viz_seq2seq_attention below).
//   attn train seq2seq --attention bahdanau --bidirectional --train-src train.de --train-tgt train.en
//        --valid-src val.de --valid-tgt val.en --out runs/bahdanau --epochs 5 --max-tokens 3000
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "attn/autograd/grad_mode.h"
#include "attn/core/error.h"
#include "attn/core/threads.h"
#include "attn/decode/seq2seq_decoder.h"
#include "attn/ops/shape.h"
#include "attn/tensor/creation.h"
#include "attn/text/vocab.h"
#include "attn/train/trainer.h"
#include "attn/viz/heatmap.h"
#include "commands.h"

namespace attn::cli {

// cmd_train.cpp: the lines of a file; a line's word ids cut to max_len.
std::vector<std::string> read_lines(const std::string& path);
std::vector<int64_t> encode_line(const text::Vocab& v, const std::string& line, size_t max_len);

namespace {

struct Seq2SeqArgs {
  std::string train_src, train_tgt, valid_src, valid_tgt, out;
  std::string attention = "bahdanau", rnn = "gru", luong_score = "general", schedule = "constant";
  bool no_input_feeding = false;
  models::Seq2SeqConfig model{.bidirectional = false};
  double teacher_forcing = 1.0;
  size_t min_freq = 2, max_vocab = 0, max_len = 100;
  train::TrainOptions opt{.epochs = 10,
                          .max_tokens = 3000,
                          .label_smoothing = 0.0,
                          .clip_norm = 1.0,
                          .checkpoint_every = 500,
                          .log_every = 100};
  int threads = 0;
};

std::vector<train::Example> pairs(const text::Vocab& sv, const text::Vocab& tv, const std::string& src,
                                  const std::string& tgt, size_t max_len) {
  const auto s = read_lines(src), t = read_lines(tgt);
  ATTN_CHECK(s.size() == t.size(), "train seq2seq: {} has {} lines but {} has {}", src, s.size(), tgt,
             t.size());
  std::vector<train::Example> out;
  for (size_t i = 0; i < s.size(); ++i) {
    train::Example e{encode_line(sv, s[i], max_len), encode_line(tv, t[i], max_len)};
    if (!e.src.empty() && !e.tgt.empty()) out.push_back(std::move(e));
  }
  return out;
}

void configure(Seq2SeqArgs& a) {
  a.model.attention = models::parse_attention(a.attention);
  ATTN_CHECK(a.rnn == "gru" || a.rnn == "lstm", "train seq2seq: --rnn must be gru or lstm, got \"{}\"",
             a.rnn);
  a.model.rnn = a.rnn == "gru" ? models::RNNType::GRU : models::RNNType::LSTM;
  ATTN_CHECK(a.luong_score == "dot" || a.luong_score == "general",
             "train seq2seq: --luong-score must be dot or general, got \"{}\"", a.luong_score);
  a.model.luong_score = a.luong_score == "dot" ? nn::LuongScore::Dot : nn::LuongScore::General;
  a.model.input_feeding = !a.no_input_feeding;
  ATTN_CHECK(a.schedule == "constant" || a.schedule == "decay" || a.schedule == "noam",
             "train seq2seq: --schedule must be constant, decay or noam, got \"{}\"", a.schedule);
  a.opt.schedule = a.schedule == "constant" ? train::LrSchedule::Constant
                   : a.schedule == "decay"  ? train::LrSchedule::Decay
                                            : train::LrSchedule::Noam;
  ATTN_CHECK(a.teacher_forcing >= 0 && a.teacher_forcing <= 1,
             "train seq2seq: --teacher-forcing {} is outside [0, 1]", a.teacher_forcing);
}

void run_train_seq2seq(Seq2SeqArgs a) {
  if (a.threads > 0) set_num_threads(a.threads);
  configure(a);
  std::filesystem::create_directories(a.out);
  text::Vocab sv, tv;
  if (a.opt.resume) {
    sv = text::Vocab::load(a.out + "/src_vocab.txt");
    tv = text::Vocab::load(a.out + "/tgt_vocab.txt");
  } else {
    sv = text::Vocab::build(read_lines(a.train_src), {.min_freq = a.min_freq, .max_size = a.max_vocab});
    tv = text::Vocab::build(read_lines(a.train_tgt), {.min_freq = a.min_freq, .max_size = a.max_vocab});
    sv.save(a.out + "/src_vocab.txt");
    tv.save(a.out + "/tgt_vocab.txt");
  }
  a.model.src_vocab_size = static_cast<int64_t>(sv.size());
  a.model.tgt_vocab_size = static_cast<int64_t>(tv.size());
  a.model.pad_id = tv.pad_id(), a.model.bos_id = tv.id("[BOS]"), a.model.eos_id = tv.id("[EOS]");
  a.model.max_len = static_cast<int64_t>(a.max_len);
  const auto train_set = pairs(sv, tv, a.train_src, a.train_tgt, a.max_len);
  std::vector<train::Example> valid_set;
  if (!a.valid_src.empty()) valid_set = pairs(sv, tv, a.valid_src, a.valid_tgt, a.max_len);
  Generator gen(a.opt.seed);
  models::Seq2Seq model(a.model, gen);
  int64_t n_params = 0;
  for (const auto& p : model.parameters()) n_params += p.numel();
  std::fprintf(stderr,
               "attn train seq2seq (%s attention, %s): %zu training pairs, %zu validation, vocab %zu/%zu, "
               "%.2fM params\n",
               a.attention.c_str(), a.rnn.c_str(), train_set.size(), valid_set.size(), sv.size(), tv.size(),
               static_cast<double>(n_params) / 1e6);
  a.opt.out_dir = a.out;
  a.opt.dropout_generator = &gen;
  train::RNNSeq2SeqModel trainable(model, a.teacher_forcing);
  const auto r = train::train(trainable, train_set, valid_set, a.opt);
  std::printf("trained %lld steps; last train loss %.4f", static_cast<long long>(r.steps),
              r.step_losses.empty() ? NAN : r.step_losses.back());
  if (!r.valid_losses.empty())
    std::printf("; valid loss %.4f (ppl %.2f)", r.valid_losses.back(), std::exp(r.valid_losses.back()));
  std::printf("\nwrote %s/{model.safetensors,config.json,src_vocab.txt,tgt_vocab.txt,loss.svg,checkpoint/}\n",
              a.out.c_str());
}

// Ids (B, S) padded with pad_id; an empty line becomes [UNK].
Tensor source_batch(const text::Vocab& sv, const std::vector<std::string>& lines,
                    const models::Seq2SeqConfig& c) {
  std::vector<std::vector<int64_t>> ids;
  size_t S = 1;
  for (const auto& l : lines) {
    ids.push_back(encode_line(sv, l, static_cast<size_t>(c.max_len)));
    if (ids.back().empty()) ids.back().push_back(sv.unk_id());
    S = std::max(S, ids.back().size());
  }
  std::vector<int64_t> flat(ids.size() * S, c.pad_id);
  for (size_t i = 0; i < ids.size(); ++i) std::copy(ids[i].begin(), ids[i].end(), flat.begin() + i * S);
  return from_vector(flat, {static_cast<int64_t>(ids.size()), static_cast<int64_t>(S)});
}

decode::SearchOptions search_options(const models::Seq2SeqConfig& c, int64_t S, int64_t beam, double lp,
                                     int64_t max_length) {
  return {.bos_id = c.bos_id,
          .eos_id = c.eos_id,
          .max_length = max_length > 0 ? max_length : S + 50,
          .beam_size = beam,
          .length_penalty = lp};
}

std::string decode_ids(const text::Vocab& tv, const std::vector<int64_t>& h) {
  return tv.decode(std::vector<int32_t>(h.begin(), h.end()));
}

}  // namespace

void translate_seq2seq(const std::string& dir, const std::vector<std::string>& sentences, int64_t beam,
                       double length_penalty, int64_t max_length, int64_t batch) {
  auto model = train::load_seq2seq(dir);
  const auto sv = text::Vocab::load(dir + "/src_vocab.txt"), tv = text::Vocab::load(dir + "/tgt_vocab.txt");
  std::vector<std::string> pending;
  auto flush = [&] {
    if (pending.empty()) return;
    const Tensor src = source_batch(sv, pending, model->config);
    const auto r = decode::translate(
        *model, src, search_options(model->config, src.size(1), beam, length_penalty, max_length));
    for (const auto& h : r.hypotheses) std::printf("%s\n", decode_ids(tv, h).c_str());
    std::fflush(stdout);
    pending.clear();
  };
  if (!sentences.empty()) {
    pending = sentences;
  } else {
    for (std::string line; std::getline(std::cin, line);) {
      pending.push_back(line);
      if (static_cast<int64_t>(pending.size()) >= batch) flush();
    }
  }
  flush();
}

void viz_seq2seq_attention(const std::string& dir, const std::string& sentence, const std::string& output) {
  auto model = train::load_seq2seq(dir);
  ATTN_CHECK(model->config.attention != models::Seq2SeqAttention::None,
             "viz attention: {} is a seq2seq model without attention (--attention none): nothing to draw",
             dir);
  const auto sv = text::Vocab::load(dir + "/src_vocab.txt"), tv = text::Vocab::load(dir + "/tgt_vocab.txt");
  const Tensor src = source_batch(sv, {sentence}, model->config);
  const auto r = decode::translate(*model, src, search_options(model->config, src.size(1), 1, 0.0, 0));
  std::vector<int64_t> tgt{model->config.bos_id};
  tgt.insert(tgt.end(), r.hypotheses[0].begin(), r.hypotheses[0].end());
  Tensor
      weights;  // (1, T, S): the attention of each output token (fed [BOS] y₁ … y_n, predicting y₁ … [EOS])
  {
    NoGradGuard no_grad;
    weights = model->forward(src, from_vector(tgt, {1, static_cast<int64_t>(tgt.size())})).attention;
  }
  std::vector<std::string> rows, cols;
  for (size_t t = 1; t < tgt.size(); ++t) rows.push_back(tv.token(static_cast<int32_t>(tgt[t])));
  rows.push_back("[EOS]");
  for (int64_t id : to_vector<int64_t>(src)) cols.push_back(sv.token(static_cast<int32_t>(id)));
  const auto v = to_vector<float>(contiguous(select(weights, 0, 0)));
  const std::string kind = models::to_string(model->config.attention);
  viz::HeatmapOptions o{.title = fmt::format("{} attention: output (rows) × source (columns)", kind),
                        .row_labels = rows,
                        .col_labels = cols,
                        .cell = 24,
                        .fixed_range = true,
                        .vmin = 0,
                        .vmax = 1};
  const viz::Svg svg = viz::heatmap(v.data(), weights.size(1), weights.size(2), o);
  if (output.size() >= 4 && output.substr(output.size() - 4) == ".svg") {
    svg.save(output);
  } else {
    const std::string tmp = output + ".tmp";
    std::ofstream out(tmp);
    ATTN_CHECK(out.good(), "viz attention: cannot write {}", output);
    out << "<!doctype html><meta charset=utf-8><title>attention</title>\n<h1>" << sentence << " → "
        << decode_ids(tv, r.hypotheses[0]) << "</h1>\n"
        << svg.str() << "\n";
    out.close();
    std::filesystem::rename(tmp, output);
  }
  std::printf("wrote %s: %s attention, source %zu tokens, output \"%s\"\n", output.c_str(), kind.c_str(),
              cols.size(), decode_ids(tv, r.hypotheses[0]).c_str());
}

void add_train_seq2seq_command(CLI::App& app) {
  auto a = std::make_shared<Seq2SeqArgs>();
  auto* cmd = train_group(app)->add_subcommand(
      "seq2seq", "train an RNN encoder-decoder (no attention, Bahdanau or Luong) on parallel text");
  cmd->add_option("--train-src", a->train_src, "source sentences, one per line")->required();
  cmd->add_option("--train-tgt", a->train_tgt, "target sentences, line-aligned")->required();
  cmd->add_option("--valid-src", a->valid_src, "validation source (loss per epoch)");
  cmd->add_option("--valid-tgt", a->valid_tgt, "validation target");
  cmd->add_option("--out", a->out, "output directory")->required();
  cmd->add_option("--attention", a->attention, "none | bahdanau | luong")->capture_default_str();
  cmd->add_option("--luong-score", a->luong_score, "Luong score: dot | general")->capture_default_str();
  cmd->add_flag("--no-input-feeding", a->no_input_feeding, "Luong: do not feed h̃(t-1) to the next step");
  cmd->add_option("--rnn", a->rnn, "gru | lstm")->capture_default_str();
  cmd->add_flag("--bidirectional", a->model.bidirectional, "bidirectional encoder");
  cmd->add_option("--emb", a->model.emb_size, "embedding size")->capture_default_str();
  cmd->add_option("--hidden", a->model.hidden_size, "RNN hidden size")->capture_default_str();
  cmd->add_option("--layers", a->model.num_layers, "RNN layers (encoder and decoder)")->capture_default_str();
  cmd->add_option("--attention-size", a->model.attention_size, "Bahdanau's attention width (0 = hidden)");
  cmd->add_option("--dropout", a->model.dropout, "dropout")->capture_default_str();
  cmd->add_option("--teacher-forcing", a->teacher_forcing, "probability of feeding the reference token")
      ->capture_default_str();
  cmd->add_option("--min-freq", a->min_freq, "vocabulary: minimum word count")->capture_default_str();
  cmd->add_option("--max-vocab", a->max_vocab, "vocabulary: maximum size (0 = all)")->capture_default_str();
  cmd->add_option("--max-len", a->max_len, "truncate sentences to this many tokens")->capture_default_str();
  cmd->add_option("--epochs", a->opt.epochs, "epochs")->capture_default_str();
  cmd->add_option("--max-steps", a->opt.max_steps, "stop after this many optimizer steps (0 = no limit)");
  cmd->add_option("--max-minutes", a->opt.max_minutes,
                  "wall-clock budget: stop after the step that uses it up (validation, checkpoint, loss.svg)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag(
      "--cpu-minutes", a->opt.cpu_budget,
      "--max-minutes counts this process's CPU time, not wall time (equal budgets on a busy machine)");
  cmd->add_option("--max-tokens", a->opt.max_tokens, "token budget per batch")->capture_default_str();
  cmd->add_option("--batch-size", a->opt.batch_size, "sentences per batch when --max-tokens is 0");
  cmd->add_option("--schedule", a->schedule, "lr schedule: constant | decay | noam")->capture_default_str();
  cmd->add_option("--lr", a->opt.lr, "Adam learning rate (constant, decay)")->capture_default_str();
  cmd->add_option("--lr-decay", a->opt.lr_decay, "decay: factor per epoch")->capture_default_str();
  cmd->add_option("--decay-from", a->opt.decay_from, "decay: first decayed epoch (1-based)")
      ->capture_default_str();
  cmd->add_option("--warmup", a->opt.warmup, "noam: warm-up steps")->capture_default_str();
  cmd->add_option("--label-smoothing", a->opt.label_smoothing, "ε")->capture_default_str();
  cmd->add_option("--clip", a->opt.clip_norm, "gradient clipping max norm (0 = off)")->capture_default_str();
  cmd->add_option("--accumulate", a->opt.accumulate, "batches per optimizer step")->capture_default_str();
  cmd->add_option("--checkpoint-every", a->opt.checkpoint_every, "steps between checkpoints")
      ->capture_default_str();
  cmd->add_flag("--resume", a->opt.resume, "continue from OUT/checkpoint");
  cmd->add_option("--seed", a->opt.seed, "seed (init, batch order, dropout, teacher forcing)")
      ->capture_default_str();
  cmd->add_option("--threads", a->threads, "threads (default: ATTN_NUM_THREADS or all cores)");
  cmd->callback([a] { run_train_seq2seq(*a); });
}

}  // namespace attn::cli
