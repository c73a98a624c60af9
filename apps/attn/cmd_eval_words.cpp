// attn eval-words VECTORS --similarity FILE... --analogy FILE... — intrinsic evaluation of word vectors:
// Spearman's rho on word-similarity sets (with OOV counts) and analogy accuracy (3CosAdd and 3CosMul over the
// 30,000 most frequent words, as word2vec's compute-accuracy), per section and in total.
#include <cstdio>

#include "attn/core/error.h"
#include "attn/embed/evaluate.h"
#include "attn/embed/formats.h"
#include "commands.h"

namespace attn::cli {

namespace {

void print_analogy(const embed::AnalogyResult& add, const embed::AnalogyResult& mul, bool sections) {
  std::printf("%-32s %8s %8s %9s %9s\n", "analogy section", "seen", "total", "3CosAdd", "3CosMul");
  auto row = [](const embed::AnalogySection& a, const embed::AnalogySection& m) {
    std::printf("%-32s %8lld %8lld %8.2f%% %8.2f%%\n", a.name.c_str(), static_cast<long long>(a.seen),
                static_cast<long long>(a.questions), 100 * a.accuracy(), 100 * m.accuracy());
  };
  if (sections)
    for (size_t i = 0; i < add.sections.size(); ++i) row(add.sections[i], mul.sections[i]);
  row(add.semantic, mul.semantic);
  row(add.syntactic, mul.syntactic);
  row(add.total, mul.total);
}

}  // namespace

void add_eval_words_command(CLI::App& app) {
  struct Args {
    std::string vectors;
    std::vector<std::string> similarity, analogy;
    int64_t restrict_vocab = 30000;
    bool no_sections = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("eval-words", "Spearman rho on word-similarity sets, analogy accuracy");
  cmd->add_option("VECTORS", args->vectors, "word2vec .bin or .vec/.txt file")->required();
  cmd->add_option("--similarity", args->similarity, "word-pair files: word1 word2 score (WS-353, SimLex…)");
  cmd->add_option("--analogy", args->analogy, "analogy files: ': section' then 'a b c d' lines");
  cmd->add_option("--restrict", args->restrict_vocab, "analogies: use only the N most frequent words")
      ->capture_default_str();
  cmd->add_flag("--no-sections", args->no_sections, "analogies: print only semantic/syntactic/total");
  cmd->callback([args] {
    ATTN_CHECK(!args->similarity.empty() || !args->analogy.empty(),
               "eval-words: give at least one --similarity or --analogy file");
    const auto kv = embed::load_word2vec_format(args->vectors);
    std::printf("%s: %lld words x %lld dims\n", args->vectors.c_str(), static_cast<long long>(kv.size()),
                static_cast<long long>(kv.dim()));
    if (!args->similarity.empty()) {
      std::printf("%-32s %8s %8s %9s\n", "similarity set", "pairs", "oov", "spearman");
      for (const auto& path : args->similarity) {
        const auto r = embed::evaluate_word_pairs(kv, path);
        std::printf("%-32s %8lld %8lld %9.4f\n", r.name.c_str(), static_cast<long long>(r.pairs),
                    static_cast<long long>(r.oov), r.spearman);
      }
    }
    for (const auto& path : args->analogy) {
      std::printf("%s (restricted to the top %lld words)\n", path.c_str(),
                  static_cast<long long>(args->restrict_vocab));
      const auto add =
          embed::evaluate_analogies(kv, path, embed::AnalogyMethod::CosAdd, args->restrict_vocab);
      const auto mul =
          embed::evaluate_analogies(kv, path, embed::AnalogyMethod::CosMul, args->restrict_vocab);
      print_analogy(add, mul, !args->no_sections);
    }
  });
}

}  // namespace attn::cli
