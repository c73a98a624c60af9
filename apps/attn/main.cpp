// apps/attn/main.cpp — entry point of the `attn` CLI. The only place that catches attn::Error (STYLE P13):
// it prints "attn: error: <message>" to stderr and exits with status 1.
#include <cstdio>
#include <exception>

#include "attn/core/error.h"
#include "attn/core/version.h"
#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"attn — tokenizers, word vectors, seq2seq, the Transformer and BERT in C++"};
  app.set_version_flag("--version", std::string("attn ") + attn::kVersion);
  app.require_subcommand(0, 1);

  attn::cli::add_selftest_command(app);
  attn::cli::add_tokenize_command(app);
  attn::cli::add_vocab_command(app);
  attn::cli::add_word2vec_command(app);
  attn::cli::add_glove_command(app);
  attn::cli::add_similar_command(app);
  attn::cli::add_analogy_command(app);
  attn::cli::add_eval_words_command(app);
  attn::cli::add_viz_embeddings_command(app);
  attn::cli::add_train_transformer_command(app);
  attn::cli::add_train_seq2seq_command(app);
  attn::cli::add_translate_command(app);
  attn::cli::add_viz_attention_command(app);
  attn::cli::add_embed_command(app);
  attn::cli::add_similarity_command(app);
  attn::cli::add_search_command(app);
  attn::cli::add_finetune_classify_command(app);
  attn::cli::add_classify_command(app);
  attn::cli::add_pretrain_command(app);
  attn::cli::add_fill_mask_command(app);

  try {
    app.parse(argc, argv);
    if (app.get_subcommands().empty()) {
      std::fputs(app.help().c_str(), stdout);
      return 0;
    }
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const attn::Error& e) {
    std::fprintf(stderr, "attn: error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "attn: internal error: %s\n", e.what());
    return 2;
  }
  return 0;
}
