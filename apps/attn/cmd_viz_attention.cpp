// attn viz attention / attn viz positional-encoding — pictures of the Transformer.
//   attn viz attention --model runs/de-en "Ein Mann fährt Fahrrad." -o attention.html
//     translates the sentence (greedy), then draws every layer's and head's encoder self-attention,
//     decoder self-attention and cross-attention as heatmaps with the tokens on the axes, in one HTML page.
//   attn viz positional-encoding --d-model 128 --length 100 -o pe.svg — the sinusoids of §3.5.
#include <cstdio>
#include <fstream>

#include "attn/autograd/grad_mode.h"
#include "attn/core/error.h"
#include "attn/decode/transformer_decoder.h"
#include "attn/nn/positional_encoding.h"
#include "attn/ops/shape.h"
#include "attn/tensor/creation.h"
#include "attn/text/vocab.h"
#include "attn/train/trainer.h"
#include "attn/viz/heatmap.h"
#include "commands.h"
#include "mt_text.h"

namespace attn::cli {

namespace {

struct AttentionArgs {
  std::string model, sentence, output = "attention.html";
};

// One (Tq, Tk) heatmap per head of a (1, H, Tq, Tk) map.
void heads_html(std::ofstream& out, const std::string& title, const std::vector<Tensor>& maps,
                const std::vector<std::string>& rows, const std::vector<std::string>& cols) {
  out << "<h2>" << title << "</h2>\n";
  for (size_t l = 0; l < maps.size(); ++l) {
    out << "<h3>layer " << l << "</h3><div class=row>\n";
    const Tensor m = contiguous(maps[l]);  // (1, H, Tq, Tk)
    for (int64_t h = 0; h < m.size(1); ++h) {
      const auto v = to_vector<float>(select(select(m, 0, 0), 0, h));
      viz::HeatmapOptions o{.title = fmt::format("layer {} head {}", l, h),
                            .row_labels = rows,
                            .col_labels = cols,
                            .cell = 22,
                            .fixed_range = true,
                            .vmin = 0,
                            .vmax = 1};
      out << viz::heatmap(v.data(), m.size(2), m.size(3), o).str() << "\n";
    }
    out << "</div>\n";
  }
}

void run_viz_attention(const AttentionArgs& a) {
  if (train::model_type(a.model) == "seq2seq") return viz_seq2seq_attention(a.model, a.sentence, a.output);
  auto model = train::load_model(a.model);
  const MtText sv = MtText::load(a.model, "src"), tv = MtText::load(a.model, "tgt");
  auto ids = sv.encode(a.sentence, static_cast<size_t>(model->config.max_len));
  ATTN_CHECK(!ids.empty(), "viz attention: the sentence has no tokens");
  const Tensor src = from_vector(ids, {1, static_cast<int64_t>(ids.size())});
  const auto r = decode::translate(*model, src,
                                   {.bos_id = model->config.bos_id,
                                    .eos_id = model->config.eos_id,
                                    .max_length = static_cast<int64_t>(ids.size()) + 50,
                                    .beam_size = 1});
  std::vector<int64_t> tgt{model->config.bos_id};
  tgt.insert(tgt.end(), r.hypotheses[0].begin(), r.hypotheses[0].end());
  models::AttentionMaps maps;
  {
    NoGradGuard no_grad;
    model->forward(src, from_vector(tgt, {1, static_cast<int64_t>(tgt.size())}), &maps);
  }
  std::vector<std::string> src_tokens, tgt_tokens;
  for (int64_t id : ids) src_tokens.push_back(sv.token(id));
  for (int64_t id : tgt) tgt_tokens.push_back(tv.token(id));
  const std::vector<int64_t>& out_ids = r.hypotheses[0];
  std::ofstream out(a.output);
  ATTN_CHECK(out.good(), "viz attention: cannot write {}", a.output);
  out << "<!doctype html><meta charset=utf-8><title>attention</title><style>body{font-family:sans-serif}"
         ".row{display:flex;flex-wrap:wrap;gap:8px}</style>\n<h1>"
      << a.sentence << " → " << tv.decode(out_ids) << "</h1>\n";
  heads_html(out, "Encoder self-attention (rows: queries, columns: keys)", maps.encoder_self, src_tokens,
             src_tokens);
  heads_html(out, "Decoder self-attention (masked)", maps.decoder_self, tgt_tokens, tgt_tokens);
  heads_html(out, "Decoder cross-attention (target × source)", maps.decoder_cross, tgt_tokens, src_tokens);
  std::printf("wrote %s: %zu layers × %lld heads, source %zu tokens, output \"%s\"\n", a.output.c_str(),
              maps.encoder_self.size(), static_cast<long long>(model->config.nhead), ids.size(),
              tv.decode(out_ids).c_str());
}

struct PeArgs {
  int64_t d_model = 128, length = 100;
  std::string output = "positional_encoding.svg";
};

void run_viz_pe(const PeArgs& a) {
  const auto v = to_vector<float>(nn::sinusoid_table(a.length, a.d_model));  // (length, d_model)
  viz::HeatmapOptions o;
  o.title = fmt::format("sinusoids, d_model {}, {} positions", a.d_model, a.length);
  o.cell = 5, o.fixed_range = true, o.vmin = -1, o.vmax = 1;
  viz::heatmap(v.data(), a.length, a.d_model, o).save(a.output);
  std::printf("wrote %s: %lld positions × %lld dimensions, values in [-1, 1]\n", a.output.c_str(),
              static_cast<long long>(a.length), static_cast<long long>(a.d_model));
}

}  // namespace

void add_viz_attention_command(CLI::App& app) {
  auto args = std::make_shared<AttentionArgs>();
  auto* cmd =
      viz_group(app)->add_subcommand("attention", "attention heatmaps of a trained Transformer (HTML)");
  cmd->add_option("--model", args->model, "directory written by `attn train transformer`")->required();
  cmd->add_option("sentence", args->sentence, "source sentence")->required();
  cmd->add_option("-o,--output", args->output, "output HTML file")->capture_default_str();
  cmd->callback([args] { run_viz_attention(*args); });

  auto pe = std::make_shared<PeArgs>();
  auto* p =
      viz_group(app)->add_subcommand("positional-encoding", "heatmap of the sinusoidal positional encoding");
  p->add_option("--d-model", pe->d_model, "dimensions")->capture_default_str();
  p->add_option("--length", pe->length, "positions")->capture_default_str();
  p->add_option("-o,--output", pe->output, "output SVG file")->capture_default_str();
  p->callback([pe] { run_viz_pe(*pe); });
}

}  // namespace attn::cli
