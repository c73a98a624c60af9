// bench_transformer — Transformer training and greedy-decoding throughput in attn, on the weights and batches
// that bench/transformer_vs_torch.py writes (the PyTorch side of the same comparison; run that script, not
// this binary, to get the ratios). One run, no repetition; it prints one JSON line:
//   train:  for each batch (src, tgt_in, tgt_out): Transformer::loss (label smoothing 0.1, [PAD] ignored)
//           → backward → Adam(0.9, 0.98, 1e-9, lr 1e-4) step → zero_grad; one untimed warm-up step first.
//           target tokens/s = non-[PAD] tgt_out tokens / wall time (and / (process CPU time / threads)).
//   decode: first, on the initial weights: decode::translate(beam 1, KV cache) of `decode.src`, eval mode,
//           with the end id = V (outside the vocabulary, so every sentence runs --max-length steps);
//           tokens/s = generated tokens / wall time; the tokens are printed for the script to compare.
//   bench_transformer FILE.safetensors --d-model 256 --heads 4 --layers 3 --ff 1024 --vocab 8000
//                     --max-length 40 --threads 1
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>
#include <string>

#include "attn/autograd/grad_mode.h"
#include "attn/core/error.h"
#include "attn/core/threads.h"
#include "attn/decode/transformer_decoder.h"
#include "attn/io/safetensors.h"
#include "attn/ops.h"
#include "attn/optim/optim.h"

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}
// Process CPU time (all threads): on a shared machine, rate = work / (cpu / threads) estimates the rate with
// the machine to oneself.
double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

struct Args {
  std::string file;
  attn::models::TransformerConfig config;
  int64_t max_length = 40;
  int threads = 1;
};

Args parse(int argc, char** argv) {
  ATTN_CHECK(argc >= 2,
             "usage: bench_transformer FILE.safetensors [--d-model C --heads H --layers N --ff F "
             "--vocab V --max-length M --threads T]");
  Args a;
  a.file = argv[1];
  auto& c = a.config;
  c.src_vocab_size = c.tgt_vocab_size = 8000, c.d_model = 256, c.nhead = 4, c.dim_feedforward = 1024;
  c.num_encoder_layers = c.num_decoder_layers = 3, c.dropout = 0, c.max_len = 256;
  c.pad_id = 0, c.bos_id = 2, c.eos_id = 3;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    const int64_t v = std::atoll(argv[i + 1]);
    if (k == "--d-model")
      c.d_model = v;
    else if (k == "--heads")
      c.nhead = v;
    else if (k == "--layers")
      c.num_encoder_layers = c.num_decoder_layers = v;
    else if (k == "--ff")
      c.dim_feedforward = v;
    else if (k == "--vocab")
      c.src_vocab_size = c.tgt_vocab_size = v;
    else if (k == "--max-length")
      a.max_length = v;
    else if (k == "--threads")
      a.threads = static_cast<int>(v);
    else
      attn::throw_error(attn::ErrorKind::Value, "bench_transformer: unknown option {}", k);
  }
  return a;
}

int64_t count_tokens(const attn::Tensor& tgt_out, int64_t pad) {
  int64_t n = 0;
  for (int64_t id : attn::to_vector<int64_t>(tgt_out)) n += id != pad;
  return n;
}

}  // namespace

int main(int argc, char** argv) try {
  const Args a = parse(argc, argv);
  attn::set_num_threads(a.threads);
  auto data = attn::io::load_safetensors(a.file);
  std::map<std::string, attn::Tensor> weights;
  for (const auto& [k, v] : data)
    if (k.rfind("w.", 0) == 0) weights[k.substr(2)] = v;
  attn::models::Transformer model(a.config);
  model.load_state_dict(attn::models::from_torch_state_dict(weights));
  std::vector<std::array<attn::Tensor, 3>> batches;
  for (int i = 0; data.count("train.src." + std::to_string(i)); ++i) {
    const std::string s = std::to_string(i);
    batches.push_back(
        {data.at("train.src." + s), data.at("train.tgt_in." + s), data.at("train.tgt_out." + s)});
  }
  ATTN_CHECK(!batches.empty(), "bench_transformer: {} has no train.src.0", a.file);

  // Greedy decoding first, on the initial weights (the same ones torch decodes with).
  model.eval();
  const attn::decode::SearchOptions so{.bos_id = a.config.bos_id,
                                       .eos_id = a.config.tgt_vocab_size,  // never produced
                                       .max_length = a.max_length,
                                       .beam_size = 1};
  const auto t1 = Clock::now();
  const double c1 = cpu_seconds();
  const auto r = attn::decode::translate(model, data.at("decode.src"), so, /*use_cache=*/true);
  const double decode_s = seconds_since(t1), decode_cpu_s = cpu_seconds() - c1;
  int64_t decode_tokens = 0;
  for (const auto& h : r.hypotheses) decode_tokens += static_cast<int64_t>(h.size());

  attn::optim::Adam opt(model.parameters(), {.lr = 1e-4, .betas = {0.9, 0.98}, .eps = 1e-9});
  model.train();
  auto step = [&](const std::array<attn::Tensor, 3>& b) {
    attn::Tensor loss = model.loss(b[0], b[1], b[2], 0.1);
    loss.backward();
    opt.step();
    opt.zero_grad();
    return loss.item<double>();
  };
  std::vector<double> losses{step(batches[0])};  // warm-up, untimed
  int64_t train_tokens = 0;
  const auto t0 = Clock::now();
  const double c0 = cpu_seconds();
  for (const auto& b : batches) {
    losses.push_back(step(b));
    train_tokens += count_tokens(b[2], a.config.pad_id);
  }
  const double train_s = seconds_since(t0), train_cpu_s = cpu_seconds() - c0;
  nlohmann::json out = {{"threads", a.threads},      {"train_tokens", train_tokens},
                        {"train_s", train_s},        {"train_cpu_s", train_cpu_s},
                        {"losses", losses},          {"decode_tokens", decode_tokens},
                        {"decode_s", decode_s},      {"decode_cpu_s", decode_cpu_s},
                        {"hypotheses", r.hypotheses}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "bench_transformer: %s\n", e.what());
  return 1;
}
