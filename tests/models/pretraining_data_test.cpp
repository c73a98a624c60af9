// BERT pretraining data (models/pretraining_data.h): sentence splitting, Gutenberg stripping, document
// reading, HF's pair construction and truncate_seq_pair, and the masking rules of HF's data collators.
// Synthetic documents encode where every token came from (id = 1000·doc + 10·sentence + k), so the pair
// structure can be checked token by token; masking statistics are measured on ~10⁵ tokens with tolerances
// of about 5 standard deviations (a wrong rate, e.g. 20 % instead of 15 %, fails by far).
#include "attn/models/pretraining_data.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "attn/core/error.h"

namespace attn::models {
namespace {

TEST(PretrainingData, SplitSentencesKeepsQuotesAndAbbreviations) {
  const auto s = split_sentences("Mr. Brown came  home. He said \"Hi!\" Then\n he left? Yes");
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[0], "Mr. Brown came home.");
  EXPECT_EQ(s[1], "He said \"Hi!\"");
  EXPECT_EQ(s[2], "Then he left?");
  EXPECT_EQ(s[3], "Yes");
  const auto curly = split_sentences("“Off with her head!” said the Queen. Nobody moved.");
  ASSERT_EQ(curly.size(), 3u);
  EXPECT_EQ(curly[0], "“Off with her head!”");
}

TEST(PretrainingData, StripGutenbergKeepsOnlyTheBook) {
  const std::string text =
      "The Project Gutenberg eBook\nlicence\n*** START OF THE PROJECT GUTENBERG EBOOK X ***\nBody "
      "one.\n\nBody "
      "two.\n*** END OF THE PROJECT GUTENBERG EBOOK X ***\nmore licence\n";
  EXPECT_EQ(strip_gutenberg(text), "Body one.\n\nBody two.");
  EXPECT_EQ(strip_gutenberg("no markers\n"), "no markers\n");
}

TEST(PretrainingData, ReadDocumentsByFileAndByBlankLine) {
  const auto dir = std::filesystem::temp_directory_path() / "attn_pretraining_data_test";
  std::filesystem::create_directories(dir);
  const std::string a = (dir / "a.txt").string(), b = (dir / "b.txt").string();
  std::ofstream(a) << "First line wraps\nhere. Second one.\n\nA new paragraph.\n";
  std::ofstream(b) << "s1\ns2\n\n\ns3\n";
  const auto by_file = read_documents({a, b}, DocumentSplit::File);
  ASSERT_EQ(by_file.size(), 2u);
  EXPECT_EQ(by_file[0],
            (std::vector<std::string>{"First line wraps here.", "Second one.", "A new paragraph."}));
  const auto by_blank = read_documents({b}, DocumentSplit::BlankLine);
  ASSERT_EQ(by_blank.size(), 2u);
  EXPECT_EQ(by_blank[0], (std::vector<std::string>{"s1", "s2"}));
  EXPECT_EQ(by_blank[1], (std::vector<std::string>{"s3"}));
  EXPECT_THROW(read_documents({(dir / "missing.txt").string()}, DocumentSplit::File), Error);
  std::filesystem::remove_all(dir);
}

// doc d, sentence s: tokens 1000·d + 10·s + k for k < len; word continuations every third token.
std::vector<TokenizedDocument> synthetic_docs(int n_docs, int n_sent, Generator& gen) {
  std::vector<TokenizedDocument> docs(static_cast<size_t>(n_docs));
  for (int d = 0; d < n_docs; ++d)
    for (int s = 0; s < n_sent; ++s) {
      TokenizedSentence t;
      const int len = 3 + static_cast<int>(gen.randint(7));
      for (int k = 0; k < len; ++k) {
        t.ids.push_back(1000 * d + 10 * s + k);
        t.continues_word.push_back(k % 3 == 2 ? 1 : 0);
      }
      docs[static_cast<size_t>(d)].push_back(t);
    }
  return docs;
}

int doc_of(int32_t id) { return id / 1000; }
int sent_of(int32_t id) { return (id % 1000) / 10; }

TEST(PretrainingData, PairsAreContiguousOrFromAnotherDocument) {
  Generator gen(7);
  const auto docs = synthetic_docs(40, 60, gen);
  const auto pairs = create_pairs(docs, {.max_seq_len = 64}, gen);
  ASSERT_GT(pairs.size(), 300u);
  size_t random = 0;
  for (const auto& p : pairs) {
    ASSERT_FALSE(p.a.ids.empty());
    ASSERT_FALSE(p.b.ids.empty());
    EXPECT_LE(p.a.ids.size() + p.b.ids.size(), 61u);  // max_seq_len − 3
    EXPECT_EQ(p.a.ids.size(), p.a.continues_word.size());
    if (p.is_random_next) {
      ++random;
      EXPECT_NE(doc_of(p.a.ids.front()), doc_of(p.b.ids.front()));
    } else {
      // B continues A: same document, B after A; untruncated pairs (< 61 tokens) meet at a sentence border.
      EXPECT_EQ(doc_of(p.a.ids.back()), doc_of(p.b.ids.front()));
      EXPECT_GT(sent_of(p.b.ids.front()), sent_of(p.a.ids.back()));
      if (p.a.ids.size() + p.b.ids.size() < 61) {
        EXPECT_EQ(sent_of(p.b.ids.front()), sent_of(p.a.ids.back()) + 1);
        EXPECT_EQ(p.b.ids.front() % 10, 0);  // B starts a sentence
      }
    }
  }
  // 50 % random next, plus the one-segment chunks that are always random: between 0.45 and 0.65 here.
  const double frac = static_cast<double>(random) / static_cast<double>(pairs.size());
  EXPECT_GT(frac, 0.45);
  EXPECT_LT(frac, 0.65);
  EXPECT_THROW(create_pairs({docs[0]}, {}, gen), Error);  // one document cannot give random-next pairs
}

TEST(PretrainingData, TruncateSeqPairTrimsTheLongerSide) {
  Generator gen(1);
  TokenizedSentence a, b;
  for (int i = 0; i < 10; ++i) a.ids.push_back(i), a.continues_word.push_back(0);
  for (int i = 0; i < 4; ++i) b.ids.push_back(100 + i), b.continues_word.push_back(0);
  truncate_seq_pair(a, b, 9, gen);
  EXPECT_EQ(a.ids.size(), 5u);  // 14 → 9 tokens, all taken from the longer a while it stays longer
  EXPECT_EQ(b.ids.size(), 4u);
  EXPECT_EQ(a.continues_word.size(), 5u);
  // What is left of a is a contiguous run of the original (tokens come off the front or the back).
  for (size_t i = 1; i < a.ids.size(); ++i) EXPECT_EQ(a.ids[i], a.ids[i - 1] + 1);
  truncate_seq_pair(a, b, 4, gen);  // equal lengths: b (HF: tokens_a only if len(a) > len(b))
  EXPECT_EQ(a.ids.size() + b.ids.size(), 4u);
  EXPECT_EQ(a.ids.size(), 2u);
}

SpecialIds specials() { return {.pad = 0, .cls = 2, .sep = 3, .mask = 4, .vocab_size = 30000}; }

TEST(PretrainingData, BatchLayoutSpecialTokensAndTypeIds) {
  SentencePair p1, p2;
  p1.a.ids = {100, 101}, p1.a.continues_word = {0, 0};
  p1.b.ids = {200}, p1.b.continues_word = {0};
  p1.is_random_next = true;
  p2.a.ids = {110}, p2.a.continues_word = {0};
  p2.b.ids = {210}, p2.b.continues_word = {0};
  Generator gen(3);
  const auto b = make_batch({&p1, &p2}, specials(), {.mlm_probability = 0.0}, gen);
  ASSERT_EQ(b.input_ids.shape(), (Shape{2, 6}));
  const std::vector<int64_t> row0{2, 100, 101, 3, 200, 3}, row1{2, 110, 3, 210, 3, 0};
  const std::vector<int64_t> type0{0, 0, 0, 0, 1, 1}, type1{0, 0, 0, 1, 1, 0}, mask1{1, 1, 1, 1, 1, 0};
  for (int64_t j = 0; j < 6; ++j) {
    EXPECT_EQ(b.input_ids.at<int64_t>({0, j}), row0[static_cast<size_t>(j)]);
    EXPECT_EQ(b.input_ids.at<int64_t>({1, j}), row1[static_cast<size_t>(j)]);
    EXPECT_EQ(b.token_type_ids.at<int64_t>({0, j}), type0[static_cast<size_t>(j)]);
    EXPECT_EQ(b.token_type_ids.at<int64_t>({1, j}), type1[static_cast<size_t>(j)]);
    EXPECT_EQ(b.attention_mask.at<int64_t>({1, j}), mask1[static_cast<size_t>(j)]);
    EXPECT_EQ(b.labels.at<int64_t>({0, j}), -100);
  }
  EXPECT_EQ(b.next_sentence_label.at<int64_t>({0}), 1);
  EXPECT_EQ(b.next_sentence_label.at<int64_t>({1}), 0);
  EXPECT_EQ(b.tokens, 11);
  EXPECT_EQ(b.masked, 0);
}

// Counts over many batches: selected share of non-special tokens, and the 80/10/10 split of the selected.
struct MaskStats {
  double selected = 0, mask = 0, random = 0, unchanged = 0, candidates = 0;
};

MaskStats mask_stats(const std::vector<SentencePair>& pairs, const MaskingOptions& o, uint64_t seed) {
  Generator gen(seed);
  MaskStats st;
  std::vector<const SentencePair*> ps;
  for (const auto& p : pairs) ps.push_back(&p);
  const auto b = make_batch(ps, specials(), o, gen);
  for (int64_t i = 0; i < b.input_ids.numel(); ++i) {
    const int64_t id = b.input_ids.data<int64_t>()[i], lab = b.labels.data<int64_t>()[i];
    if (lab == -100) continue;
    EXPECT_NE(lab, 2);  // never [CLS] / [SEP] / [PAD]
    EXPECT_NE(lab, 3);
    EXPECT_NE(lab, 0);
    st.selected += 1;
    st.mask += id == 4 ? 1 : 0;
    st.unchanged += id == lab ? 1 : 0;
    st.random += id != 4 && id != lab ? 1 : 0;
  }
  st.candidates = static_cast<double>(b.tokens - 3 * b.input_ids.size(0));
  EXPECT_EQ(static_cast<int64_t>(st.selected), b.masked);
  return st;
}

TEST(PretrainingData, MaskingRatesAreHfs) {
  Generator gen(11);
  const auto pairs = create_pairs(synthetic_docs(40, 200, gen), {.max_seq_len = 128}, gen);
  const MaskStats st = mask_stats(pairs, {.mlm_probability = 0.15}, 5);
  ASSERT_GT(st.candidates, 40000);
  EXPECT_NEAR(st.selected / st.candidates, 0.15, 0.01);
  EXPECT_NEAR(st.mask / st.selected, 0.8, 0.02);
  EXPECT_NEAR(st.random / st.selected, 0.1, 0.015);
  EXPECT_NEAR(st.unchanged / st.selected, 0.1, 0.015);
  // The same seed gives the same masks; another seed other masks.
  EXPECT_EQ(mask_stats(pairs, {.mlm_probability = 0.15}, 5).mask, st.mask);
  EXPECT_NE(mask_stats(pairs, {.mlm_probability = 0.15}, 6).mask, st.mask);
}

TEST(PretrainingData, WholeWordMaskingSelectsWholeWords) {
  Generator gen(13);
  const auto pairs = create_pairs(synthetic_docs(10, 40, gen), {.max_seq_len = 64}, gen);
  std::vector<const SentencePair*> ps;
  for (const auto& p : pairs) ps.push_back(&p);
  const auto b = make_batch(ps, specials(), {.mlm_probability = 0.15, .whole_word = true}, gen);
  const int64_t T = b.input_ids.size(1);
  double selected = 0, candidates = 0;
  for (size_t r = 0; r < ps.size(); ++r) {
    // Rebuild the row's continuation flags: [CLS] a [SEP] b [SEP].
    std::vector<uint8_t> cont{0};
    cont.insert(cont.end(), ps[r]->a.continues_word.begin(), ps[r]->a.continues_word.end());
    cont.push_back(0);
    cont.insert(cont.end(), ps[r]->b.continues_word.begin(), ps[r]->b.continues_word.end());
    cont.push_back(0);
    const auto n = static_cast<int64_t>(cont.size());
    int64_t row_sel = 0;
    for (int64_t j = 1; j < n; ++j) {
      const bool sel = b.labels.at<int64_t>({static_cast<int64_t>(r), j}) != -100;
      row_sel += sel ? 1 : 0;
      // A continuation token is selected exactly when the token before it (same word) is. A "##" piece
      // right after [CLS]/[SEP] (truncation cut its word) is a word of its own here; HF's collator would
      // glue it to the word before the [SEP] — attn's deviation, on purpose.
      const bool after_special = j - 1 == 0 || j - 1 == static_cast<int64_t>(ps[r]->a.ids.size()) + 1;
      if (cont[static_cast<size_t>(j)] && !after_special) {
        EXPECT_EQ(sel, b.labels.at<int64_t>({static_cast<int64_t>(r), j - 1}) != -100)
            << "row " << r << " pos " << j;
      }
    }
    ASSERT_LE(n, T);
    // At most round(0.15 · n_tokens) tokens, and at least one, per row (DataCollatorForWholeWordMask).
    const double n_tok = static_cast<double>(n - 3);
    EXPECT_LE(row_sel, std::max<int64_t>(1, std::llround(n_tok * 0.15)));
    EXPECT_GE(row_sel, 1);
    selected += static_cast<double>(row_sel), candidates += n_tok;
  }
  EXPECT_NEAR(selected / candidates, 0.15, 0.03);
}

}  // namespace
}  // namespace attn::models
