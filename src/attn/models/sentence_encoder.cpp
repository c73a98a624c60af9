// SentenceEncoder — sentence-transformers' Transformer → Pooling → Normalize pipeline on attn's BertModel.
#include "attn/models/sentence_encoder.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "attn/autograd/grad_mode.h"
#include "attn/core/parallel_tasks.h"
#include "attn/core/threads.h"
#include "attn/nn/linear.h"
#include "attn/ops/shape.h"
#include "attn/tensor/creation.h"

namespace attn::models {

std::string_view pooling_name(Pooling p) {
  switch (p) {
    case Pooling::Mean:
      return "mean";
    case Pooling::Cls:
      return "cls";
    case Pooling::Max:
      return "max";
  }
  return "?";
}

Pooling pooling_from_name(const std::string& name) {
  if (name == "mean") return Pooling::Mean;
  if (name == "cls") return Pooling::Cls;
  if (name == "max") return Pooling::Max;
  throw_error(ErrorKind::Value, "SentenceEncoder: unknown pooling \"{}\" (expected mean, cls or max)", name);
}

double cosine_similarity(const float* a, const float* b, int64_t n) {
  double ab = 0, aa = 0, bb = 0;
  for (int64_t i = 0; i < n; ++i) {
    ab += static_cast<double>(a[i]) * b[i];
    aa += static_cast<double>(a[i]) * a[i];
    bb += static_cast<double>(b[i]) * b[i];
  }
  return ab / std::max(std::sqrt(aa) * std::sqrt(bb), 1e-12);
}

namespace {

nlohmann::json read_json(const std::filesystem::path& p) {
  std::ifstream in(p);
  ATTN_CHECK_KIND(Io, in.good(), "SentenceEncoder: cannot open {}", p.string());
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw_error(ErrorKind::Format, "{}: invalid JSON at byte {}: {}", p.string(), e.byte, e.what());
  }
}

// The sentence-transformers configuration of a checkpoint directory (modules.json and the files it names).
// Without modules.json, sentence-transformers wraps a plain HF model as Transformer + mean Pooling.
struct StConfig {
  Pooling pooling = Pooling::Mean;
  bool normalize = false;
  std::optional<int64_t> max_seq_length;
};

StConfig read_st_config(const std::filesystem::path& dir) {
  StConfig c;
  if (std::filesystem::exists(dir / "sentence_bert_config.json")) {
    const auto j = read_json(dir / "sentence_bert_config.json");
    if (j.contains("max_seq_length") && j["max_seq_length"].is_number_integer())
      c.max_seq_length = j["max_seq_length"].get<int64_t>();
  }
  if (!std::filesystem::exists(dir / "modules.json")) return c;
  for (const auto& m : read_json(dir / "modules.json")) {
    const std::string type = m.value("type", "");
    if (type == "sentence_transformers.models.Normalize") c.normalize = true;
    if (type != "sentence_transformers.models.Pooling") continue;
    const auto p = read_json(dir / m.value("path", "") / "config.json");
    if (p.value("pooling_mode_cls_token", false))
      c.pooling = Pooling::Cls;
    else if (p.value("pooling_mode_max_tokens", false))
      c.pooling = Pooling::Max;
    else if (p.value("pooling_mode_mean_tokens", false))
      c.pooling = Pooling::Mean;
    else
      throw_error(ErrorKind::Unsupported, "{}: no pooling mode attn supports (mean, cls, max) is set",
                  (dir / m.value("path", "") / "config.json").string());
  }
  return c;
}

text::Tokenizer load_tokenizer(const std::filesystem::path& dir) {
  if (std::filesystem::exists(dir / "tokenizer.json"))
    return text::Tokenizer::from_file((dir / "tokenizer.json").string());
  ATTN_CHECK_KIND(Io, std::filesystem::exists(dir / "vocab.txt"),
                  "SentenceEncoder: {} has neither tokenizer.json nor vocab.txt", dir.string());
  return text::Tokenizer::bert_from_vocab((dir / "vocab.txt").string());
}

// v ← v / max(‖v‖₂, 1e-12)   (torch.nn.functional.normalize, as sentence-transformers' Normalize)
void l2_normalize(std::vector<float>& v) {
  double ss = 0;
  for (float x : v) ss += static_cast<double>(x) * x;
  const float inv = static_cast<float>(1.0 / std::max(std::sqrt(ss), 1e-12));
  for (float& x : v) x *= inv;
}

}  // namespace

SentenceEncoder::SentenceEncoder(std::unique_ptr<BertModel> bert, text::Tokenizer tokenizer,
                                 text::Tokenizer truncating, Pooling pooling, bool normalize,
                                 int64_t max_seq_length, const SentenceEncoderOptions& o)
    : bert_(std::move(bert)),
      tokenizer_(std::move(tokenizer)),
      truncating_(std::move(truncating)),
      pooling_(pooling),
      normalize_(normalize),
      max_seq_length_(max_seq_length),
      options_(o) {
  // The encoder only serves inference: pack every weight once (same bits; each text runs alone, so the
  // weights would otherwise be packed again for every text — 40 % of the time at 128 tokens).
  nn::prepack_linears(*bert_);
}

SentenceEncoder SentenceEncoder::from_pretrained(const std::string& dir_str,
                                                 const SentenceEncoderOptions& o) {
  const std::filesystem::path dir(dir_str);
  auto bert = BertModel::from_pretrained(dir_str);  // names a missing directory, with the setup hint
  const StConfig st = read_st_config(dir);
  const int64_t max_len =
      std::min(o.max_seq_length.value_or(st.max_seq_length.value_or(bert->config.max_position_embeddings)),
               bert->config.max_position_embeddings);
  ATTN_CHECK(max_len >= 3, "SentenceEncoder: max_seq_length {} leaves no room for text", max_len);
  ATTN_CHECK(!o.chunk || (o.chunk_overlap >= 0 && o.chunk_overlap < max_len - 2),
             "SentenceEncoder: chunk_overlap {} must be in [0, {})", o.chunk_overlap, max_len - 2);
  text::Tokenizer tok = load_tokenizer(dir), truncating = load_tokenizer(dir);
  tok.set_truncation(std::nullopt);
  tok.set_padding(std::nullopt);
  text::TruncationParams t;
  t.max_length = static_cast<size_t>(max_len);
  t.stride = o.chunk ? static_cast<size_t>(o.chunk_overlap) : 0;
  truncating.set_truncation(t);
  truncating.set_padding(std::nullopt);
  return SentenceEncoder(std::move(bert), std::move(tok), std::move(truncating),
                         o.pooling.value_or(st.pooling), o.normalize.value_or(st.normalize), max_len, o);
}

namespace {

// Mean (over the tokens), [CLS] or max of h: (T, C) → (C), accumulated in double in token order.
std::vector<float> pool(const float* h, int64_t T, int64_t C, Pooling p) {
  std::vector<float> v(static_cast<size_t>(C));
  for (int64_t c = 0; c < C; ++c) {
    double acc = p == Pooling::Max ? -INFINITY : 0.0;
    if (p == Pooling::Cls) acc = h[c];
    for (int64_t t = 0; p != Pooling::Cls && t < T; ++t)
      acc = p == Pooling::Max ? std::max(acc, static_cast<double>(h[t * C + c])) : acc + h[t * C + c];
    v[static_cast<size_t>(c)] = static_cast<float>(p == Pooling::Mean ? acc / static_cast<double>(T) : acc);
  }
  return v;
}

}  // namespace

// Every window runs through the model alone, at its own length (B = 1, no [PAD], no mask). OpenBLAS's sgemm
// gives a row bits that depend on how many rows the product has (measured: a row of an (8, 384) product
// differs in the last bit from the same row inside a (16, 384) one), so stacking texts into one (B·T, C)
// matrix would make a text's vector depend on its batch; running it alone makes it bit-for-bit the same in
// any batch and with any thread count. With at least as many windows as threads, the windows are spread over
// the threads and each runs single-threaded inside (no nested OpenMP); with fewer (one query, the service
// case), they run in turn and the kernels use the threads — attn's kernels give the same bits at any thread
// count, which tests/models/sentence_encoder_test.cpp checks for the whole encoder.
std::vector<std::vector<float>> SentenceEncoder::embed_windows(
    const std::vector<text::Encoding>& windows) const {
  const int64_t C = dimension();
  std::vector<std::vector<float>> pooled(windows.size());
  auto embed_one = [&](size_t i) {
    NoGradGuard no_grad;  // grad mode is per thread
    const auto& e = windows[i];
    const auto T = static_cast<int64_t>(e.size());
    const std::vector<int64_t> ids(e.ids.begin(), e.ids.end()), types(e.type_ids.begin(), e.type_ids.end());
    const Tensor h =
        bert_->forward(from_vector(ids, {1, T}), Tensor(), from_vector(types, {1, T})).last_hidden_state;
    pooled[i] = pool(contiguous(h).data<float>(), T, C, pooling_);  // h: (1, T, C)
  };
  const int threads = get_num_threads();
  if (static_cast<int64_t>(windows.size()) < threads) {
    for (size_t i = 0; i < windows.size(); ++i) embed_one(i);
    return pooled;
  }
  parallel_tasks(static_cast<int64_t>(windows.size()), threads, 1,
                 [&](int64_t i) { embed_one(static_cast<size_t>(i)); });
  return pooled;
}

EncodeResult SentenceEncoder::encode(const std::vector<std::string>& texts) const {
  EncodeResult r;
  const auto encodings = tokenizer_.encode_batch(texts);
  std::vector<text::Encoding> windows;
  std::vector<size_t> owner;  // window → text
  r.num_windows.assign(texts.size(), 1);
  for (size_t i = 0; i < texts.size(); ++i) {
    const auto n = static_cast<int64_t>(encodings[i].size());
    if (n <= max_seq_length_) {
      windows.push_back(encodings[i]);
      owner.push_back(i);
      continue;
    }
    text::Encoding cut = truncating_.encode(texts[i]);  // the first max_seq_length tokens, [SEP] last
    std::vector<text::Encoding> rest = std::move(cut.overflowing);
    cut.overflowing.clear();
    windows.push_back(std::move(cut));
    owner.push_back(i);
    if (!options_.chunk) {
      r.truncated.push_back({i, n, max_seq_length_});
      continue;
    }
    for (auto& w : rest) {  // overlapping windows, each with its own [CLS] … [SEP]
      windows.push_back(std::move(w));
      owner.push_back(i);
    }
    r.num_windows[i] = static_cast<int64_t>(rest.size()) + 1;
  }
  const auto pooled = embed_windows(windows);
  const int64_t C = dimension();
  std::vector<std::vector<double>> sums(texts.size(), std::vector<double>(static_cast<size_t>(C), 0.0));
  for (size_t w = 0; w < windows.size(); ++w)
    for (int64_t c = 0; c < C; ++c)
      sums[owner[w]][static_cast<size_t>(c)] += pooled[w][static_cast<size_t>(c)];
  std::vector<float> out;
  out.reserve(texts.size() * static_cast<size_t>(C));
  for (size_t i = 0; i < texts.size(); ++i) {
    std::vector<float> v(static_cast<size_t>(C));
    for (int64_t c = 0; c < C; ++c)  // the mean of the windows' vectors (one window: the vector itself)
      v[static_cast<size_t>(c)] =
          static_cast<float>(sums[i][static_cast<size_t>(c)] / static_cast<double>(r.num_windows[i]));
    if (normalize_) l2_normalize(v);
    out.insert(out.end(), v.begin(), v.end());
  }
  r.embeddings = from_vector(out, {static_cast<int64_t>(texts.size()), C});
  return r;
}

}  // namespace attn::models
