// apps/attn/fasttext_flags.h — options in fastText's / word2vec.c's shape ("-dim 100 -epoch 5"), for
// `attn word2vec` and `attn glove`. CLI11 reads single-dash long names as bundled short flags, so these
// commands take their arguments raw (prefix_command) and parse them here; "--dim" is accepted as well.
#pragma once

#include <charconv>
#include <map>
#include <string>
#include <vector>

#include "attn/core/error.h"

namespace attn::cli {

class FlagArgs {
 public:
  // args: everything after the subcommand (and its mode word). Every flag takes exactly one value.
  FlagArgs(const std::string& command, const std::vector<std::string>& args) : command_(command) {
    for (size_t i = 0; i < args.size(); ++i) {
      std::string name = args[i];
      ATTN_CHECK(name.size() > 1 && name[0] == '-', "{}: expected an option like -dim, got '{}'", command,
                 name);
      name.erase(0, name[1] == '-' ? 2 : 1);
      ATTN_CHECK(i + 1 < args.size(), "{}: option -{} needs a value", command, name);
      values_[name] = args[++i];
    }
  }

  std::string str(const std::string& name, const std::string& fallback) {
    used_.push_back(name);
    auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
  }
  std::string required(const std::string& name) {
    used_.push_back(name);
    auto it = values_.find(name);
    ATTN_CHECK(it != values_.end(), "{}: -{} is required (see `attn {} --help`)", command_, name, command_);
    return it->second;
  }
  template <typename T>
  T num(const std::string& name, T fallback) {
    used_.push_back(name);
    auto it = values_.find(name);
    if (it == values_.end()) return fallback;
    const std::string& v = it->second;
    T x{};
    auto r = std::from_chars(v.data(), v.data() + v.size(), x);
    ATTN_CHECK(r.ec == std::errc() && r.ptr == v.data() + v.size(), "{}: -{} expects a number, got '{}'",
               command_, name, v);
    return x;
  }
  // Rejects options that no str/num/required call asked for (typos such as -epochs).
  void check_unused() const {
    for (const auto& [name, value] : values_) {
      bool used = false;
      for (const auto& u : used_) used = used || u == name;
      ATTN_CHECK(used, "{}: unknown option -{} (see `attn {} --help`)", command_, name, command_);
    }
  }

 private:
  std::string command_;
  std::map<std::string, std::string> values_;
  std::vector<std::string> used_;
};

inline bool wants_help(const std::vector<std::string>& args) {
  for (const auto& a : args)
    if (a == "-h" || a == "--help" || a == "-help") return true;
  return args.empty();
}

}  // namespace attn::cli
