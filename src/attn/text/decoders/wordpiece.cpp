// attn/text/decoders/wordpiece.cpp — see wordpiece.h.
#include "attn/text/decoders/wordpiece.h"

namespace attn::text {
namespace {

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) {
    s.replace(pos, from.size(), to);
  }
}

}  // namespace

std::string cleanup_tokenization_spaces(std::string s) {
  static constexpr std::pair<std::string_view, std::string_view> kRules[] = {
      {" .", "."},   {" ?", "?"},           {" !", "!"},   {" ,", ","},     {" ' ", "'"},   {" n't", "n't"},
      {" 'm", "'m"}, {" do not", " don't"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}};
  for (const auto& [from, to] : kRules) replace_all(s, from, to);
  return s;
}

std::string WordPieceDecoder::decode(const std::vector<std::string>& tokens) const {
  std::string out;
  for (size_t i = 0; i < tokens.size(); ++i) {
    std::string piece = tokens[i];
    if (i != 0) {
      if (piece.compare(0, prefix_.size(), prefix_) == 0) {
        piece.erase(0, prefix_.size());  // HF: replacen(prefix, "", 1) on a token that starts with it
      } else {
        piece.insert(0, " ");
      }
    }
    out += cleanup_ ? cleanup_tokenization_spaces(std::move(piece)) : piece;
  }
  return out;
}

}  // namespace attn::text
