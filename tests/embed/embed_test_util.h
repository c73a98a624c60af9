// tests/embed/embed_test_util.h — helpers for the embed tests: fixture paths, JSON fixtures, temp files.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace attn::embed::testing {

inline std::string fixture(const std::string& name) { return std::string(ATTN_TEST_DATA) + "/embed/" + name; }

// Fixtures are written by tools/fixtures/embed.py; rerun it if one is missing.
inline nlohmann::json load_json(const std::string& name) {
  std::ifstream in(fixture(name));
  EXPECT_TRUE(in.good()) << fixture(name) << " missing: run .venv/bin/python tools/fixtures/embed.py";
  return nlohmann::json::parse(in);
}

// A fresh directory under the system temp dir, removed at scope exit.
class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("attn_embed_test_" + std::to_string(getpid()) + "_" + std::to_string(counter()++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::string write(const std::string& name, const std::string& contents) const {
    std::ofstream(file(name), std::ios::binary) << contents;
    return file(name);
  }

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }
  std::filesystem::path path_;
};

}  // namespace attn::embed::testing
