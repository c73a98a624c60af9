// apps/attn/sentence_options.h — the options `attn embed`, `attn similarity` and `attn search` share: which
// checkpoint, pooling, normalisation, maximum length and chunking; loading the SentenceEncoder; and the
// warning printed for every text longer than the model reads (never cut silently).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "attn/models/sentence_encoder.h"

namespace attn::cli {

struct EncoderArgs {
  std::string model = "models/all-MiniLM-L6-v2";
  std::string pooling;  // "" = the checkpoint's sentence-transformers config
  bool no_normalize = false, normalize = false;
  int64_t max_length = 0;  // 0 = the checkpoint's max_seq_length
  bool chunk = false;
  int64_t overlap = 32;
};

void add_encoder_options(CLI::App* cmd, EncoderArgs& a, bool chunk_by_default = false);
models::SentenceEncoder load_encoder(const EncoderArgs& a);
// encoder.encode(texts), printing "attn: warning: …" to stderr for each truncated text; `first_index` is the
// number of texts before these (for messages about stdin line numbers).
models::EncodeResult encode_texts(const models::SentenceEncoder& enc, const std::vector<std::string>& texts,
                                  size_t first_index = 0);

}  // namespace attn::cli
