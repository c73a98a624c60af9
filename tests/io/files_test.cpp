// io::write_text_atomic and io::replace_directory: the content arrives whole, nothing temporary is left
// behind, and failures name the path.
#include "attn/io/files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "attn/core/error.h"

namespace attn {
namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path fresh_dir(const std::string& name) {
  const fs::path d =
      fs::temp_directory_path() / ("attn_files_test_" + std::to_string(::getpid()) + "_" + name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

TEST(Files, WriteTextAtomicReplacesWholeAndLeavesNoTemporary) {
  const fs::path d = fresh_dir("write");
  const std::string path = (d / "config.json").string();
  io::write_text_atomic(path, "first\n");
  io::write_text_atomic(path, "second, longer\n");
  EXPECT_EQ(read_all(path), "second, longer\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(d), fs::directory_iterator()), 1);
  fs::remove_all(d);
}

TEST(Files, WriteTextAtomicIntoMissingDirectoryNamesThePath) {
  try {
    io::write_text_atomic("/nonexistent_dir_attn/x.json", "x");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Io);
    EXPECT_NE(std::string(e.what()).find("/nonexistent_dir_attn/x.json"), std::string::npos) << e.what();
  }
}

TEST(Files, ReplaceDirectorySwapsInTheNewContents) {
  const fs::path d = fresh_dir("replace");
  const fs::path dst = d / "model", tmp = d / "model.tmp";
  fs::create_directories(dst);
  std::ofstream(dst / "stale.txt") << "old";
  fs::create_directories(tmp);
  std::ofstream(tmp / "new.txt") << "new";
  io::replace_directory(tmp.string(), dst.string());
  EXPECT_TRUE(fs::exists(dst / "new.txt"));
  EXPECT_FALSE(fs::exists(dst / "stale.txt"));
  EXPECT_FALSE(fs::exists(tmp));
  EXPECT_FALSE(fs::exists(d / "model.old"));
  EXPECT_THROW(io::replace_directory((d / "absent").string(), dst.string()), Error);
  fs::remove_all(d);
}

}  // namespace
}  // namespace attn
