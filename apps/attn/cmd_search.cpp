// attn search --model DIR --docs FILE "query" [-k N]   — ranks the lines of FILE by the cosine similarity of
// their sentence embeddings to the query's: semantic search, a first taste of retrieval. Every non-empty
// line is a document; over-long lines are embedded whole (overlapping windows, averaged) unless --no-chunk.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <numeric>

#include "attn/tensor/creation.h"
#include "commands.h"
#include "sentence_options.h"

namespace attn::cli {

namespace {

std::vector<std::string> read_docs(const std::string& path) {
  std::ifstream in(path);
  ATTN_CHECK_KIND(Io, in.good(), "search: cannot open --docs {}", path);
  std::vector<std::string> docs;
  for (std::string line; std::getline(in, line);)
    if (line.find_first_not_of(" \t\r") != std::string::npos) docs.push_back(line);
  ATTN_CHECK(!docs.empty(), "search: {} has no non-empty lines", path);
  return docs;
}

// At most `width` code points of s (0: all), with "…" when cut.
std::string shorten(const std::string& s, size_t width) {
  if (width == 0) return s;
  size_t cps = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && cps++ == width) return s.substr(0, i) + "…";
  }
  return s;
}

}  // namespace

void add_search_command(CLI::App& app) {
  struct Args {
    EncoderArgs enc;
    std::string docs, query;
    int k = 5;
    size_t width = 160;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("search", "rank the lines of a file by semantic similarity to a query");
  add_encoder_options(cmd, args->enc, /*chunk_by_default=*/true);
  cmd->add_option("--docs", args->docs, "text file, one document per line")->required();
  cmd->add_option("QUERY", args->query, "what to look for")->required();
  cmd->add_option("-k", args->k, "number of results")->capture_default_str();
  cmd->add_option("--width", args->width, "characters of each line to print (0: all)")->capture_default_str();
  cmd->callback([args] {
    const auto enc = load_encoder(args->enc);
    const auto docs = read_docs(args->docs);
    const auto t0 = std::chrono::steady_clock::now();
    const auto d = to_vector<float>(encode_texts(enc, docs).embeddings);  // (N, C)
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto q = to_vector<float>(encode_texts(enc, {args->query}).embeddings);  // (1, C)
    const int64_t C = enc.dimension();
    std::vector<double> score(docs.size());
    for (size_t i = 0; i < docs.size(); ++i)
      score[i] = models::cosine_similarity(q.data(), d.data() + static_cast<int64_t>(i) * C, C);
    std::vector<size_t> order(docs.size());
    std::iota(order.begin(), order.end(), 0);
    const size_t k = std::min(docs.size(), static_cast<size_t>(std::max(args->k, 0)));
    std::partial_sort(
        order.begin(), order.begin() + static_cast<int64_t>(k), order.end(),
        [&](size_t a, size_t b) { return score[a] > score[b] || (score[a] == score[b] && a < b); });
    std::fprintf(stderr, "attn: embedded %zu lines of %s in %.1f s (%.0f lines/s)\n", docs.size(),
                 args->docs.c_str(), secs, static_cast<double>(docs.size()) / secs);
    std::printf("query: %s\n", args->query.c_str());
    for (size_t r = 0; r < k; ++r)
      std::printf("%2zu  %.4f  line %zu  %s\n", r + 1, score[order[r]], order[r] + 1,
                  shorten(docs[order[r]], args->width).c_str());
  });
}

}  // namespace attn::cli
