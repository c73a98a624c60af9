// attn embed --model DIR [--json] [--out FILE.npy|FILE.json] "text" …   — sentence embeddings; without texts,
// one text per line of stdin, embedded 256 lines at a time. Also the shared encoder options and loading
// (sentence_options.h) for embed, similarity and search.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "attn/tensor/creation.h"
#include "commands.h"
#include "sentence_options.h"

namespace attn::cli {

void add_encoder_options(CLI::App* cmd, EncoderArgs& a, bool chunk_by_default) {
  cmd->add_option("--model", a.model,
                  "BERT checkpoint directory (config.json, model.safetensors, tokenizer.json)")
      ->capture_default_str();
  cmd->add_option("--pooling", a.pooling,
                  "mean | cls | max (default: the model's sentence-transformers config)");
  cmd->add_flag("--normalize", a.normalize, "L2-normalise the embeddings");
  cmd->add_flag("--no-normalize", a.no_normalize,
                "do not L2-normalise (default: as the model's config says)");
  cmd->add_option("--max-length", a.max_length,
                  "tokens the model reads (default: the model's max_seq_length)");
  a.chunk = chunk_by_default;
  if (chunk_by_default)
    cmd->add_flag(
        "--no-chunk", [&a](int64_t) { a.chunk = false; }, "truncate long texts (with a warning)");
  else
    cmd->add_flag("--chunk", a.chunk, "embed over-long texts as overlapping windows and average them");
  cmd->add_option("--overlap", a.overlap, "tokens shared by consecutive --chunk windows")
      ->capture_default_str();
}

models::SentenceEncoder load_encoder(const EncoderArgs& a) {
  models::SentenceEncoderOptions o;
  if (!a.pooling.empty()) o.pooling = models::pooling_from_name(a.pooling);
  ATTN_CHECK(!(a.normalize && a.no_normalize), "--normalize and --no-normalize exclude each other");
  if (a.normalize || a.no_normalize) o.normalize = a.normalize;
  if (a.max_length > 0) o.max_seq_length = a.max_length;
  o.chunk = a.chunk;
  o.chunk_overlap = a.overlap;
  return models::SentenceEncoder::from_pretrained(a.model, o);
}

models::EncodeResult encode_texts(const models::SentenceEncoder& enc, const std::vector<std::string>& texts,
                                  size_t first_index) {
  auto r = enc.encode(texts);
  for (const auto& t : r.truncated)
    std::fprintf(
        stderr,
        "attn: warning: text %zu has %lld tokens; the model reads %lld, so the last %lld were ignored "
        "(--chunk embeds all of it)\n",
        first_index + t.index + 1, static_cast<long long>(t.num_tokens), static_cast<long long>(t.kept),
        static_cast<long long>(t.num_tokens - t.kept));
  return r;
}

namespace {

// NumPy .npy v1.0: magic, header length, a Python dict literal padded to 64 bytes, then little-endian f4.
void write_npy(const std::string& path, const std::vector<float>& data, int64_t rows, int64_t cols) {
  std::string header =
      fmt::format("{{'descr': '<f4', 'fortran_order': False, 'shape': ({}, {}), }}", rows, cols);
  header.append(64 - (10 + header.size() + 1) % 64, ' ').push_back('\n');
  std::ofstream out(path, std::ios::binary);
  ATTN_CHECK_KIND(Io, out.good(), "embed: cannot write {}", path);
  const uint16_t len = static_cast<uint16_t>(header.size());
  out.write("\x93NUMPY\x01\x00", 8);
  out.put(static_cast<char>(len & 0xff)).put(static_cast<char>(len >> 8));
  out << header;
  out.write(reinterpret_cast<const char*>(data.data()),
            static_cast<std::streamsize>(data.size() * sizeof(float)));
  ATTN_CHECK_KIND(Io, out.good(), "embed: error writing {}", path);
}

nlohmann::json to_json(const std::vector<std::string>& texts, const std::vector<float>& data, int64_t C) {
  auto j = nlohmann::json::array();
  for (size_t i = 0; i < texts.size(); ++i)
    j.push_back({{"text", texts[i]},
                 {"embedding", std::vector<float>(data.begin() + static_cast<int64_t>(i) * C,
                                                  data.begin() + static_cast<int64_t>(i + 1) * C)}});
  return j;
}

void print_rows(const std::vector<float>& data, size_t first_row, int64_t C) {
  for (size_t i = first_row; i * C < data.size(); ++i) {
    std::string line;
    for (int64_t c = 0; c < C; ++c) line += fmt::format("{}{:.6g}", c ? " " : "", data[i * C + c]);
    std::puts(line.c_str());
  }
}

}  // namespace

void add_embed_command(CLI::App& app) {
  struct Args {
    EncoderArgs enc;
    std::vector<std::string> texts;
    std::string out;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd =
      app.add_subcommand("embed", "sentence embeddings from a BERT checkpoint (stdin lines if no TEXT)");
  add_encoder_options(cmd, args->enc);
  cmd->add_option("TEXT", args->texts, "texts to embed");
  cmd->add_flag("--json", args->json, "print [{\"text\", \"embedding\"}, …] instead of one vector per line");
  cmd->add_option("--out", args->out, "write FILE.npy ((N, C) float32) or FILE.json instead of printing");
  cmd->callback([args] {
    const auto enc = load_encoder(args->enc);
    const int64_t C = enc.dimension();
    std::vector<std::string> texts = args->texts;
    std::vector<float> all;
    const bool stream = !args->json && args->out.empty();
    auto run = [&](const std::vector<std::string>& batch, size_t first) {
      const auto v = to_vector<float>(encode_texts(enc, batch, first).embeddings);
      all.insert(all.end(), v.begin(), v.end());
      if (stream) print_rows(all, first, C);
    };
    if (!texts.empty()) {
      run(texts, 0);
    } else {  // stdin, 256 lines at a time so that output streams
      std::vector<std::string> batch;
      for (std::string line; std::getline(std::cin, line);) {
        batch.push_back(line);
        texts.push_back(line);
        if (batch.size() == 256) run(std::exchange(batch, {}), texts.size() - 256);
      }
      if (!batch.empty()) run(batch, texts.size() - batch.size());
    }
    const auto n = static_cast<int64_t>(texts.size());
    if (args->out.size() > 4 && args->out.substr(args->out.size() - 4) == ".npy") {
      write_npy(args->out, all, n, C);
      std::fprintf(stderr, "attn: wrote %s: (%lld, %lld) float32\n", args->out.c_str(),
                   static_cast<long long>(n), static_cast<long long>(C));
    } else if (!args->out.empty()) {
      std::ofstream(args->out)
          << to_json(texts, all, C).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      std::fprintf(stderr, "attn: wrote %s: %lld embeddings of %lld\n", args->out.c_str(),
                   static_cast<long long>(n), static_cast<long long>(C));
    } else if (args->json) {
      std::puts(
          to_json(texts, all, C).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    }
  });
}

}  // namespace attn::cli
