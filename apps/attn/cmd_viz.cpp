// attn viz … — pictures as SVG files. `viz` is a group: each picture is a subcommand registered through
// viz_group(app), so other areas add theirs (`attn viz attention`, `attn viz loss`) without touching this
// file.
//   attn viz embeddings VECTORS WORD… [-n N] [-o FILE.svg] — 2-D PCA of the words (and N neighbours each).
#include <cstdio>

#include "attn/core/error.h"
#include "attn/embed/formats.h"
#include "attn/viz/pca.h"
#include "attn/viz/scatter_plot.h"
#include "commands.h"

namespace attn::cli {

CLI::App* viz_group(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands([](const CLI::App* a) { return a->get_name() == "viz"; }))
    return sub;
  auto* viz = app.add_subcommand("viz", "draw pictures as SVG (embeddings, …)");
  viz->require_subcommand(1);
  return viz;
}

namespace {

struct EmbeddingsArgs {
  std::string vectors;
  std::vector<std::string> words;
  int neighbors = 0;
  std::string output = "embeddings.svg";
  std::string title;
};

void run_viz_embeddings(const EmbeddingsArgs& a) {
  const auto kv = embed::load_word2vec_format(a.vectors);
  std::vector<int32_t> ids;
  std::vector<int> group;
  std::vector<bool> query;
  auto add = [&](int32_t id, int g, bool q) {
    for (int32_t seen : ids)
      if (seen == id) return;
    ids.push_back(id), group.push_back(g), query.push_back(q);
  };
  for (size_t g = 0; g < a.words.size(); ++g) add(kv.id_of(a.words[g]), static_cast<int>(g), true);
  for (size_t g = 0; g < a.words.size(); ++g)
    for (const auto& n : kv.most_similar(a.words[g], a.neighbors)) add(n.id, static_cast<int>(g), false);
  ATTN_CHECK(ids.size() >= 2, "viz embeddings: need at least 2 words to project (give more words or -n)");
  std::vector<float> x;
  for (int32_t id : ids) x.insert(x.end(), kv.vector(id), kv.vector(id) + kv.dim());
  const auto p = viz::pca(x.data(), static_cast<int64_t>(ids.size()), kv.dim(), 2);
  std::vector<viz::ScatterPoint> pts;
  for (size_t i = 0; i < ids.size(); ++i)
    pts.push_back({p.projection[2 * i], p.projection[2 * i + 1], kv.word(ids[i]), group[i], query[i]});
  viz::ScatterOptions o;
  o.title = a.title.empty() ? "PCA of " + a.vectors : a.title;
  o.x_label = fmt::format("PC1 (variance {:.3g})", p.explained_variance[0]);
  o.y_label = fmt::format("PC2 (variance {:.3g})", p.explained_variance[1]);
  if (a.neighbors > 0) o.group_names = a.words;
  viz::scatter_plot(pts, o).save(a.output);
  std::printf("wrote %s: %zu words\n", a.output.c_str(), ids.size());
}

}  // namespace

void add_viz_embeddings_command(CLI::App& app) {
  auto args = std::make_shared<EmbeddingsArgs>();
  auto* cmd =
      viz_group(app)->add_subcommand("embeddings", "SVG scatter of a 2-D PCA projection of word vectors");
  cmd->add_option("VECTORS", args->vectors, "word2vec .bin or .vec/.txt file")->required();
  cmd->add_option("WORDS", args->words, "words to draw")->required();
  cmd->add_option("-n,--neighbors", args->neighbors, "also draw each word's N nearest neighbours")
      ->capture_default_str();
  cmd->add_option("-o,--output", args->output, "SVG file to write")->capture_default_str();
  cmd->add_option("--title", args->title, "picture title");
  cmd->callback([args] { run_viz_embeddings(*args); });
}

}  // namespace attn::cli
