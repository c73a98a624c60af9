#include "attn/embed/word2vec.h"

#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <thread>

#include "attn/core/error.h"
#include "attn/core/threads.h"
#include "attn/embed/progress.h"
#include "attn/embed/sampling.h"
#include "attn/embed/simd.h"
#include "attn/embed/token_reader.h"
#include "attn/embed/vocab.h"

namespace attn::embed {

const char* model_name(Word2VecModel model) { return model == Word2VecModel::SkipGram ? "skipgram" : "cbow"; }

namespace {

constexpr size_t kMaxSentence = 1000;  // word2vec.c's MAX_SENTENCE_LENGTH

// Everything the threads share. Weights are written without locks (Hogwild): races only lose an update now
// and then, which SGD does not notice.
struct Shared {
  const Word2VecOptions& opt;
  const std::string& input;
  const Vocab& vocab;
  std::vector<uint32_t> keep_threshold;  // (V) subsampling, see subsample_threshold
  UnigramSampler negatives;              // unigram^0.75 distribution of negative samples
  HuffmanTree tree;
  SigmoidTable sigmoid;
  std::vector<float> syn0;     // (V, D) input vectors
  std::vector<float> syn1neg;  // (V, D) output vectors for negative sampling
  std::vector<float> syn1;     // (V-1, D) inner nodes of the Huffman tree
  float alpha0 = 0;
  int64_t total_work = 0;  // epochs · train_words: the denominator of the lr schedule
  std::atomic<int64_t> words_done{0};
  std::atomic<int> running{0};
  std::exception_ptr error;  // the first exception a worker thread threw (rethrown by train_word2vec)
  std::mutex error_mutex;

  Shared(const Word2VecOptions& o, const std::string& in, const Vocab& v) : opt(o), input(in), vocab(v) {}

  float current_alpha() const {
    const double progress =
        static_cast<double>(words_done.load(std::memory_order_relaxed)) / (total_work + 1);
    return std::max(alpha0 * static_cast<float>(1 - progress), alpha0 * 1e-4f);
  }
};

// One (input row, target word) step of hierarchical softmax and/or negative sampling: accumulates the
// gradient for the input row into neu1e and updates the output rows in place (word2vec.c's inner loops).
//   neg: g = (label − σ(l1·syn1neg[t]))·α,  neu1e += g·syn1neg[t],  syn1neg[t] += g·l1
//   hs:  g = (1 − code − σ(l1·syn1[p]))·α,  neu1e += g·syn1[p],     syn1[p] += g·l1
void train_target(Shared& s, const float* l1, int32_t word, float alpha, float* neu1e, Lcg& rng) {
  const int64_t D = s.opt.dim;
  if (s.opt.hs) {
    const auto& code = s.tree.codes[word];
    const auto& point = s.tree.points[word];
    for (size_t d = 0; d < code.size(); ++d) {
      float* l2 = s.syn1.data() + static_cast<int64_t>(point[d]) * D;
      const float f = dot(l1, l2, D);
      if (f <= -kMaxExp || f >= kMaxExp) continue;
      const float g = (1.0f - code[d] - s.sigmoid(f)) * alpha;
      axpy(g, l2, neu1e, D);
      axpy(g, l1, l2, D);
    }
  }
  for (int d = 0; d < s.opt.negative + 1 && s.opt.negative > 0; ++d) {
    int32_t target = word;
    float label = 1.0f;
    if (d > 0) {
      target = s.negatives(mix64(rng.next()));
      if (target == word) continue;
      label = 0.0f;
    }
    float* l2 = s.syn1neg.data() + static_cast<int64_t>(target) * D;
    const float f = dot(l1, l2, D);
    float g;
    if (f > kMaxExp) {
      g = (label - 1) * alpha;
    } else if (f < -kMaxExp) {
      g = label * alpha;
    } else {
      g = (label - s.sigmoid(f)) * alpha;
    }
    axpy(g, l2, neu1e, D);
    axpy(g, l1, l2, D);
  }
}

// Skip-gram: every context word's input row predicts the centre word (word2vec.c's orientation).
void train_skipgram(Shared& s, const std::vector<int32_t>& sen, float alpha, float* neu1e, Lcg& rng) {
  const int64_t D = s.opt.dim;
  const int window = s.opt.window;
  const int n = static_cast<int>(sen.size());
  for (int pos = 0; pos < n; ++pos) {
    const int b = static_cast<int>(mix64(rng.next()) % window);  // random window reduction
    for (int a = b; a < window * 2 + 1 - b; ++a) {
      const int c = pos - window + a;
      if (a == window || c < 0 || c >= n) continue;
      float* l1 = s.syn0.data() + static_cast<int64_t>(sen[c]) * D;
      std::fill(neu1e, neu1e + D, 0.0f);
      train_target(s, l1, sen[pos], alpha, neu1e, rng);
      axpy(1.0f, neu1e, l1, D);
    }
  }
}

// CBOW: the mean of the context rows predicts the centre word; each context row gets the whole gradient.
void train_cbow(Shared& s, const std::vector<int32_t>& sen, float alpha, float* neu1, float* neu1e,
                Lcg& rng) {
  const int64_t D = s.opt.dim;
  const int window = s.opt.window;
  const int n = static_cast<int>(sen.size());
  for (int pos = 0; pos < n; ++pos) {
    const int b = static_cast<int>(mix64(rng.next()) % window);
    std::fill(neu1, neu1 + D, 0.0f);
    int cw = 0;
    for (int a = b; a < window * 2 + 1 - b; ++a) {
      const int c = pos - window + a;
      if (a == window || c < 0 || c >= n) continue;
      axpy(1.0f, s.syn0.data() + static_cast<int64_t>(sen[c]) * D, neu1, D);
      ++cw;
    }
    if (cw == 0) continue;
    const float inv = 1.0f / static_cast<float>(cw);
    for (int64_t d = 0; d < D; ++d) neu1[d] *= inv;
    std::fill(neu1e, neu1e + D, 0.0f);
    train_target(s, neu1, sen[pos], alpha, neu1e, rng);
    for (int a = b; a < window * 2 + 1 - b; ++a) {
      const int c = pos - window + a;
      if (a == window || c < 0 || c >= n) continue;
      axpy(1.0f, neu1e, s.syn0.data() + static_cast<int64_t>(sen[c]) * D, D);
    }
  }
}

// Reads the next sentence (up to a newline or kMaxSentence kept words) of the thread's range, dropping
// out-of-vocabulary words and subsampling frequent ones. Returns the number of in-vocabulary words read, or
// -1 at the end of the range.
int64_t read_sentence(Shared& s, TokenReader& reader, std::vector<int32_t>& sen, Lcg& rng) {
  sen.clear();
  int64_t read = 0;
  std::string_view tok;
  while (true) {
    const auto kind = reader.next(tok);
    if (kind == TokenReader::Kind::EndOfRange) return sen.empty() && read == 0 ? -1 : read;
    if (kind == TokenReader::Kind::EndOfLine) {
      if (read > 0) return read;
      continue;
    }
    const int32_t id = s.vocab.find(tok);
    if (id < 0) continue;
    ++read;
    const uint32_t thr = s.keep_threshold[id];
    if (thr < 65536 && (mix64(rng.next()) >> 48) > thr) continue;
    sen.push_back(id);
    if (sen.size() >= kMaxSentence) return read;
  }
}

void train_range(Shared& s, int tid, int64_t begin, int64_t end) {
  TokenReader reader(s.input, begin, end);
  Lcg rng{s.opt.seed + static_cast<uint64_t>(tid)};
  std::vector<int32_t> sen;
  sen.reserve(kMaxSentence);
  std::vector<float> neu1(s.opt.dim), neu1e(s.opt.dim);
  for (int epoch = 0; epoch < s.opt.epochs; ++epoch) {
    if (epoch > 0) reader.rewind();
    int64_t read;
    while ((read = read_sentence(s, reader, sen, rng)) >= 0) {
      s.words_done.fetch_add(read, std::memory_order_relaxed);
      const float alpha = s.current_alpha();
      if (s.opt.model == Word2VecModel::SkipGram) {
        train_skipgram(s, sen, alpha, neu1e.data(), rng);
      } else {
        train_cbow(s, sen, alpha, neu1.data(), neu1e.data(), rng);
      }
    }
  }
}

// A thread body must not throw (std::terminate): keep the first error for the caller.
void train_thread(Shared& s, int tid, int64_t begin, int64_t end) {
  try {
    train_range(s, tid, begin, end);
  } catch (...) {
    std::lock_guard<std::mutex> lock(s.error_mutex);
    if (!s.error) s.error = std::current_exception();
  }
  s.running.fetch_sub(1);
}

void check_options(const Word2VecOptions& o) {
  ATTN_CHECK(o.dim > 0, "word2vec: -dim must be positive, got {}", o.dim);
  ATTN_CHECK(o.window > 0, "word2vec: -window must be positive, got {}", o.window);
  ATTN_CHECK(o.negative >= 0, "word2vec: -neg must be >= 0, got {}", o.negative);
  ATTN_CHECK(o.negative > 0 || o.hs, "word2vec: use negative sampling (-neg N > 0) or -hs 1, or both");
  ATTN_CHECK(o.sample >= 0, "word2vec: -sample must be >= 0, got {}", o.sample);
  ATTN_CHECK(o.epochs > 0, "word2vec: -epoch must be positive, got {}", o.epochs);
  ATTN_CHECK(o.min_count >= 1, "word2vec: -min-count must be >= 1, got {}", o.min_count);
  ATTN_CHECK(o.threads >= 0, "word2vec: -threads must be >= 0, got {}", o.threads);
}

void init_weights(Shared& s) {
  const int64_t V = s.vocab.size();
  const int64_t D = s.opt.dim;
  s.syn0.resize(V * D);
  Lcg rng{s.opt.seed};  // word2vec.c InitNet: uniform in [-0.5, 0.5) / D
  for (auto& x : s.syn0) x = ((static_cast<float>(mix64(rng.next()) >> 48) / 65536.0f) - 0.5f) / D;
  if (s.opt.negative > 0) {
    s.syn1neg.assign(V * D, 0.0f);
    s.negatives = UnigramSampler(s.vocab.counts);
  }
  if (s.opt.hs) {
    s.syn1.assign(std::max<int64_t>(V - 1, 1) * D, 0.0f);
    s.tree = make_huffman_tree(s.vocab.counts);
  }
  s.keep_threshold.resize(V);
  for (int64_t i = 0; i < V; ++i)
    s.keep_threshold[i] = subsample_threshold(s.vocab.counts[i], s.opt.sample, s.vocab.total_words);
}

void report(Shared& s, Progress& progress, int threads) {
  const auto start = std::chrono::steady_clock::now();
  while (s.running.load() > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double done = static_cast<double>(s.words_done.load());
    progress.update(done / s.total_work, fmt::format("words/s/thread {}  lr {:.6f}",
                                                     human_rate(done / secs / threads), s.current_alpha()));
  }
}

}  // namespace

Word2VecResult train_word2vec(const std::string& input, const Word2VecOptions& opt) {
  check_options(opt);
  const auto t0 = std::chrono::steady_clock::now();
  Progress progress(model_name(opt.model), opt.progress);
  const Vocab vocab = build_vocab(input, opt.min_count);
  const auto t1 = std::chrono::steady_clock::now();
  Shared s(opt, input, vocab);
  s.alpha0 = opt.alpha > 0 ? opt.alpha : (opt.model == Word2VecModel::SkipGram ? 0.025f : 0.05f);
  s.total_work = opt.epochs * vocab.total_words;
  init_weights(s);

  const int threads = opt.threads > 0 ? opt.threads : get_num_threads();
  const int64_t size = TokenReader::file_size(input);
  s.running = threads;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back(train_thread, std::ref(s), t, size * t / threads, size * (t + 1) / threads);
  }
  report(s, progress, threads);
  for (auto& w : workers) w.join();
  if (s.error) std::rethrow_exception(s.error);
  const auto t2 = std::chrono::steady_clock::now();

  Word2VecResult result;
  result.stats.vocab_size = vocab.size();
  result.stats.corpus_words = vocab.corpus_words;
  result.stats.trained_words = s.words_done.load();
  result.stats.vocab_seconds = std::chrono::duration<double>(t1 - t0).count();
  result.stats.train_seconds = std::chrono::duration<double>(t2 - t1).count();
  progress.finish(fmt::format(
      "{} words, vocabulary {}, {} epochs, {} threads: {:.1f}s, {} words/s ({} per "
      "thread)",
      vocab.corpus_words, vocab.size(), opt.epochs, threads, result.stats.train_seconds,
      human_rate(result.stats.words_per_second()), human_rate(result.stats.words_per_second() / threads)));
  result.vectors = KeyedVectors(vocab.words, opt.dim, std::move(s.syn0));
  return result;
}

}  // namespace attn::embed
