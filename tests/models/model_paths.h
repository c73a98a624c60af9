// tests/models/model_paths.h — where the tests find the pretrained checkpoints scripts/setup fetches.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace attn::test {

inline std::string minilm_dir() { return std::string(ATTN_MODELS_DIR) + "/all-MiniLM-L6-v2"; }

// Fails (not skips: the bar must not silently disappear) with the command that fetches the model.
#define ATTN_REQUIRE_MODEL(dir)                                                                \
  do {                                                                                         \
    if (!std::filesystem::exists(std::string(dir) + "/model.safetensors"))                     \
      FAIL() << (dir) << " is missing — run scripts/setup (scripts/fetch-models) to fetch it"; \
  } while (0)

}  // namespace attn::test
