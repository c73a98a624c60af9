// BertModel — the modules of modeling_bert.py (transformers 4.46.3) in HF's order of operations, and the
// loader for HF checkpoint directories.
#include "attn/models/bert.h"

#include <omp.h>

#include <algorithm>
#include <filesystem>
#include <limits>

#include "attn/autograd/grad_mode.h"
#include "attn/core/parallel_tasks.h"
#include "attn/core/threads.h"
#include "attn/io/safetensors.h"
#include "attn/nn/attention.h"
#include "attn/nn/init.h"
#include "attn/ops/activation.h"
#include "attn/ops/attention.h"
#include "attn/ops/binary.h"
#include "attn/ops/shape.h"
#include "attn/tensor/copy.h"
#include "attn/tensor/creation.h"

namespace attn::models {

// ---- embeddings ----

BertEmbeddings::BertEmbeddings(const BertConfig& c, Generator& gen)
    : word_embeddings(c.vocab_size, c.hidden_size, c.pad_token_id, gen),
      position_embeddings(c.max_position_embeddings, c.hidden_size, std::nullopt, gen),
      token_type_embeddings(c.type_vocab_size, c.hidden_size, std::nullopt, gen),
      LayerNorm(c.hidden_size, c.layer_norm_eps),
      dropout(c.hidden_dropout_prob, gen) {
  register_module("word_embeddings", word_embeddings);
  register_module("position_embeddings", position_embeddings);
  register_module("token_type_embeddings", token_type_embeddings);
  register_module("LayerNorm", LayerNorm);
  register_module("dropout", dropout);
}

Tensor BertEmbeddings::forward(const Tensor& input_ids, const Tensor& token_type_ids) {
  const int64_t T = input_ids.size(1);
  ATTN_CHECK(T <= position_embeddings.num_embeddings,
             "BertModel: sequence length {} exceeds max_position_embeddings {} (truncate the input)", T,
             position_embeddings.num_embeddings);
  const Tensor position_ids = arange(T);  // (T), broadcast over B
  // HF adds in this order: (word + token_type) + position.
  Tensor x =
      add(word_embeddings.forward(input_ids), token_type_embeddings.forward(token_type_ids));  // (B,T,C)
  x = add(x, position_embeddings.forward(position_ids));                                       // (B,T,C)
  return dropout.forward(LayerNorm.forward(x));
}

// ---- attention ----

BertSelfAttention::BertSelfAttention(const BertConfig& c, Generator& gen)
    : num_attention_heads(c.num_attention_heads),
      attention_head_size(c.head_size()),
      query(c.hidden_size, c.hidden_size, true, gen),
      key(c.hidden_size, c.hidden_size, true, gen),
      value(c.hidden_size, c.hidden_size, true, gen),
      dropout(c.attention_probs_dropout_prob, gen),
      gen_(&gen) {
  register_module("query", query);
  register_module("key", key);
  register_module("value", value);
  register_module("dropout", dropout);
}

Tensor BertSelfAttention::forward(const Tensor& x, const Tensor& mask) {
  const int64_t B = x.size(0), T = x.size(1), H = num_attention_heads, D = attention_head_size;
  // (B, T, C) → (B, T, H, D) → (B, H, T, D): HF's transpose_for_scores.
  auto heads = [&](const Tensor& y) { return permute(view(y, {B, T, H, D}), {0, 2, 1, 3}); };
  const Tensor q = heads(query.forward(x)), k = heads(key.forward(x)), v = heads(value.forward(x));
  // Inference (no graph, no dropout): the fused kernel, head by head in cache, written straight into the
  // heads-concatenated layout. Otherwise the composed op, whose dropout acts on the attention
  // probabilities (HF's self.dropout(attention_probs)).
  const bool fused = !GradMode::is_enabled() && !(is_training() && dropout.p > 0) && q.dtype() == DType::F32;
  const Tensor ctx = fused ? attention_inference(q, k, v, mask)
                           : nn::scaled_dot_product_attention(q, k, v, mask, dropout.p, is_training(), *gen_)
                                 .output;                     // (B, H, T, D)
  return reshape(permute(ctx, {0, 2, 1, 3}), {B, T, H * D});  // (B, T, C), heads concatenated
}

BertSelfOutput::BertSelfOutput(const BertConfig& c, Generator& gen)
    : dense(c.hidden_size, c.hidden_size, true, gen),
      LayerNorm(c.hidden_size, c.layer_norm_eps),
      dropout(c.hidden_dropout_prob, gen) {
  register_module("dense", dense);
  register_module("LayerNorm", LayerNorm);
  register_module("dropout", dropout);
}

Tensor BertSelfOutput::forward(const Tensor& hidden, const Tensor& input) {
  return LayerNorm.forward(add(dropout.forward(dense.forward(hidden)), input));  // post-LN residual
}

BertAttention::BertAttention(const BertConfig& c, Generator& gen) : self(c, gen), output(c, gen) {
  register_module("self", self);
  register_module("output", output);
}

Tensor BertAttention::forward(const Tensor& x, const Tensor& mask) {
  return output.forward(self.forward(x, mask), x);
}

// ---- feed-forward ----

BertIntermediate::BertIntermediate(const BertConfig& c, Generator& gen)
    : act(c.hidden_act), dense(c.hidden_size, c.intermediate_size, true, gen) {
  register_module("dense", dense);
}

Tensor hidden_activation(HiddenAct act, const Tensor& x) {
  switch (act) {
    case HiddenAct::Gelu:
      return gelu(x, GeluApprox::None);
    case HiddenAct::GeluTanh:
      return gelu(x, GeluApprox::Tanh);
    case HiddenAct::Relu:
      return relu(x);
  }
  return x;
}

Tensor BertIntermediate::forward(const Tensor& x) {
  return hidden_activation(act, dense.forward(x));  // (B, T, I)
}

BertOutput::BertOutput(const BertConfig& c, Generator& gen)
    : dense(c.intermediate_size, c.hidden_size, true, gen),
      LayerNorm(c.hidden_size, c.layer_norm_eps),
      dropout(c.hidden_dropout_prob, gen) {
  register_module("dense", dense);
  register_module("LayerNorm", LayerNorm);
  register_module("dropout", dropout);
}

Tensor BertOutput::forward(const Tensor& hidden, const Tensor& input) {
  return LayerNorm.forward(add(dropout.forward(dense.forward(hidden)), input));  // post-LN residual
}

// ---- layers, encoder, pooler ----

BertLayer::BertLayer(const BertConfig& c, Generator& gen)
    : attention(c, gen), intermediate(c, gen), output(c, gen) {
  register_module("attention", attention);
  register_module("intermediate", intermediate);
  register_module("output", output);
}

Tensor BertLayer::forward(const Tensor& x, const Tensor& mask) {
  const Tensor a = attention.forward(x, mask);        // (B, T, C)
  return output.forward(intermediate.forward(a), a);  // (B, T, C)
}

BertEncoder::BertEncoder(const BertConfig& c, Generator& gen) {
  for (int64_t i = 0; i < c.num_hidden_layers; ++i) layer.push_back(std::make_shared<BertLayer>(c, gen));
  register_module("layer", layer);
}

Tensor BertEncoder::forward(const Tensor& x, const Tensor& mask) {
  Tensor h = x;
  for (size_t i = 0; i < layer.size(); ++i) h = layer.at<BertLayer>(i).forward(h, mask);
  return h;
}

BertPooler::BertPooler(const BertConfig& c, Generator& gen) : dense(c.hidden_size, c.hidden_size, true, gen) {
  register_module("dense", dense);
}

Tensor BertPooler::forward(const Tensor& hidden) {
  return attn::tanh(dense.forward(select(hidden, 1, 0)));  // [CLS] is position 0: (B, C) → (B, C)
}

// ---- the model ----

Tensor extended_attention_mask(const Tensor& attention_mask, DType dtype) {
  ATTN_CHECK_KIND(ShapeMismatch, attention_mask.dim() == 2,
                  "BertModel: attention_mask must be (B, T), got {}", shape_str(attention_mask.shape()));
  const int64_t B = attention_mask.size(0), T = attention_mask.size(1);
  const double neg = dtype == DType::F64 ? std::numeric_limits<double>::lowest()  // torch.finfo(dtype).min
                                         : static_cast<double>(std::numeric_limits<float>::lowest());
  Tensor out = empty({B, 1, 1, T}, dtype);
  for (int64_t i = 0; i < B * T; ++i) {
    const double keep = element_as_double(attention_mask, i);
    // (1 − mask) · min: −0.0 for tokens (adds exactly nothing), min for [PAD].
    const double v = (1.0 - keep) * neg;
    if (dtype == DType::F64)
      out.data<double>()[i] = v;
    else
      out.data<float>()[i] = static_cast<float>(v);
  }
  return out;
}

BertModel::BertModel(const BertConfig& c, bool add_pooling_layer, Generator& gen)
    : config(c), embeddings(c, gen), encoder(c, gen) {
  register_module("embeddings", embeddings);
  register_module("encoder", encoder);
  if (add_pooling_layer) {
    pooler = std::make_unique<BertPooler>(c, gen);
    register_module("pooler", *pooler);
  }
}

namespace {

// Inference on a large batch. Sequences do not interact in BERT, so the encoder can run on a few whole
// sequences at a time (about kChunkRows tokens): the activations — (B·T, 1536) floats in the feed-forward
// block, 100 MB at 64 × 256 — then stay in L2/L3 instead of streaming through memory six times per layer,
// and with at least as many chunks as threads each thread takes whole chunks (no thread meets another
// inside a product). A row's bits do not depend on the rows beside it (every kernel computes a row the same
// way whatever the batch: sentence_encoder_test's alone-vs-batched check), so this equals the stacked
// forward exactly.
constexpr int64_t kChunkRows = 256;

Tensor encode_in_chunks(BertEncoder& encoder, const Tensor& x, const Tensor& mask) {
  const int64_t B = x.size(0), T = x.size(1);
  const int64_t per = std::max<int64_t>(1, kChunkRows / std::max<int64_t>(T, 1)),
                chunks = (B + per - 1) / per;
  if (chunks <= 1) return encoder.forward(x, mask);
  Tensor out = empty(x.shape(), x.dtype());
  auto run = [&](int64_t c) {
    // Grad mode is per thread: the caller's NoGradGuard does not reach the pool's threads, and without it
    // a chunk there would record a graph and miss the inference kernels (packed weights, fused attention).
    NoGradGuard no_grad;
    const int64_t b0 = c * per, nb = std::min(per, B - b0);
    const Tensor y = encoder.forward(narrow(x, 0, b0, nb), narrow(mask, 0, b0, nb));
    ATTN_CHECK(!y.requires_grad(), "BertModel: an inference chunk recorded a graph (grad mode leaked)");
    copy_(narrow(out, 0, b0, nb), y);
  };
  const int threads = get_num_threads();
  if (chunks < threads || omp_in_parallel()) {
    for (int64_t c = 0; c < chunks; ++c) run(c);
    return out;
  }
  parallel_tasks(chunks, threads, 1, run);
  return out;
}

}  // namespace

BertModelOutput BertModel::forward(const Tensor& input_ids, const Tensor& attention_mask,
                                   const Tensor& token_type_ids) {
  ATTN_CHECK_KIND(ShapeMismatch, input_ids.dim() == 2 && input_ids.dtype() == DType::I64,
                  "BertModel: input_ids must be int64 (B, T), got {} {}", dtype_name(input_ids.dtype()),
                  shape_str(input_ids.shape()));
  const int64_t B = input_ids.size(0), T = input_ids.size(1);
  for (const Tensor* t : {&attention_mask, &token_type_ids})
    ATTN_CHECK_KIND(ShapeMismatch, !t->defined() || t->shape() == Shape({B, T}),
                    "BertModel: attention_mask and token_type_ids must be (B, T) = {}, got {}",
                    shape_str(input_ids.shape()), shape_str(t->shape()));
  const Tensor types = token_type_ids.defined() ? token_type_ids : zeros({B, T}, DType::I64);
  // In the parameters' dtype (float32, or float64 after to(DType::F64)), as HF's get_extended_attention_mask.
  const Tensor mask = extended_attention_mask(attention_mask.defined() ? attention_mask : ones({B, T}),
                                              embeddings.word_embeddings.weight.dtype());

  BertModelOutput out;
  const Tensor x = embeddings.forward(input_ids, types);  // (B, T, C)
  out.last_hidden_state = !GradMode::is_enabled() && !is_training() ? encode_in_chunks(encoder, x, mask)
                                                                    : encoder.forward(x, mask);  // (B, T, C)
  if (pooler) out.pooler_output = pooler->forward(out.last_hidden_state);                        // (B, C)
  return out;
}

// ---- loading a HF checkpoint directory ----

std::string list_keys(const std::vector<std::string>& keys, size_t max_shown) {
  std::string s;
  for (size_t i = 0; i < keys.size() && i < max_shown; ++i) s += (i ? ", " : "") + keys[i];
  if (keys.size() > max_shown) s += fmt::format(", … ({} in all)", keys.size());
  return s;
}

namespace {

std::string weights_file(const std::filesystem::path& dir) {
  const auto st = dir / "model.safetensors";
  if (std::filesystem::exists(st)) return st.string();
  const bool bin = std::filesystem::exists(dir / "pytorch_model.bin");
  throw_error(ErrorKind::Io, "BertModel: {} has no model.safetensors{}", dir.string(),
              bin ? " (pytorch_model.bin is a pickle, which attn does not read: convert it with "
                    "safetensors.torch.save_file)"
                  : "");
}

}  // namespace

std::unique_ptr<BertModel> BertModel::from_pretrained(const std::string& dir_str, BertLoadInfo* info) {
  const std::filesystem::path dir(dir_str);
  ATTN_CHECK_KIND(
      Io, std::filesystem::is_directory(dir),
      "BertModel: model directory '{}' not found (for all-MiniLM-L6-v2: run scripts/setup to fetch "
      "models/all-MiniLM-L6-v2)",
      dir_str);
  ATTN_CHECK_KIND(Io, std::filesystem::exists(dir / "config.json"), "BertModel: {} has no config.json",
                  dir_str);
  const BertConfig config = BertConfig::from_file((dir / "config.json").string());
  BertLoadInfo local;
  BertLoadInfo& li = info ? *info : local;
  li.weights_path = weights_file(dir);
  const auto file = io::SafetensorsFile::open(li.weights_path);

  // Keys of BertFor… checkpoints carry the "bert." prefix of HF's base_model_prefix; heads are unused here.
  const auto names = file.names();
  li.key_prefix_bert = std::any_of(names.begin(), names.end(),
                                   [](const std::string& n) { return n.rfind("bert.embeddings.", 0) == 0; });
  const std::string prefix = li.key_prefix_bert ? "bert." : "";
  nn::StateDict sd;
  std::vector<std::string> other;
  for (const auto& name : names) {
    if (name.rfind(prefix, 0) != 0) {
      other.push_back(name);
      continue;
    }
    const std::string key = name.substr(prefix.size());
    if (key == "embeddings.position_ids") continue;  // a buffer HF ignores on load (arange, not a weight)
    sd.emplace(key, file.tensor(name));
  }
  li.has_pooler = sd.count("pooler.dense.weight") != 0;
  std::unique_ptr<BertModel> model;
  {
    nn::init::SkipInitGuard no_init;  // every parameter is loaded below (a missing one is an error)
    model = std::make_unique<BertModel>(config, li.has_pooler);
  }

  const nn::StateDict own = model->state_dict();
  std::vector<std::string> missing;
  for (const auto& [key, _] : own)
    if (!sd.count(key)) missing.push_back(prefix + key);
  ATTN_CHECK_KIND(Format, missing.empty(), "BertModel: {} lacks {} tensor(s) the config asks for: {}",
                  li.weights_path, missing.size(), list_keys(missing));
  for (auto it = sd.begin(); it != sd.end();) {
    if (own.count(it->first)) {
      ++it;
      continue;
    }
    other.push_back(prefix + it->first);
    it = sd.erase(it);
  }
  li.unused_keys = std::move(other);
  model->load_state_dict(sd, nn::Strict::Yes);  // shape mismatches: one error naming every key
  model->eval();
  return model;
}

}  // namespace attn::models
