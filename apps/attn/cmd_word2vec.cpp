// attn word2vec skipgram|cbow -input FILE -output PREFIX [options] — trains Word2Vec and writes
// PREFIX.vec (word2vec text) and PREFIX.bin (word2vec binary). Options are named as in fastText/word2vec.c.
#include <cstdio>

#include "attn/embed/formats.h"
#include "attn/embed/word2vec.h"
#include "commands.h"
#include "fasttext_flags.h"

namespace attn::cli {

namespace {

constexpr const char* kUsage = R"(usage: attn word2vec skipgram|cbow -input FILE -output PREFIX [options]

Trains word vectors on a whitespace-tokenised UTF-8 text file (one sentence per line) and writes
PREFIX.vec (word2vec text format) and PREFIX.bin (word2vec binary format).

  -input FILE      training corpus (streamed, never loaded whole)
  -output PREFIX   output prefix
  -dim N           vector size [100]
  -window N        max context words either side (randomly reduced per word, as word2vec.c) [5]
  -neg N           negative samples per target; 0 = none [5]
  -hs 0|1          hierarchical softmax [0]
  -sample T        frequent-word subsampling threshold; 0 = off [1e-3]
  -min-count N     drop words seen fewer than N times [5]
  -epoch N         passes over the corpus [5]
  -alpha A         initial learning rate, decayed linearly to 0 [0.025 skipgram, 0.05 cbow]
  -threads N       Hogwild threads [ATTN_NUM_THREADS or all cores]
  -seed N          random seed; with -threads 1 the result is bit-for-bit repeatable [1]
  -progress 0|1    progress line on stderr [1]
)";

void run_word2vec(const std::vector<std::string>& args) {
  if (wants_help(args) || (args[0] != "skipgram" && args[0] != "cbow")) {
    std::fputs(kUsage, wants_help(args) ? stdout : stderr);
    ATTN_CHECK(wants_help(args), "word2vec: the first argument must be skipgram or cbow, got '{}'", args[0]);
    return;
  }
  embed::Word2VecOptions o;
  o.model = args[0] == "skipgram" ? embed::Word2VecModel::SkipGram : embed::Word2VecModel::Cbow;
  FlagArgs f("word2vec", std::vector<std::string>(args.begin() + 1, args.end()));
  const std::string input = f.required("input");
  const std::string output = f.required("output");
  o.dim = f.num<int64_t>("dim", o.dim);
  o.window = f.num<int>("window", o.window);
  o.negative = f.num<int>("neg", o.negative);
  o.hs = f.num<int>("hs", 0) != 0;
  o.sample = f.num<double>("sample", o.sample);
  o.min_count = f.num<int64_t>("min-count", f.num<int64_t>("minCount", o.min_count));
  o.epochs = f.num<int>("epoch", o.epochs);
  o.alpha = f.num<float>("alpha", f.num<float>("lr", o.alpha));
  o.threads = f.num<int>("threads", f.num<int>("thread", o.threads));
  o.seed = f.num<uint64_t>("seed", o.seed);
  o.progress = f.num<int>("progress", 1) != 0;
  f.check_unused();
  const auto result = embed::train_word2vec(input, o);
  embed::save_word2vec_format(result.vectors, output + ".vec", embed::VectorFormat::Text);
  embed::save_word2vec_format(result.vectors, output + ".bin", embed::VectorFormat::Binary);
  std::printf("wrote %s.vec and %s.bin: %lld words x %lld dims\n", output.c_str(), output.c_str(),
              static_cast<long long>(result.vectors.size()), static_cast<long long>(result.vectors.dim()));
}

}  // namespace

void add_word2vec_command(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("word2vec", "train Word2Vec (skipgram|cbow) word vectors; --help for options");
  cmd->prefix_command();
  cmd->allow_extras();
  cmd->set_help_flag();
  cmd->callback([cmd] { run_word2vec(cmd->remaining()); });
}

}  // namespace attn::cli
