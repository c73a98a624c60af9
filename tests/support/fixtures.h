// tests/support/fixtures.h — golden values produced by the reference libraries (STYLE P8).
//
// Each tools/fixtures/<area>.py script writes tests/data/<area>/<name>.safetensors (inputs, outputs and grads
// under stable names) and a <name>.json with the library versions and seed. Tests load them here; a missing
// file or tensor is an error that names the script to rerun. Tests including this header link attn_io.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "attn/io/safetensors.h"
#include "attn/tensor/tensor.h"

namespace attn::test {

class Fixture {
 public:
  // path relative to tests/data, e.g. "ops/softmax.safetensors"; `script` is named in errors.
  explicit Fixture(const std::string& path) : path_(std::string(ATTN_TEST_DATA) + "/" + path) {
    if (!std::filesystem::exists(path_)) {
      throw_error(ErrorKind::Io,
                  "fixture {} is missing — regenerate it with the script in tools/fixtures/ "
                  "(.venv/bin/python tools/fixtures/<area>.py)",
                  path_);
    }
    tensors_ = io::load_safetensors(path_);
  }

  const Tensor& operator[](const std::string& name) const {
    auto it = tensors_.find(name);
    if (it == tensors_.end()) {
      throw_error(ErrorKind::Io,
                  "fixture {} has no tensor '{}' — is it out of date? rerun its tools/fixtures script", path_,
                  name);
    }
    return it->second;
  }
  bool has(const std::string& name) const { return tensors_.count(name) != 0; }
  const std::map<std::string, Tensor>& all() const { return tensors_; }

 private:
  std::string path_;
  std::map<std::string, Tensor> tensors_;
};

}  // namespace attn::test
