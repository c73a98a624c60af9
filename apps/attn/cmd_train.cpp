// attn train transformer — train an encoder–decoder Transformer on parallel text files (one sentence per
// line). The text side (mt_text.h) is either word-level vocabularies built from the training side
// (text::Vocab, lowercased, punctuation split: src_vocab.txt, tgt_vocab.txt), or subword tokenizers, cased
// and detokenising: one byte-level BPE learned from both sides (--joint-vocab N) or given tokenizer.json
// files (--tokenizer-src/--tokenizer-tgt), saved as src_tokenizer.json, tgt_tokenizer.json. Everything
// goes to --out with config.json, model.safetensors, checkpoint/, loss.svg; `attn translate --model DIR`
// reads it back.
//   attn train transformer --train-src train.de --train-tgt train.en --valid-src val.de --valid-tgt val.en
//        --out runs/de-en --joint-vocab 8000 --d-model 256 --layers 3 --epochs 10 --max-tokens 4000
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "attn/core/error.h"
#include "attn/core/threads.h"
#include "attn/text/vocab.h"
#include "attn/train/trainer.h"
#include "commands.h"
#include "mt_text.h"

namespace attn::cli {

CLI::App* train_group(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands([](const CLI::App* a) { return a->get_name() == "train"; }))
    return sub;
  auto* train = app.add_subcommand("train", "train a model (transformer, …)");
  train->require_subcommand(1);
  return train;
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  ATTN_CHECK(in.good(), "cannot read {}", path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<int64_t> encode_line(const text::Vocab& v, const std::string& line, size_t max_len) {
  std::vector<int64_t> ids;
  for (int32_t id : v.encode(line)) ids.push_back(id);
  if (ids.size() > max_len) ids.resize(max_len);
  return ids;
}

namespace {

struct TrainArgs {
  std::string train_src, train_tgt, valid_src, valid_tgt, out, config;
  std::string tokenizer_src, tokenizer_tgt;  // subword tokenizer.json files
  size_t joint_vocab = 0;                    // > 0: learn one byte-level BPE of this size on both sides
  models::TransformerConfig model{.d_model = 256,
                                  .nhead = 4,
                                  .num_encoder_layers = 3,
                                  .num_decoder_layers = 3,
                                  .dim_feedforward = 1024,
                                  .max_len = 256};
  int64_t layers = 0;
  bool pre_ln = false;
  size_t min_freq = 2, max_vocab = 0, max_len = 100;
  train::TrainOptions opt{.epochs = 10,
                          .max_tokens = 4000,
                          .warmup = 2000,
                          .clip_norm = 1.0,
                          .checkpoint_every = 500,
                          .log_every = 100};
  int threads = 0;
};

std::vector<train::Example> pairs(const MtText& sv, const MtText& tv, const std::string& src,
                                  const std::string& tgt, size_t max_len) {
  const auto s = read_lines(src), t = read_lines(tgt);
  ATTN_CHECK(s.size() == t.size(), "train: {} has {} lines but {} has {}", src, s.size(), tgt, t.size());
  std::vector<train::Example> out;
  for (size_t i = 0; i < s.size(); ++i) {
    train::Example e{sv.encode(s[i], max_len), tv.encode(t[i], max_len)};
    if (!e.src.empty() && !e.tgt.empty()) out.push_back(std::move(e));
  }
  return out;
}

// The source and target text sides: loaded back on --resume, else learned or read, and saved to --out.
std::pair<MtText, MtText> text_sides(const TrainArgs& a) {
  ATTN_CHECK(a.tokenizer_src.empty() == a.tokenizer_tgt.empty(),
             "train: give both --tokenizer-src and --tokenizer-tgt, or neither");
  ATTN_CHECK(a.joint_vocab == 0 || a.tokenizer_src.empty(),
             "train: --joint-vocab learns the tokenizer; it cannot be combined with --tokenizer-src/-tgt");
  if (a.opt.resume) return {MtText::load(a.out, "src"), MtText::load(a.out, "tgt")};
  auto from_file = [](const std::string& path) {
    return MtText::subwords(std::make_shared<text::Tokenizer>(text::Tokenizer::from_file(path)), path);
  };
  std::pair<MtText, MtText> sides;
  if (a.joint_vocab > 0) {
    auto lines = read_lines(a.train_src);
    for (auto& l : read_lines(a.train_tgt)) lines.push_back(std::move(l));
    sides.first = sides.second = MtText::train_bpe(lines, a.joint_vocab);
  } else if (!a.tokenizer_src.empty()) {
    sides = {from_file(a.tokenizer_src), from_file(a.tokenizer_tgt)};
  } else {
    const text::VocabOptions vo{.min_freq = a.min_freq, .max_size = a.max_vocab};
    sides = {MtText::words(text::Vocab::build(read_lines(a.train_src), vo)),
             MtText::words(text::Vocab::build(read_lines(a.train_tgt), vo))};
  }
  sides.first.save(a.out, "src");
  sides.second.save(a.out, "tgt");
  return sides;
}

void run_train(TrainArgs a) {
  if (a.threads > 0) set_num_threads(a.threads);
  std::filesystem::create_directories(a.out);
  if (!a.config.empty()) {
    std::ifstream in(a.config);
    ATTN_CHECK(in.good(), "train: cannot read --config {}", a.config);
    a.model = models::TransformerConfig::from_json(nlohmann::json::parse(in));
  }
  if (a.layers > 0) a.model.num_encoder_layers = a.model.num_decoder_layers = a.layers;
  if (a.pre_ln) a.model.norm_first = true;
  const auto [sv, tv] = text_sides(a);
  a.model.src_vocab_size = static_cast<int64_t>(sv.size());
  a.model.tgt_vocab_size = static_cast<int64_t>(tv.size());
  a.model.pad_id = tv.special_id("[PAD]"), a.model.bos_id = tv.special_id("[BOS]");
  a.model.eos_id = tv.special_id("[EOS]");
  ATTN_CHECK(sv.special_id("[PAD]") == a.model.pad_id,
             "train: the source and target vocabularies must give [PAD] the same id ({} vs {})",
             sv.special_id("[PAD]"), a.model.pad_id);
  ATTN_CHECK(!a.model.share_embeddings || sv.size() == tv.size(),
             "train: --share-embeddings needs one vocabulary (source {} tokens, target {})", sv.size(),
             tv.size());
  const auto train_set = pairs(sv, tv, a.train_src, a.train_tgt, a.max_len);
  std::vector<train::Example> valid_set;
  if (!a.valid_src.empty()) valid_set = pairs(sv, tv, a.valid_src, a.valid_tgt, a.max_len);
  Generator gen(a.opt.seed);
  models::Transformer model(a.model, gen);
  int64_t n_params = 0;
  for (const auto& p : model.parameters()) n_params += p.numel();
  std::fprintf(stderr,
               "attn train transformer: %zu training pairs, %zu validation, vocab %zu/%zu, %.2fM params\n",
               train_set.size(), valid_set.size(), sv.size(), tv.size(), static_cast<double>(n_params) / 1e6);
  a.opt.out_dir = a.out;
  a.opt.dropout_generator = &gen;
  const auto r = train::train(model, train_set, valid_set, a.opt);
  std::printf("trained %lld steps; last train loss %.4f", static_cast<long long>(r.steps),
              r.step_losses.back());
  if (!r.valid_losses.empty())
    std::printf("; valid loss %.4f (ppl %.2f)", r.valid_losses.back(), std::exp(r.valid_losses.back()));
  std::printf("\nwrote %s/{model.safetensors,config.json,%s,loss.svg,checkpoint/}\n", a.out.c_str(),
              sv.is_subword() ? "src_tokenizer.json,tgt_tokenizer.json" : "src_vocab.txt,tgt_vocab.txt");
}

}  // namespace

void add_train_transformer_command(CLI::App& app) {
  auto args = std::make_shared<TrainArgs>();
  auto* cmd = train_group(app)->add_subcommand("transformer",
                                               "train an encoder-decoder Transformer on parallel text");
  cmd->add_option("--train-src", args->train_src, "source sentences, one per line")->required();
  cmd->add_option("--train-tgt", args->train_tgt, "target sentences, line-aligned")->required();
  cmd->add_option("--valid-src", args->valid_src, "validation source (loss per epoch)");
  cmd->add_option("--valid-tgt", args->valid_tgt, "validation target");
  cmd->add_option("--out", args->out, "output directory")->required();
  cmd->add_option("--config", args->config, "model config JSON (config.json keys); flags below override it");
  cmd->add_option("--d-model", args->model.d_model, "model width")->capture_default_str();
  cmd->add_option("--heads", args->model.nhead, "attention heads")->capture_default_str();
  cmd->add_option("--layers", args->layers, "encoder and decoder layers (default 3)");
  cmd->add_option("--ff", args->model.dim_feedforward, "feed-forward width")->capture_default_str();
  cmd->add_option("--dropout", args->model.dropout, "dropout")->capture_default_str();
  cmd->add_flag("--pre-ln", args->pre_ln, "pre-LN layers (norm_first)");
  cmd->add_flag("--tie-output", args->model.tie_output, "tie the generator to the target embedding");
  cmd->add_flag("--share-embeddings", args->model.share_embeddings,
                "one embedding table for source and target (needs --joint-vocab)");
  cmd->add_option("--joint-vocab", args->joint_vocab,
                  "learn one cased byte-level BPE of N tokens on both sides (detokenised output)");
  cmd->add_option("--tokenizer-src", args->tokenizer_src, "source tokenizer.json (with [PAD] [BOS] [EOS])");
  cmd->add_option("--tokenizer-tgt", args->tokenizer_tgt, "target tokenizer.json (with [PAD] [BOS] [EOS])");
  cmd->add_option("--min-freq", args->min_freq, "word vocabulary: minimum word count")->capture_default_str();
  cmd->add_option("--max-vocab", args->max_vocab, "vocabulary: maximum size (0 = all)")
      ->capture_default_str();
  cmd->add_option("--max-len", args->max_len, "truncate sentences to this many tokens")
      ->capture_default_str();
  cmd->add_option("--epochs", args->opt.epochs, "epochs")->capture_default_str();
  cmd->add_option("--max-steps", args->opt.max_steps, "stop after this many optimizer steps (0 = no limit)");
  cmd->add_option("--max-minutes", args->opt.max_minutes,
                  "wall-clock budget: stop after the step that uses it up (validation, checkpoint, loss.svg)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag(
      "--cpu-minutes", args->opt.cpu_budget,
      "--max-minutes counts this process's CPU time, not wall time (equal budgets on a busy machine)");
  cmd->add_option("--max-tokens", args->opt.max_tokens, "token budget per batch")->capture_default_str();
  cmd->add_option("--batch-size", args->opt.batch_size, "sentences per batch when --max-tokens is 0");
  cmd->add_option("--warmup", args->opt.warmup, "Noam warm-up steps")->capture_default_str();
  cmd->add_option("--lr-factor", args->opt.lr_factor, "Noam schedule factor")->capture_default_str();
  cmd->add_option("--label-smoothing", args->opt.label_smoothing, "ε")->capture_default_str();
  cmd->add_option("--clip", args->opt.clip_norm, "gradient clipping max norm (0 = off)")
      ->capture_default_str();
  cmd->add_option("--accumulate", args->opt.accumulate, "batches per optimizer step")->capture_default_str();
  cmd->add_option("--checkpoint-every", args->opt.checkpoint_every, "steps between checkpoints")
      ->capture_default_str();
  cmd->add_flag("--resume", args->opt.resume, "continue from OUT/checkpoint");
  cmd->add_option("--seed", args->opt.seed, "seed (init, batch order, dropout)")->capture_default_str();
  cmd->add_option("--threads", args->threads, "threads (default: ATTN_NUM_THREADS or all cores)");
  cmd->callback([args] { run_train(*args); });
}

}  // namespace attn::cli
