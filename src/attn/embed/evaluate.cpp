#include "attn/embed/evaluate.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <numeric>

#include "attn/core/error.h"
#include "attn/embed/simd.h"

namespace attn::embed {

std::vector<double> rank_average(std::span<const double> x) {
  const size_t n = x.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return x[a] < x[b]; });
  std::vector<double> rank(n);
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j + 1 < n && x[order[j + 1]] == x[order[i]]) ++j;
    const double r = (static_cast<double>(i) + static_cast<double>(j)) / 2 + 1;  // average of ranks i+1..j+1
    for (size_t k = i; k <= j; ++k) rank[order[k]] = r;
    i = j + 1;
  }
  return rank;
}

double spearman(std::span<const double> x, std::span<const double> y) {
  ATTN_CHECK(x.size() == y.size() && x.size() >= 2,
             "spearman: need two equal-length samples of at least 2, "
             "got {} and {}",
             x.size(), y.size());
  const auto rx = rank_average(x);
  const auto ry = rank_average(y);
  const double n = static_cast<double>(x.size());
  const double mx = std::accumulate(rx.begin(), rx.end(), 0.0) / n;
  const double my = std::accumulate(ry.begin(), ry.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < rx.size(); ++i) {
    sxy += (rx[i] - mx) * (ry[i] - my);
    sxx += (rx[i] - mx) * (rx[i] - mx);
    syy += (ry[i] - my) * (ry[i] - my);
  }
  return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : 0.0;
}

namespace {

std::string lower_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// Looks a word up as written, then lower-cased; -1 if absent or beyond restrict_vocab.
int32_t lookup(const KeyedVectors& kv, const std::string& w, int64_t restrict_vocab = 0) {
  int32_t id = kv.find(w);
  if (id < 0) id = kv.find(lower_ascii(w));
  if (restrict_vocab > 0 && id >= restrict_vocab) return -1;
  return id;
}

std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : line) {
    if (c == '\t' || c == ' ' || c == ',' || c == '\r') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::ifstream open_or_throw(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw_error(ErrorKind::Io, "{}: cannot open file", path);
  return in;
}

}  // namespace

WordPairResult evaluate_word_pairs(const KeyedVectors& kv, const std::string& path) {
  auto in = open_or_throw(path);
  WordPairResult r;
  r.name = path.substr(path.find_last_of('/') + 1);
  std::vector<double> human, model;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // UTF-8 BOM (Korean WS-353)
    if (line.empty() || line[0] == '#') continue;
    const auto f = split_fields(line);
    if (f.size() < 3) continue;
    double score;
    auto res = std::from_chars(f[2].data(), f[2].data() + f[2].size(), score);
    if (res.ec != std::errc()) continue;  // a header line
    ++r.pairs;
    const int32_t a = lookup(kv, f[0]);
    const int32_t b = lookup(kv, f[1]);
    if (a < 0 || b < 0) {
      ++r.oov;
      continue;
    }
    human.push_back(score);
    model.push_back(dot(kv.unit_vector(a), kv.unit_vector(b), kv.dim()));
  }
  ATTN_CHECK(human.size() >= 2,
             "{}: fewer than 2 of the {} pairs are in the vocabulary; cannot compute "
             "Spearman's rho",
             path, r.pairs);
  r.spearman = spearman(human, model);
  return r;
}

AnalogyResult evaluate_analogies(const KeyedVectors& kv, const std::string& path, AnalogyMethod method,
                                 int64_t restrict_vocab) {
  auto in = open_or_throw(path);
  AnalogyResult r;
  r.method = method;
  struct Question {
    size_t section;
    int32_t id[4];
  };
  std::vector<Question> questions;
  std::string line;
  while (std::getline(in, line)) {
    const auto f = split_fields(line);
    if (f.empty()) continue;
    if (f[0] == ":") {
      r.sections.push_back({f.size() > 1 ? f[1] : std::string("?")});
      continue;
    }
    if (f.size() < 4) continue;
    if (r.sections.empty()) r.sections.push_back({"(none)"});
    Question q{r.sections.size() - 1, {}};
    for (int i = 0; i < 4; ++i) q.id[i] = lookup(kv, f[i], restrict_vocab);
    questions.push_back(q);
  }
  // The questions are independent: score them in parallel (each is a scan over restrict_vocab rows).
  r.predictions.assign(questions.size(), -1);
  const int64_t n = static_cast<int64_t>(questions.size());
#pragma omp parallel for schedule(dynamic, 16)
  for (int64_t i = 0; i < n; ++i) {
    const auto& q = questions[i];
    if (q.id[0] < 0 || q.id[1] < 0 || q.id[2] < 0 || q.id[3] < 0) continue;
    const auto best = kv.analogy(q.id[0], q.id[1], q.id[2], 1, method, restrict_vocab);
    if (!best.empty()) r.predictions[i] = best[0].id;
  }
  for (int64_t i = 0; i < n; ++i) {
    const auto& q = questions[i];
    AnalogySection& sec = r.sections[q.section];
    ++sec.questions;
    if (q.id[0] < 0 || q.id[1] < 0 || q.id[2] < 0 || q.id[3] < 0) continue;
    ++sec.seen;
    if (r.predictions[i] == q.id[3]) ++sec.correct;
  }
  for (const auto& sec : r.sections) {
    // Google's syntactic sections are "gram1-…"; the Korean set's are "syn1_…".
    const bool syntactic = sec.name.rfind("gram", 0) == 0 || sec.name.rfind("syn", 0) == 0;
    AnalogySection& group = syntactic ? r.syntactic : r.semantic;
    for (AnalogySection* g : {&group, &r.total}) {
      g->questions += sec.questions;
      g->seen += sec.seen;
      g->correct += sec.correct;
    }
  }
  return r;
}

}  // namespace attn::embed
