// attn similar VECTORS WORD [-k N]   — nearest neighbours by cosine.
// attn analogy VECTORS a b c [-k N]  — a : b :: c : ?, the words closest to b − a + c (3CosAdd; --cosmul).
// VECTORS is a word2vec .bin/.vec/.txt file (ours, gensim's or fastText's).
#include <cstdio>

#include "attn/embed/formats.h"
#include "commands.h"

namespace attn::cli {

namespace {
// Terminal columns of a UTF-8 word: East Asian wide characters (Hangul, CJK, from U+1100) take two.
size_t display_width(const std::string& s) {
  size_t w = 0;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    w += len >= 3 ? 2 : 1;
    i += len;
  }
  return w;
}

void print_neighbors(const std::vector<embed::Neighbor>& ns) {
  for (const auto& n : ns) {
    const size_t w = display_width(n.word);
    std::printf("%s%*s %.4f\n", n.word.c_str(), static_cast<int>(w < 20 ? 20 - w : 0), "", n.score);
  }
}
}  // namespace

void add_similar_command(CLI::App& app) {
  struct Args {
    std::string vectors, word;
    int k = 10;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("similar", "nearest neighbours of a word in a word-vector file");
  cmd->add_option("VECTORS", args->vectors, "word2vec .bin or .vec/.txt file")->required();
  cmd->add_option("WORD", args->word, "query word")->required();
  cmd->add_option("-k", args->k, "number of neighbours")->capture_default_str();
  cmd->callback([args] {
    const auto kv = embed::load_word2vec_format(args->vectors);
    print_neighbors(kv.most_similar(args->word, args->k));
  });
}

void add_analogy_command(CLI::App& app) {
  struct Args {
    std::string vectors;
    std::vector<std::string> words;
    int k = 10;
    bool cosmul = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("analogy", "a : b :: c : ? — words closest to b - a + c");
  cmd->add_option("VECTORS", args->vectors, "word2vec .bin or .vec/.txt file")->required();
  cmd->add_option("WORDS", args->words, "a b c")->required()->expected(3);
  cmd->add_option("-k", args->k, "number of answers")->capture_default_str();
  cmd->add_flag("--cosmul", args->cosmul, "3CosMul (Levy & Goldberg 2014) instead of 3CosAdd");
  cmd->callback([args] {
    const auto kv = embed::load_word2vec_format(args->vectors);
    const auto method = args->cosmul ? embed::AnalogyMethod::CosMul : embed::AnalogyMethod::CosAdd;
    print_neighbors(kv.analogy(kv.id_of(args->words[0]), kv.id_of(args->words[1]), kv.id_of(args->words[2]),
                               args->k, method));
  });
}

}  // namespace attn::cli
