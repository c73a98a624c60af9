// attn translate — translate sentences with a model trained by `attn train transformer` (greedy or beam
// search with the KV cache). Sentences come from the arguments, or from stdin one per line. The model's text
// side (word vocabularies or subword tokenizers, mt_text.h) is read from the model directory.
//   attn translate --model runs/de-en --beam 4 "Ein Mann fährt Fahrrad."
#include <cstdio>
#include <iostream>

#include "attn/core/error.h"
#include "attn/decode/transformer_decoder.h"
#include "attn/tensor/creation.h"
#include "attn/train/trainer.h"
#include "commands.h"
#include "mt_text.h"

namespace attn::cli {

namespace {

struct TranslateArgs {
  std::string model;
  std::vector<std::string> sentences;
  int64_t beam = 4, max_length = 0, batch = 32;
  double length_penalty = 0.6;
  bool no_cache = false;
};

void translate_batch(models::Transformer& m, const MtText& sv, const MtText& tv,
                     const std::vector<std::string>& lines, const TranslateArgs& a) {
  std::vector<std::vector<int64_t>> ids;
  size_t S = 1;
  for (const auto& l : lines) {
    ids.push_back(sv.encode(l, static_cast<size_t>(m.config.max_len)));
    if (ids.back().empty()) ids.back().push_back(sv.special_id("[UNK]"));
    S = std::max(S, ids.back().size());
  }
  std::vector<int64_t> flat(ids.size() * S, m.config.pad_id);
  for (size_t i = 0; i < ids.size(); ++i) std::copy(ids[i].begin(), ids[i].end(), flat.begin() + i * S);
  const Tensor src = from_vector(flat, {static_cast<int64_t>(ids.size()), static_cast<int64_t>(S)});
  decode::SearchOptions o{.bos_id = m.config.bos_id,
                          .eos_id = m.config.eos_id,
                          .max_length = a.max_length > 0 ? a.max_length : static_cast<int64_t>(S) + 50,
                          .beam_size = a.beam,
                          .length_penalty = a.length_penalty};
  const auto r = decode::translate(m, src, o, !a.no_cache);
  for (const auto& h : r.hypotheses) std::printf("%s\n", tv.decode(h).c_str());
  std::fflush(stdout);
}

void run_translate(const TranslateArgs& a) {
  if (train::model_type(a.model) == "seq2seq")
    return translate_seq2seq(a.model, a.sentences, a.beam, a.length_penalty, a.max_length, a.batch);
  auto model = train::load_model(a.model);
  const MtText sv = MtText::load(a.model, "src"), tv = MtText::load(a.model, "tgt");
  std::vector<std::string> pending;
  auto flush = [&] {
    if (!pending.empty()) translate_batch(*model, sv, tv, pending, a);
    pending.clear();
  };
  if (!a.sentences.empty()) {
    for (const auto& s : a.sentences) pending.push_back(s);
  } else {
    for (std::string line; std::getline(std::cin, line);) {
      pending.push_back(line);
      if (static_cast<int64_t>(pending.size()) >= a.batch) flush();
    }
  }
  flush();
}

}  // namespace

void add_translate_command(CLI::App& app) {
  auto args = std::make_shared<TranslateArgs>();
  auto* cmd =
      app.add_subcommand("translate", "translate sentences with a trained Transformer (args or stdin)");
  cmd->add_option("--model", args->model, "directory written by `attn train transformer`")->required();
  cmd->add_option("sentences", args->sentences, "sentences (default: stdin, one per line)");
  cmd->add_option("--beam", args->beam, "beam size (1 = greedy)")->capture_default_str();
  cmd->add_option("--length-penalty", args->length_penalty, "GNMT length penalty α")->capture_default_str();
  cmd->add_option("--max-length", args->max_length, "maximum output tokens (default: source length + 50)");
  cmd->add_option("--batch", args->batch, "sentences decoded together (stdin)")->capture_default_str();
  cmd->add_flag("--no-cache", args->no_cache, "recompute the decoder over the whole prefix at each step");
  cmd->callback([args] { run_translate(*args); });
}

}  // namespace attn::cli
