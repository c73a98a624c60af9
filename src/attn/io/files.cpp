// Atomic file and directory writes (see files.h).
#include "attn/io/files.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <system_error>

#include "attn/core/error.h"

namespace attn::io {

namespace fs = std::filesystem;

void write_text_atomic(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    ATTN_CHECK_KIND(Io, out.good(), "cannot write {} (opening {} failed)", path, tmp);
    out << text;
    out.flush();
    if (!out.good()) {
      std::error_code ignored;
      fs::remove(tmp, ignored);
      throw_error(ErrorKind::Io, "cannot write {} (writing {} failed: disk full?)", path, tmp);
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw_error(ErrorKind::Io, "cannot write {}: rename from {} failed: {}", path, tmp, ec.message());
  }
}

void replace_directory(const std::string& tmp, const std::string& dst) {
  ATTN_CHECK_KIND(Io, fs::is_directory(tmp), "replace_directory: {} is not a directory", tmp);
  const std::string old = dst + ".old";
  std::error_code ec;
  fs::remove_all(old, ec);
  if (fs::exists(dst)) {
    fs::rename(dst, old, ec);
    ATTN_CHECK_KIND(Io, !ec, "cannot replace {}: renaming it to {} failed: {}", dst, old, ec.message());
  }
  fs::rename(tmp, dst, ec);
  ATTN_CHECK_KIND(Io, !ec, "cannot write {}: renaming {} to it failed: {}", dst, tmp, ec.message());
  fs::remove_all(old, ec);
}

}  // namespace attn::io
