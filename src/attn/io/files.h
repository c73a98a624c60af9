// attn/io/files.h — writing files and directories so that a crash never leaves one half-written: a file is
// written beside its target and renamed over it; a directory is built as DIR.tmp and swapped in by renames.
//
//   io::write_text_atomic(dir + "/config.json", json.dump(2) + "\n");
//   io::replace_directory(dir + ".tmp", dir);   // dir now holds exactly what dir.tmp held
#pragma once

#include <string>

namespace attn::io {

// Writes `text` to `path` through `path.tmp.<pid>` + rename. Errors (kind Io) name the path.
void write_text_atomic(const std::string& path, const std::string& text);

// Moves the finished directory `tmp` to `dst`: an existing `dst` is first renamed to `dst.old`, then `tmp`
// to `dst`, then `dst.old` is removed — at every moment either the old or the new directory is whole.
void replace_directory(const std::string& tmp, const std::string& dst);

}  // namespace attn::io
