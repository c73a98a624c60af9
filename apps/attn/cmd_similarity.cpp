// attn similarity --model DIR "a" "b"   — cosine similarity of two texts' sentence embeddings.
#include <cstdio>

#include "attn/tensor/creation.h"
#include "commands.h"
#include "sentence_options.h"

namespace attn::cli {

void add_similarity_command(CLI::App& app) {
  struct Args {
    EncoderArgs enc;
    std::vector<std::string> texts;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("similarity", "cosine similarity of two texts (sentence embeddings)");
  add_encoder_options(cmd, args->enc);
  cmd->add_option("TEXTS", args->texts, "the two texts")->required()->expected(2);
  cmd->callback([args] {
    const auto enc = load_encoder(args->enc);
    const auto v = to_vector<float>(encode_texts(enc, args->texts).embeddings);  // (2, C)
    const int64_t C = enc.dimension();
    std::printf("%.4f\n", models::cosine_similarity(v.data(), v.data() + C, C));
  });
}

}  // namespace attn::cli
