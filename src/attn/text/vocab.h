// attn/text/vocab.h — a word-level vocabulary: the seed's first example, "I am happy" → ["i", "am", "happy"]
// → ids. Built from a corpus with min_freq / max_size after the special tokens ([PAD] = 0, [UNK], [CLS],
// [SEP], [MASK], [BOS], [EOS]); saved and loaded as one token per line (line number = id), like vocab.txt.
//
//   Vocab v = Vocab::build(lines, {.min_freq = 2, .max_size = 30000});
//   v.encode("I am happy")  // → {7, 12, 345}; unknown words → v.unk_id()
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace attn::text {

inline const std::vector<std::string>& default_special_tokens() {
  static const std::vector<std::string> kSpecials = {"[PAD]",  "[UNK]", "[CLS]", "[SEP]",
                                                     "[MASK]", "[BOS]", "[EOS]"};
  return kSpecials;
}

struct VocabOptions {
  size_t min_freq = 1;
  size_t max_size = 0;  // 0: no limit; counts the special tokens
  bool lowercase = true;
  std::vector<std::string> specials = default_special_tokens();
};

class Vocab {
 public:
  Vocab() = default;
  explicit Vocab(std::vector<std::string> tokens, std::string unk_token = "[UNK]");

  // Words are counted after split_words(); ties in frequency are broken by the word (byte order), so the
  // result does not depend on the corpus order.
  static Vocab build(const std::vector<std::string>& corpus, const VocabOptions& options = {});
  static Vocab load(const std::string& path);
  void save(const std::string& path) const;

  // Lowercase (if the vocab was built so) and split on whitespace and punctuation, as BERT's basic
  // tokenizer: "I am happy!" → ["i", "am", "happy", "!"].
  std::vector<std::string> tokenize(std::string_view text) const;
  std::vector<int32_t> encode(std::string_view text) const;
  std::string decode(const std::vector<int32_t>& ids, bool skip_special_tokens = true) const;

  int32_t id(std::string_view token) const;  // unk_id() if absent
  bool contains(std::string_view token) const { return index_.count(std::string(token)) > 0; }
  const std::string& token(int32_t id) const;
  size_t size() const { return tokens_.size(); }
  int32_t unk_id() const { return unk_id_; }
  int32_t pad_id() const { return id("[PAD]"); }
  const std::vector<std::string>& tokens() const { return tokens_; }
  bool lowercase() const { return lowercase_; }
  void set_lowercase(bool on) { lowercase_ = on; }

 private:
  std::vector<std::string> tokens_;
  std::unordered_map<std::string, int32_t> index_;
  int32_t unk_id_ = -1;
  bool lowercase_ = true;
};

}  // namespace attn::text
