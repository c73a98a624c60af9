// attn glove -input FILE -output PREFIX [options] — trains GloVe and writes PREFIX.vec and PREFIX.bin.
#include <cstdio>

#include "attn/embed/formats.h"
#include "attn/embed/glove.h"
#include "commands.h"
#include "fasttext_flags.h"

namespace attn::cli {

namespace {

constexpr const char* kUsage = R"(usage: attn glove -input FILE -output PREFIX [options]

Trains GloVe vectors: counts word-word co-occurrences (1/distance weighted, symmetric window; sorted chunks
are spilled to disk and merged when they exceed -memory), shuffles them, and fits
f(X_ij) (w_i . w~_j + b_i + b~_j - log X_ij)^2 with AdaGrad. Writes PREFIX.vec and PREFIX.bin.

  -input FILE      training corpus (one sentence per line; windows do not cross lines)
  -output PREFIX   output prefix
  -dim N           vector size [100]
  -window N        context words either side [15]
  -min-count N     drop words seen fewer than N times [5]
  -epoch N         AdaGrad passes over the co-occurrences [15]
  -x-max X         f(x) = min(1, (x / x_max)^alpha) [100]
  -alpha A         exponent of f [0.75]
  -eta E           AdaGrad learning rate [0.05]
  -memory MB       memory budget for counting and shuffling [1024]
  -model 1|2       1: write W; 2: write W + W~ [2]
  -threads N       Hogwild threads [ATTN_NUM_THREADS or all cores]
  -seed N          random seed [1]
  -temp-dir DIR    where spill files go (removed afterwards) [.]
  -progress 0|1    progress line on stderr [1]
)";

void run_glove(const std::vector<std::string>& args) {
  if (wants_help(args)) {
    std::fputs(kUsage, stdout);
    return;
  }
  embed::GloveOptions o;
  FlagArgs f("glove", args);
  const std::string input = f.required("input");
  const std::string output = f.required("output");
  o.dim = f.num<int64_t>("dim", o.dim);
  o.window = f.num<int>("window", o.window);
  o.min_count = f.num<int64_t>("min-count", o.min_count);
  o.epochs = f.num<int>("epoch", o.epochs);
  o.x_max = f.num<double>("x-max", o.x_max);
  o.alpha = f.num<double>("alpha", o.alpha);
  o.eta = f.num<double>("eta", o.eta);
  o.memory_mb = f.num<int64_t>("memory", o.memory_mb);
  const int model = f.num<int>("model", 2);
  ATTN_CHECK(model == 1 || model == 2, "glove: -model must be 1 (W) or 2 (W + W~), got {}", model);
  o.sum_context = model == 2;
  o.threads = f.num<int>("threads", o.threads);
  o.seed = f.num<uint64_t>("seed", o.seed);
  o.temp_dir = f.str("temp-dir", o.temp_dir);
  o.progress = f.num<int>("progress", 1) != 0;
  f.check_unused();
  const auto result = embed::train_glove(input, o);
  embed::save_word2vec_format(result.vectors, output + ".vec", embed::VectorFormat::Text);
  embed::save_word2vec_format(result.vectors, output + ".bin", embed::VectorFormat::Binary);
  std::printf("wrote %s.vec and %s.bin: %lld words x %lld dims\n", output.c_str(), output.c_str(),
              static_cast<long long>(result.vectors.size()), static_cast<long long>(result.vectors.dim()));
}

}  // namespace

void add_glove_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("glove", "train GloVe word vectors; --help for options");
  cmd->prefix_command();
  cmd->allow_extras();
  cmd->set_help_flag();
  cmd->callback([cmd] { run_glove(cmd->remaining()); });
}

}  // namespace attn::cli
