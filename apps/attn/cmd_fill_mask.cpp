// attn fill-mask --model DIR [--top-k 5] "text with [MASK]" …   (or one text per stdin line)
// For each [MASK] of each text: the top-k tokens of BertForMaskedLM's softmax at that position, as HF's
// fill-mask pipeline (which also scores every [MASK] of a text from one forward pass).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <numeric>
#include <string>
#include <vector>

#include "attn/autograd/grad_mode.h"
#include "attn/core/error.h"
#include "attn/core/threads.h"
#include "attn/models/bert_heads.h"
#include "attn/ops/shape.h"
#include "attn/ops/softmax.h"
#include "attn/tensor/creation.h"
#include "attn/text/tokenizer.h"
#include "commands.h"

namespace attn::cli {
namespace {

namespace fs = std::filesystem;

struct FillMaskArgs {
  std::string model;
  std::vector<std::string> texts;
  int64_t top_k = 5;
  int threads = 0;
};

text::Tokenizer load_tokenizer(const std::string& dir) {
  if (fs::exists(fs::path(dir) / "tokenizer.json"))
    return text::Tokenizer::from_file(dir + "/tokenizer.json");
  ATTN_CHECK_KIND(Io, fs::exists(fs::path(dir) / "vocab.txt"),
                  "fill-mask: {} has neither tokenizer.json nor vocab.txt", dir);
  return text::Tokenizer::bert_from_vocab(dir + "/vocab.txt");
}

// Prints the top-k predictions for every [MASK] of one text.
void fill_one(models::BertForMaskedLM& model, const text::Tokenizer& tok, int32_t mask_id,
              const std::string& text, int64_t top_k) {
  const text::Encoding e = tok.encode(text);
  const auto T = static_cast<int64_t>(e.ids.size());
  ATTN_CHECK(T <= model.config.max_position_embeddings,
             "fill-mask: the text has {} tokens, more than the model's {} positions", T,
             model.config.max_position_embeddings);
  Tensor ids = empty({1, T}, DType::I64), types = empty({1, T}, DType::I64);
  for (int64_t i = 0; i < T; ++i) {
    ids.data<int64_t>()[i] = e.ids[static_cast<size_t>(i)];
    types.data<int64_t>()[i] = e.type_ids[static_cast<size_t>(i)];
  }
  std::vector<int64_t> masks;
  for (int64_t i = 0; i < T; ++i)
    if (e.ids[static_cast<size_t>(i)] == mask_id) masks.push_back(i);
  ATTN_CHECK(!masks.empty(), "fill-mask: no [MASK] token in \"{}\"", text);
  const Tensor probs = attn::contiguous(softmax(model.forward(ids, Tensor(), types), -1));  // (1, T, V)
  const int64_t V = probs.size(2);
  std::printf("%s\n", text.c_str());
  for (size_t m = 0; m < masks.size(); ++m) {
    const float* p = probs.data<float>() + masks[m] * V;
    std::vector<int32_t> order(static_cast<size_t>(V));
    std::iota(order.begin(), order.end(), 0);
    const auto k = static_cast<size_t>(std::min(top_k, V));
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                      [&](int32_t x, int32_t y) { return p[x] > p[y] || (p[x] == p[y] && x < y); });
    for (size_t r = 0; r < k; ++r)
      std::printf("  %s%zu  %-16s %.6f\n", masks.size() > 1 ? fmt::format("[MASK {}] ", m + 1).c_str() : "",
                  r + 1, tok.id_to_token(order[r]).value_or("?").c_str(), static_cast<double>(p[order[r]]));
  }
}

void run_fill_mask(const FillMaskArgs& a) {
  if (a.threads > 0) set_num_threads(a.threads);
  ATTN_CHECK(a.top_k > 0, "fill-mask: --top-k must be positive, got {}", a.top_k);
  auto model =
      models::BertForMaskedLM::from_pretrained(a.model);  // names the directory when it has no MLM head
  const text::Tokenizer tok = load_tokenizer(a.model);
  const auto mask_id = tok.token_to_id("[MASK]");
  ATTN_CHECK(mask_id.has_value(), "fill-mask: the tokenizer of {} has no [MASK] token", a.model);
  NoGradGuard no_grad;
  std::vector<std::string> texts = a.texts;
  if (texts.empty())
    for (std::string line; std::getline(std::cin, line);)
      if (!line.empty()) texts.push_back(line);
  for (const std::string& t : texts) fill_one(*model, tok, *mask_id, t, a.top_k);
}

}  // namespace

void add_fill_mask_command(CLI::App& app) {
  auto args = std::make_shared<FillMaskArgs>();
  auto* cmd =
      app.add_subcommand("fill-mask", "predict the [MASK] tokens of texts with a BERT masked-LM head");
  cmd->add_option("--model", args->model,
                  "HF BERT directory with cls.predictions.* (e.g. attn pretrain's OUT/model)")
      ->required();
  cmd->add_option("--top-k", args->top_k, "predictions per [MASK]")->capture_default_str();
  cmd->add_option("--threads", args->threads, "threads (default: ATTN_NUM_THREADS or all cores)");
  cmd->add_option("TEXTS", args->texts, "texts with [MASK] (default: one per stdin line)");
  cmd->callback([args] { run_fill_mask(*args); });
}

}  // namespace attn::cli
