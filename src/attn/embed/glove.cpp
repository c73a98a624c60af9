#include "attn/embed/glove.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <thread>

#include "attn/core/error.h"
#include "attn/core/rng.h"
#include "attn/core/threads.h"
#include "attn/embed/cooccurrence.h"
#include "attn/embed/progress.h"
#include "attn/embed/simd.h"

namespace attn::embed {

namespace {
constexpr float kGradClip = 100.0f;  // glove.c's grad_clip_value
constexpr int64_t kMaxDim = 4096;

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}
}  // namespace

double glove_adagrad_step(float* w, float* c, float* gw, float* gc, int64_t D, double x, double x_max,
                          double alpha, double eta) {
  const double diff = static_cast<double>(dot(w, c, D)) + w[D] + c[D] - std::log(x);
  double fdiff = x > x_max ? diff : std::pow(x / x_max, alpha) * diff;
  if (!std::isfinite(diff) || !std::isfinite(fdiff)) return 0.0;
  const double cost = 0.5 * fdiff * diff;
  fdiff *= eta;
  const float fd = static_cast<float>(fdiff);
  float uw[kMaxDim], uc[kMaxDim];
#pragma omp simd
  for (int64_t b = 0; b < D; ++b) {
    const float t1 = std::clamp(fd * c[b], -kGradClip, kGradClip);  // gradient for w
    const float t2 = std::clamp(fd * w[b], -kGradClip, kGradClip);  // gradient for c
    uw[b] = t1 / std::sqrt(gw[b]);
    uc[b] = t2 / std::sqrt(gc[b]);
    gw[b] += t1 * t1;
    gc[b] += t2 * t2;
  }
  for (int64_t b = 0; b < D; ++b) {
    w[b] -= uw[b];
    c[b] -= uc[b];
  }
  w[D] -= fd / std::sqrt(gw[D]);
  c[D] -= fd / std::sqrt(gc[D]);
  gw[D] += fd * fd;
  gc[D] += fd * fd;
  return cost;
}

namespace {

struct GloveShared {
  const GloveOptions& opt;
  int64_t V;
  std::vector<float> W;       // (2V, D + 1): rows 0..V-1 words, V..2V-1 contexts; bias last
  std::vector<float> gradsq;  // (2V, D + 1), starts at 1
  std::string shuffled;
  int64_t records = 0;
  std::atomic<int64_t> done{0};
};

double train_slice(GloveShared& s, int64_t begin, int64_t end) {
  const int64_t D = s.opt.dim;
  const int64_t row = D + 1;
  std::FILE* f = std::fopen(s.shuffled.c_str(), "rb");
  if (!f) return 0.0;
  std::fseek(f, static_cast<long>(begin * sizeof(CoocRecord)), SEEK_SET);
  std::vector<CoocRecord> buf(1 << 15);
  double cost = 0;
  for (int64_t left = end - begin; left > 0;) {
    const size_t want = static_cast<size_t>(std::min<int64_t>(left, static_cast<int64_t>(buf.size())));
    const size_t n = std::fread(buf.data(), sizeof(CoocRecord), want, f);
    if (n == 0) break;
    for (size_t i = 0; i < n; ++i) {
      const int64_t l1 = static_cast<int64_t>(buf[i].w1) * row;
      const int64_t l2 = (static_cast<int64_t>(buf[i].w2) + s.V) * row;
      cost += glove_adagrad_step(s.W.data() + l1, s.W.data() + l2, s.gradsq.data() + l1, s.gradsq.data() + l2,
                                 D, buf[i].x, s.opt.x_max, s.opt.alpha, s.opt.eta);
    }
    left -= static_cast<int64_t>(n);
    s.done.fetch_add(static_cast<int64_t>(n), std::memory_order_relaxed);
  }
  std::fclose(f);
  return cost;
}

void check_options(const GloveOptions& o) {
  ATTN_CHECK(o.dim > 0 && o.dim <= kMaxDim, "glove: -dim must be in 1..{}, got {}", kMaxDim, o.dim);
  ATTN_CHECK(o.epochs > 0, "glove: -epoch must be positive, got {}", o.epochs);
  ATTN_CHECK(o.x_max > 0 && o.eta > 0, "glove: -x-max and -eta must be positive");
  ATTN_CHECK(o.memory_mb > 0, "glove: -memory must be positive (MiB), got {}", o.memory_mb);
}

}  // namespace

GloveResult train_glove(const std::string& input, const GloveOptions& opt) {
  check_options(opt);
  GloveResult result;
  GloveStats& st = result.stats;
  Progress progress("glove", opt.progress);
  auto t = std::chrono::steady_clock::now();
  const Vocab vocab = build_vocab(input, opt.min_count);
  st.vocab_seconds = seconds_since(t);
  st.vocab_size = vocab.size();
  st.corpus_words = vocab.corpus_words;

  t = std::chrono::steady_clock::now();
  const std::string cooc = fmt::format("{}/attn_glove_{}.cooc", opt.temp_dir, static_cast<long>(getpid()));
  const std::string shuf = cooc + ".shuf";
  CooccurrenceOptions co;
  co.window = opt.window;
  co.memory_bytes = opt.memory_mb << 20;
  co.temp_dir = opt.temp_dir;
  const auto cs = count_cooccurrences(input, vocab, co, cooc);
  st.nonzeros = cs.records;
  st.spills = cs.spills;
  st.cooccur_seconds = seconds_since(t);
  t = std::chrono::steady_clock::now();
  shuffle_cooccurrences(cooc, shuf, opt.memory_mb << 20, opt.seed, opt.temp_dir);
  std::remove(cooc.c_str());
  st.shuffle_seconds = seconds_since(t);

  GloveShared s{opt, vocab.size(), {}, {}, shuf, cs.records};
  const int64_t D = opt.dim, row = D + 1;
  s.W.resize(2 * s.V * row);
  Generator gen(opt.seed);  // glove.c: (rand() / RAND_MAX − 0.5) / D
  for (auto& w : s.W) w = static_cast<float>((gen.uniform() - 0.5) / static_cast<double>(D));
  s.gradsq.assign(2 * s.V * row, 1.0f);

  const int threads = opt.threads > 0 ? opt.threads : get_num_threads();
  t = std::chrono::steady_clock::now();
  for (int epoch = 0; epoch < opt.epochs; ++epoch) {
    std::vector<double> cost(threads, 0.0);
    std::vector<std::thread> workers;
    for (int k = 0; k < threads; ++k) {
      workers.emplace_back(
          [&, k] { cost[k] = train_slice(s, s.records * k / threads, s.records * (k + 1) / threads); });
    }
    while (s.done.load() < s.records * (epoch + 1) && s.records > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      const double secs = seconds_since(t);
      progress.update(static_cast<double>(s.done.load()) / (s.records * opt.epochs),
                      fmt::format("epoch {}/{}  pairs/s/thread {}", epoch + 1, opt.epochs,
                                  human_rate(s.done.load() / secs / threads)));
    }
    for (auto& w : workers) w.join();
    double total = 0;
    for (double c : cost) total += c;
    st.epoch_cost.push_back(s.records > 0 ? total / static_cast<double>(s.records) : 0.0);
  }
  std::remove(shuf.c_str());
  st.train_seconds = seconds_since(t);

  std::vector<float> out(s.V * D);
  for (int64_t i = 0; i < s.V; ++i) {
    for (int64_t d = 0; d < D; ++d) {
      out[i * D + d] = s.W[i * row + d] + (opt.sum_context ? s.W[(i + s.V) * row + d] : 0.0f);
    }
  }
  progress.finish(fmt::format(
      "{} words, vocabulary {}, {} non-zeros ({} spills); count {:.1f}s, shuffle "
      "{:.1f}s, train {:.1f}s ({} epochs, {} threads), final cost {:.4f}",
      st.corpus_words, st.vocab_size, st.nonzeros, st.spills, st.cooccur_seconds, st.shuffle_seconds,
      st.train_seconds, opt.epochs, threads, st.epoch_cost.empty() ? 0.0 : st.epoch_cost.back()));
  result.vectors = KeyedVectors(vocab.words, D, std::move(out));
  return result;
}

}  // namespace attn::embed
