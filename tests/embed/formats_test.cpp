// word2vec text/binary files: read what gensim (and fastText's .vec layout) wrote, write what gensim writes.
// Fixtures: tools/fixtures/embed.py (KeyedVectors.save_word2vec_format, gensim 4.3).
#include "attn/embed/formats.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "attn/core/error.h"
#include "embed_test_util.h"

namespace attn::embed {
namespace {

using testing::fixture;
using testing::TempDir;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void expect_matches_json(const KeyedVectors& kv, double rel_tol) {
  const auto j = testing::load_json("gensim_small.json");
  const auto words = j["words"].get<std::vector<std::string>>();
  const auto vectors = j["vectors"].get<std::vector<std::vector<double>>>();
  ASSERT_EQ(kv.size(), static_cast<int64_t>(words.size()));
  ASSERT_EQ(kv.dim(), 5);
  for (size_t i = 0; i < words.size(); ++i) {
    EXPECT_EQ(kv.word(i), words[i]);
    EXPECT_EQ(kv.find(words[i]), static_cast<int32_t>(i));
    for (int d = 0; d < 5; ++d) {
      const double want = vectors[i][d];
      if (rel_tol == 0) {
        EXPECT_EQ(kv.vector(i)[d], static_cast<float>(want)) << words[i] << "[" << d << "]";
      } else {
        EXPECT_NEAR(kv.vector(i)[d], want, rel_tol * std::abs(want) + 1e-9) << words[i] << "[" << d << "]";
      }
    }
  }
}

TEST(Word2VecFormat, ReadsGensimBinary) {
  expect_matches_json(load_word2vec_format(fixture("gensim_small.bin")), 0);
}

TEST(Word2VecFormat, ReadsGensimText) {
  expect_matches_json(load_word2vec_format(fixture("gensim_small.txt")), 0);
}

TEST(Word2VecFormat, ReadsFastTextVecWithTrailingSpaces) {
  expect_matches_json(load_word2vec_format(fixture("fasttext_small.vec")), 1e-4);
}

TEST(Word2VecFormat, SniffsTheFormatWithoutAnExtension) {
  TempDir tmp;
  const auto bin = tmp.write("vectors", slurp(fixture("gensim_small.bin")));
  expect_matches_json(load_word2vec_format(bin), 0);
  const auto txt = tmp.write("vectors2", slurp(fixture("gensim_small.txt")));
  expect_matches_json(load_word2vec_format(txt), 0);
}

TEST(Word2VecFormat, BinaryWriterIsByteIdenticalToGensim) {
  TempDir tmp;
  const auto kv = load_word2vec_format(fixture("gensim_small.txt"));
  save_word2vec_format(kv, tmp.file("out.bin"), VectorFormat::Binary);
  EXPECT_EQ(slurp(tmp.file("out.bin")), slurp(fixture("gensim_small.bin")));
  EXPECT_FALSE(std::filesystem::exists(tmp.file("out.bin.tmp")));
}

TEST(Word2VecFormat, TextRoundTripIsExact) {
  TempDir tmp;
  const auto kv = load_word2vec_format(fixture("gensim_small.bin"));
  save_word2vec_format(kv, tmp.file("out.vec"), VectorFormat::Text);
  expect_matches_json(load_word2vec_format(tmp.file("out.vec")), 0);
}

TEST(Word2VecFormat, ReadsWord2VecCBinaryWithNewlines) {
  TempDir tmp;
  std::string data = "2 2\n";
  const float a[2] = {1.5f, -2.0f}, b[2] = {0.25f, 3.0f};
  data += "ab ";
  data.append(reinterpret_cast<const char*>(a), 8);
  data += "\ncd ";
  data.append(reinterpret_cast<const char*>(b), 8);
  data += "\n";
  const auto kv = load_word2vec_format(tmp.write("w2v.bin", data));
  EXPECT_EQ(kv.word(1), "cd");
  EXPECT_EQ(kv.vector(1)[1], 3.0f);
}

// Bad input: a clear attn::Error naming the file and what was expected.
void expect_error(const std::string& path, ErrorKind kind, const std::string& fragment) {
  try {
    load_word2vec_format(path);
    FAIL() << "no error for " << path;
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(Word2VecFormat, MissingFile) { expect_error("/nonexistent/v.bin", ErrorKind::Io, "cannot open"); }

TEST(Word2VecFormat, TruncatedBinary) {
  TempDir tmp;
  const std::string full = slurp(fixture("gensim_small.bin"));
  expect_error(tmp.write("cut.bin", full.substr(0, full.size() - 7)), ErrorKind::Format,
               "truncated at vector 12");
}

TEST(Word2VecFormat, BadHeader) {
  TempDir tmp;
  expect_error(tmp.write("h1.vec", "hello world\na 1 2\n"), ErrorKind::Format, "bad header 'hello world'");
  expect_error(tmp.write("h2.vec", "3\na 1 2\n"), ErrorKind::Format, "bad header");
  expect_error(tmp.write("h3.vec", ""), ErrorKind::Format, "bad header");
}

TEST(Word2VecFormat, TextWithWrongValueCount) {
  TempDir tmp;
  expect_error(tmp.write("few.vec", "2 3\na 1 2 3\nb 1 2\n"), ErrorKind::Format,
               "few.vec:3: expected 3 numbers");
  expect_error(tmp.write("many.vec", "1 2\na 1 2 3\n"), ErrorKind::Format, "many.vec:2: expected 2 numbers");
  expect_error(tmp.write("nan.vec", "1 2\na 1 x\n"), ErrorKind::Format, "non-number");
  expect_error(tmp.write("short.vec", "3 2\na 1 2\n"), ErrorKind::Format, "announces 3 vectors");
}

TEST(Word2VecFormat, WriteToMissingDirectoryFailsWithoutLeavingFiles) {
  const auto kv = load_word2vec_format(fixture("gensim_small.bin"));
  EXPECT_THROW(save_word2vec_format(kv, "/nonexistent/dir/out.vec", VectorFormat::Text), Error);
}

}  // namespace
}  // namespace attn::embed
