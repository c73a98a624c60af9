// save_pretrained — a HF-loadable BERT directory, written atomically (see bert_save.h).
#include "attn/models/bert_save.h"

#include <array>
#include <filesystem>

#include "attn/core/error.h"
#include "attn/io/files.h"
#include "attn/io/safetensors.h"

namespace attn::models {

namespace fs = std::filesystem;

namespace {

// The tokenizer files transformers' AutoTokenizer reads, copied verbatim when present.
constexpr std::array<const char*, 4> kTokenizerFiles = {"tokenizer.json", "vocab.txt",
                                                        "tokenizer_config.json", "special_tokens_map.json"};

void copy_tokenizer(const std::string& from, const std::string& to) {
  ATTN_CHECK_KIND(Io, fs::is_directory(from), "save_pretrained: tokenizer directory {} does not exist", from);
  bool any = false;
  for (const char* name : kTokenizerFiles) {
    const fs::path src = fs::path(from) / name;
    if (!fs::exists(src)) continue;
    std::error_code ec;
    fs::copy_file(src, fs::path(to) / name, fs::copy_options::overwrite_existing, ec);
    ATTN_CHECK_KIND(Io, !ec, "save_pretrained: cannot copy {}: {}", src.string(), ec.message());
    any = true;
  }
  ATTN_CHECK_KIND(Io, any, "save_pretrained: {} holds no tokenizer.json or vocab.txt", from);
}

}  // namespace

void save_pretrained(const std::string& dir, const BertConfig& config,
                     const std::map<std::string, Tensor>& tensors, const std::string& tokenizer_from) {
  ATTN_CHECK(!dir.empty(), "save_pretrained: empty directory name");
  for (const auto& [name, t] : tensors)
    ATTN_CHECK_KIND(DTypeMismatch, t.dtype() == DType::F32, "save_pretrained: tensor {} is {}, expected F32",
                    name, dtype_name(t.dtype()));
  const std::string tmp = dir + ".tmp";
  std::error_code ec;
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp, ec);
  ATTN_CHECK_KIND(Io, !ec, "save_pretrained: cannot create {}: {}", tmp, ec.message());
  try {
    io::write_text_atomic(tmp + "/config.json", config.to_json());
    io::save_safetensors(tmp + "/model.safetensors", tensors, {{"format", "pt"}});
    if (!tokenizer_from.empty()) copy_tokenizer(tokenizer_from, tmp);
  } catch (...) {
    fs::remove_all(tmp, ec);
    throw;
  }
  io::replace_directory(tmp, dir);
}

}  // namespace attn::models
