// tests/text/golden.h — reading the HF golden files written by tools/fixtures/text.py (gzip, llama.cpp-style
// .inp/.out pairs) and comparing encodings with a readable first-mismatch report.
#pragma once

#include <zlib.h>

#include <sstream>
#include <string>
#include <vector>

#include "attn/text/tokenizer.h"

namespace attn::text::testing {

inline std::string data_path(const std::string& name) {
  return std::string(ATTN_TEST_DATA) + "/text/" + name;
}

inline std::string read_gz(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw std::runtime_error(path + ": cannot open (rerun tools/fixtures/text.py)");
  std::string out;
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  gzclose(f);
  return out;
}

// The corpus: texts separated by "\n__attn_text__\n".
inline std::vector<std::string> read_corpus() {
  const std::string all = read_gz(data_path("corpus.inp.gz"));
  const std::string sep = "\n__attn_text__\n";
  std::vector<std::string> texts;
  size_t start = 0;
  for (size_t pos; (pos = all.find(sep, start)) != std::string::npos; start = pos + sep.size()) {
    texts.push_back(all.substr(start, pos - start));
  }
  texts.push_back(all.substr(start));
  return texts;
}

struct Golden {
  std::vector<int32_t> ids;
  std::vector<Span> offsets;
};

// One line per text: "ids<TAB>start:end start:end …".
inline std::vector<Golden> read_golden(const std::string& name) {
  std::istringstream in(read_gz(data_path(name)));
  std::vector<Golden> out;
  std::string line;
  while (std::getline(in, line)) {
    Golden g;
    const size_t tab = line.find('\t');
    std::istringstream ids(line.substr(0, tab)), offs(line.substr(tab + 1));
    for (int32_t id; ids >> id;) g.ids.push_back(id);
    for (std::string o; offs >> o;) {
      const size_t colon = o.find(':');
      g.offsets.push_back({static_cast<uint32_t>(std::stoul(o.substr(0, colon))),
                           static_cast<uint32_t>(std::stoul(o.substr(colon + 1)))});
    }
    out.push_back(std::move(g));
  }
  return out;
}

// "hello(0,5) ," — tokens with offsets, for mismatch messages.
inline std::string describe(const Tokenizer& tok, const std::vector<int32_t>& ids,
                            const std::vector<Span>& offsets) {
  std::string s;
  for (size_t i = 0; i < ids.size(); ++i) {
    s += tok.id_to_token(ids[i]).value_or("?") + "(" + std::to_string(offsets[i].begin) + "," +
         std::to_string(offsets[i].end) + ") ";
  }
  return s;
}

}  // namespace attn::text::testing
