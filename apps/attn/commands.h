// apps/attn/commands.h — every subcommand of the `attn` CLI registers itself through one add_<name>_command.
// Each lives in its own cmd_<name>.cpp; main.cpp calls them in the order they appear in `attn --help`.
// A command's callback throws attn::Error on bad input; main() turns it into "attn: error: …" and exit 1.
#pragma once

#include <CLI/CLI.hpp>

namespace attn::cli {

void add_selftest_command(CLI::App& app);
void add_tokenize_command(CLI::App& app);
void add_vocab_command(CLI::App& app);
void add_word2vec_command(CLI::App& app);
void add_glove_command(CLI::App& app);
void add_similar_command(CLI::App& app);
void add_analogy_command(CLI::App& app);
void add_eval_words_command(CLI::App& app);
// `attn viz <picture>`: viz_group returns the "viz" subcommand (created on first use); each picture adds
// itself to it with add_viz_<picture>_command(app).
CLI::App* viz_group(CLI::App& app);
void add_viz_embeddings_command(CLI::App& app);
// The Transformer (cmd_train.cpp, cmd_translate.cpp, cmd_viz_attention.cpp): `attn train transformer`,
// `attn translate`, `attn viz attention`, `attn viz positional-encoding`. train_group works as viz_group.
CLI::App* train_group(CLI::App& app);
void add_train_transformer_command(CLI::App& app);
void add_translate_command(CLI::App& app);
void add_viz_attention_command(CLI::App& app);
// The RNN seq2seq (cmd_seq2seq.cpp): `attn train seq2seq`; translate and viz attention call the two
// functions below when the model directory's config.json says "model_type": "seq2seq".
void add_train_seq2seq_command(CLI::App& app);
void translate_seq2seq(const std::string& dir, const std::vector<std::string>& sentences, int64_t beam,
                       double length_penalty, int64_t max_length, int64_t batch);
void viz_seq2seq_attention(const std::string& dir, const std::string& sentence, const std::string& output);
// Sentence embeddings from a BERT checkpoint (cmd_embed.cpp, cmd_similarity.cpp, cmd_search.cpp).
void add_embed_command(CLI::App& app);
void add_similarity_command(CLI::App& app);
void add_search_command(CLI::App& app);
// Fine-tuning BERT for classification (cmd_finetune.cpp): `attn finetune classify`, `attn classify`.
void add_finetune_classify_command(CLI::App& app);
void add_classify_command(CLI::App& app);
// BERT pretraining and masked-token prediction (cmd_pretrain.cpp, cmd_fill_mask.cpp).
void add_pretrain_command(CLI::App& app);
void add_fill_mask_command(CLI::App& app);

}  // namespace attn::cli
