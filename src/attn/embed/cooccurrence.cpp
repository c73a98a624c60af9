#include "attn/embed/cooccurrence.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <queue>

#include "attn/core/error.h"
#include "attn/core/rng.h"
#include "attn/embed/token_reader.h"

namespace attn::embed {

namespace {

// A buffered increment: key = w1 << 32 | w2 sorts by (w1, w2).
struct Entry {
  uint64_t key;
  double x;
};

std::FILE* open_or_throw(const std::string& path, const char* mode) {
  std::FILE* f = std::fopen(path.c_str(), mode);
  if (!f) throw_error(ErrorKind::Io, "{}: cannot open file: {}", path, std::strerror(errno));
  return f;
}

void write_records(std::FILE* f, const CoocRecord* r, size_t n, const std::string& path) {
  if (std::fwrite(r, sizeof(CoocRecord), n, f) != n)
    throw_error(ErrorKind::Io, "{}: write failed: {}", path, std::strerror(errno));
}

CoocRecord to_record(const Entry& e) {
  return {static_cast<int32_t>(e.key >> 32), static_cast<int32_t>(e.key & 0xFFFFFFFFu), e.x};
}

// Sorts the buffer and sums entries with equal keys in place.
void sort_and_combine(std::vector<Entry>& buf) {
  std::sort(buf.begin(), buf.end(), [](const Entry& a, const Entry& b) { return a.key < b.key; });
  size_t out = 0;
  for (size_t i = 0; i < buf.size(); ++i) {
    if (out > 0 && buf[out - 1].key == buf[i].key) {
      buf[out - 1].x += buf[i].x;
    } else {
      buf[out++] = buf[i];
    }
  }
  buf.resize(out);
}

std::string temp_name(const std::string& dir, const char* what, int64_t n) {
  return fmt::format("{}/attn_{}_{}_{}.bin", dir, what, static_cast<long>(getpid()), n);
}

// Buffered sequential reader of a record file (merge input).
class RecordReader {
 public:
  explicit RecordReader(const std::string& path) : f_(open_or_throw(path, "rb")), buf_(1 << 14) {}
  ~RecordReader() { std::fclose(f_); }
  bool next(CoocRecord& r) {
    if (pos_ == len_) {
      len_ = std::fread(buf_.data(), sizeof(CoocRecord), buf_.size(), f_);
      pos_ = 0;
      if (len_ == 0) return false;
    }
    r = buf_[pos_++];
    return true;
  }

 private:
  std::FILE* f_;
  std::vector<CoocRecord> buf_;
  size_t pos_ = 0, len_ = 0;
};

// k-way merge of sorted spill files into `output`, summing equal (w1, w2).
int64_t merge_spills(const std::vector<std::string>& spills, const std::string& output) {
  std::vector<std::unique_ptr<RecordReader>> readers;
  using Item = std::pair<uint64_t, size_t>;  // (key, reader)
  std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
  std::vector<CoocRecord> head(spills.size());
  for (size_t i = 0; i < spills.size(); ++i) {
    readers.push_back(std::make_unique<RecordReader>(spills[i]));
    if (readers[i]->next(head[i]))
      heap.push({(uint64_t(uint32_t(head[i].w1)) << 32) | uint32_t(head[i].w2), i});
  }
  std::FILE* out = open_or_throw(output, "wb");
  std::vector<CoocRecord> pending;
  int64_t records = 0;
  uint64_t last_key = ~0ull;
  while (!heap.empty()) {
    const auto [key, i] = heap.top();
    heap.pop();
    if (key == last_key) {
      pending.back().x += head[i].x;
    } else {
      if (pending.size() >= 4096) {
        write_records(out, pending.data(), pending.size(), output);
        pending.clear();
      }
      pending.push_back(head[i]);
      last_key = key;
      ++records;
    }
    if (readers[i]->next(head[i]))
      heap.push({(uint64_t(uint32_t(head[i].w1)) << 32) | uint32_t(head[i].w2), i});
  }
  write_records(out, pending.data(), pending.size(), output);
  std::fclose(out);
  return records;
}

}  // namespace

CooccurrenceStats count_cooccurrences(const std::string& input, const Vocab& vocab,
                                      const CooccurrenceOptions& opt, const std::string& output) {
  ATTN_CHECK(opt.window > 0, "glove: -window must be positive, got {}", opt.window);
  const size_t capacity = std::max<size_t>(1024, static_cast<size_t>(opt.memory_bytes) / sizeof(Entry));
  std::vector<Entry> buf;
  buf.reserve(std::min<size_t>(capacity, size_t{1} << 20));  // grows on demand up to the budget
  std::vector<std::string> spills;
  CooccurrenceStats stats;
  auto flush = [&](bool final) {
    sort_and_combine(buf);
    if (!final && buf.size() < capacity / 2) return;  // room left after combining: keep accumulating
    spills.push_back(temp_name(opt.temp_dir, "cooc", static_cast<int64_t>(spills.size())));
    std::FILE* f = open_or_throw(spills.back(), "wb");
    std::vector<CoocRecord> recs(buf.size());
    for (size_t i = 0; i < buf.size(); ++i) recs[i] = to_record(buf[i]);
    write_records(f, recs.data(), recs.size(), spills.back());
    std::fclose(f);
    buf.clear();
  };
  std::vector<int32_t> history;  // the current line's in-vocabulary words
  TokenReader reader(input);
  std::string_view tok;
  for (auto kind = reader.next(tok); kind != TokenReader::Kind::EndOfRange; kind = reader.next(tok)) {
    if (kind == TokenReader::Kind::EndOfLine) {
      history.clear();
      continue;
    }
    const int32_t w2 = vocab.find(tok);
    if (w2 < 0) continue;  // out-of-vocabulary words are dropped before windowing, as in cooccur.c
    const int64_t j = static_cast<int64_t>(history.size());
    for (int64_t k = std::max<int64_t>(0, j - opt.window); k < j; ++k) {
      const double weight = opt.distance_weighting ? 1.0 / static_cast<double>(j - k) : 1.0;
      const uint64_t w1 = static_cast<uint32_t>(history[k]);
      if (buf.size() + 2 > capacity) flush(false);
      buf.push_back({(w1 << 32) | static_cast<uint32_t>(w2), weight});
      if (opt.symmetric) buf.push_back({(uint64_t(uint32_t(w2)) << 32) | w1, weight});
      stats.increments += opt.symmetric ? 2 : 1;
    }
    history.push_back(w2);
  }
  flush(true);
  stats.spills = static_cast<int64_t>(spills.size());
  stats.records = merge_spills(spills, output);
  for (const auto& s : spills) std::remove(s.c_str());
  return stats;
}

std::vector<CoocRecord> read_cooccurrences(const std::string& path) {
  std::vector<CoocRecord> all;
  RecordReader reader(path);
  CoocRecord r;
  while (reader.next(r)) all.push_back(r);
  return all;
}

void shuffle_cooccurrences(const std::string& input, const std::string& output, int64_t memory_bytes,
                           uint64_t seed, const std::string& temp_dir) {
  // A chunk never exceeds the input: buf is value-initialised, so a budget-sized chunk would be resident even
  // for a small file. The output is unchanged (with fewer records than the budget there is one part either
  // way).
  const size_t records = static_cast<size_t>(TokenReader::file_size(input)) / sizeof(CoocRecord);
  const size_t chunk =
      std::min(std::max<size_t>(1024, static_cast<size_t>(memory_bytes) / sizeof(CoocRecord)),
               std::max<size_t>(1, records));
  Generator gen(seed);
  auto shuffle = [&](std::vector<CoocRecord>& v) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[gen.randint(i)]);
  };
  // Pass 1: shuffle each chunk of `chunk` records into its own temporary file.
  std::vector<std::string> parts;
  std::vector<CoocRecord> buf(chunk);
  std::FILE* in = open_or_throw(input, "rb");
  size_t n;
  while ((n = std::fread(buf.data(), sizeof(CoocRecord), chunk, in)) > 0) {
    buf.resize(n);
    shuffle(buf);
    parts.push_back(temp_name(temp_dir, "shuf", static_cast<int64_t>(parts.size())));
    std::FILE* f = open_or_throw(parts.back(), "wb");
    write_records(f, buf.data(), n, parts.back());
    std::fclose(f);
    buf.resize(chunk);
  }
  std::fclose(in);
  // Pass 2: repeatedly take chunk/k records from each part, shuffle them together and append to the output.
  std::FILE* out = open_or_throw(output, "wb");
  std::vector<std::FILE*> files;
  for (const auto& p : parts) files.push_back(open_or_throw(p, "rb"));
  const size_t piece = std::max<size_t>(1, chunk / std::max<size_t>(1, parts.size()));
  while (true) {
    buf.clear();
    for (std::FILE* f : files) {
      const size_t old = buf.size();
      buf.resize(old + piece);
      buf.resize(old + std::fread(buf.data() + old, sizeof(CoocRecord), piece, f));
    }
    if (buf.empty()) break;
    shuffle(buf);
    write_records(out, buf.data(), buf.size(), output);
  }
  std::fclose(out);
  for (std::FILE* f : files) std::fclose(f);
  for (const auto& p : parts) std::remove(p.c_str());
}

}  // namespace attn::embed
