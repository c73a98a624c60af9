// The bar of issue 3: on every text of the corpus (tests/data/text/corpus.inp.gz, ≥ 10,000 texts from
// ../shared/data plus hard cases), attn's ids and code-point offsets equal HF tokenizers' — for the
// all-MiniLM-L6-v2 tokenizer.json, for a cased BERT trained by HF's WordPieceTrainer and for a byte-level
// BPE trained by HF's BpeTrainer. Regenerate with tools/fixtures/text.py.
#include <gtest/gtest.h>

#include "attn/text/tokenizer.h"
#include "golden.h"

namespace attn::text {
namespace {

using testing::data_path;

void expect_same_as_hf(const std::string& tokenizer_path, const std::string& golden_name) {
  Tokenizer tok = Tokenizer::from_file(tokenizer_path);
  tok.set_truncation(std::nullopt);
  tok.set_padding(std::nullopt);
  const std::vector<std::string> texts = testing::read_corpus();
  const std::vector<testing::Golden> golden = testing::read_golden(golden_name);
  ASSERT_EQ(texts.size(), golden.size())
      << golden_name << " does not match corpus.inp.gz; rerun tools/fixtures/text.py";
  ASSERT_GE(texts.size(), 10000u);
  const std::vector<Encoding> ours = tok.encode_batch(texts);
  size_t mismatches = 0, tokens = 0;
  for (size_t i = 0; i < texts.size(); ++i) {
    tokens += golden[i].ids.size();
    if (ours[i].ids == golden[i].ids && ours[i].offsets == golden[i].offsets) continue;
    if (mismatches++ < 5) {
      ADD_FAILURE() << golden_name << " text " << i + 1 << ": \"" << texts[i]
                    << "\"\n  HF:   " << testing::describe(tok, golden[i].ids, golden[i].offsets)
                    << "\n  attn: " << testing::describe(tok, ours[i].ids, ours[i].offsets);
    }
  }
  EXPECT_EQ(mismatches, 0u) << "of " << texts.size() << " texts";
  std::printf("[ %s ] %zu texts, %zu tokens, %zu mismatches\n", golden_name.c_str(), texts.size(), tokens,
              mismatches);
}

TEST(HfCorpus, MiniLmUncasedIdenticalToHf) {
  expect_same_as_hf(std::string(ATTN_MODELS_DIR) + "/all-MiniLM-L6-v2/tokenizer.json", "minilm.out.gz");
}

TEST(HfCorpus, CasedWordPieceIdenticalToHf) {
  expect_same_as_hf(data_path("cased_tokenizer.json"), "cased.out.gz");
}

TEST(HfCorpus, ByteLevelBpeIdenticalToHf) {
  expect_same_as_hf(data_path("bpe_tokenizer.json"), "bpe.out.gz");
}

}  // namespace
}  // namespace attn::text
