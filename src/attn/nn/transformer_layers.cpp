// nn::TransformerEncoderLayer / DecoderLayer and their stacks — torch.nn.modules.transformer (v1.13.1) line
// for line: _sa_block, _mha_block and _ff_block each end in their own dropout before the residual sum.
#include "attn/nn/transformer_layers.h"

#include "attn/ops/binary.h"

namespace attn::nn {

TransformerEncoderLayer::TransformerEncoderLayer(const TransformerLayerOptions& o, Generator& gen)
    : norm_first(o.norm_first),
      self_attn(o.d_model, o.nhead, o.dropout, true, gen),
      feed_forward(o.d_model, o.dim_feedforward, o.dropout, o.activation, gen),
      norm1(o.d_model, o.layer_norm_eps),
      norm2(o.d_model, o.layer_norm_eps),
      dropout1(o.dropout, gen),
      dropout2(o.dropout, gen) {
  register_module("self_attn", self_attn);
  register_module("feed_forward", feed_forward);
  register_module("norm1", norm1);
  register_module("norm2", norm2);
  register_module("dropout1", dropout1);
  register_module("dropout2", dropout2);
}

Tensor TransformerEncoderLayer::forward(const Tensor& x, const Tensor& mask, Tensor* weights) {
  auto sa_block = [&](const Tensor& h) {  // (B, S, C)
    auto a = self_attn.forward(h, h, h, mask);
    if (weights != nullptr) *weights = a.weights;
    return dropout1.forward(a.output);
  };
  auto ff_block = [&](const Tensor& h) { return dropout2.forward(feed_forward.forward(h)); };
  if (norm_first) {
    Tensor y = add(x, sa_block(norm1.forward(x)));
    return add(y, ff_block(norm2.forward(y)));
  }
  Tensor y = norm1.forward(add(x, sa_block(x)));
  return norm2.forward(add(y, ff_block(y)));
}

TransformerDecoderLayer::TransformerDecoderLayer(const TransformerLayerOptions& o, Generator& gen)
    : norm_first(o.norm_first),
      self_attn(o.d_model, o.nhead, o.dropout, true, gen),
      multihead_attn(o.d_model, o.nhead, o.dropout, true, gen),
      feed_forward(o.d_model, o.dim_feedforward, o.dropout, o.activation, gen),
      norm1(o.d_model, o.layer_norm_eps),
      norm2(o.d_model, o.layer_norm_eps),
      norm3(o.d_model, o.layer_norm_eps),
      dropout1(o.dropout, gen),
      dropout2(o.dropout, gen),
      dropout3(o.dropout, gen) {
  register_module("self_attn", self_attn);
  register_module("multihead_attn", multihead_attn);
  register_module("feed_forward", feed_forward);
  register_module("norm1", norm1);
  register_module("norm2", norm2);
  register_module("norm3", norm3);
  register_module("dropout1", dropout1);
  register_module("dropout2", dropout2);
  register_module("dropout3", dropout3);
}

Tensor TransformerDecoderLayer::forward(const Tensor& x, const Tensor& memory, const Tensor& tgt_mask,
                                        const Tensor& memory_mask, DecoderLayerCache* cache,
                                        Tensor* self_weights, Tensor* cross_weights) {
  auto sa_block = [&](const Tensor& h) {  // (B, T, C)
    auto a = self_attn.forward(h, h, h, tgt_mask, cache ? &cache->self_attn : nullptr, false);
    if (self_weights != nullptr) *self_weights = a.weights;
    return dropout1.forward(a.output);
  };
  auto mha_block = [&](const Tensor& h) {  // queries from the decoder, keys/values from the encoder
    auto a =
        multihead_attn.forward(h, memory, memory, memory_mask, cache ? &cache->cross_attn : nullptr, true);
    if (cross_weights != nullptr) *cross_weights = a.weights;
    return dropout2.forward(a.output);
  };
  auto ff_block = [&](const Tensor& h) { return dropout3.forward(feed_forward.forward(h)); };
  if (norm_first) {
    Tensor y = add(x, sa_block(norm1.forward(x)));
    y = add(y, mha_block(norm2.forward(y)));
    return add(y, ff_block(norm3.forward(y)));
  }
  Tensor y = norm1.forward(add(x, sa_block(x)));
  y = norm2.forward(add(y, mha_block(y)));
  return norm3.forward(add(y, ff_block(y)));
}

TransformerEncoder::TransformerEncoder(const TransformerLayerOptions& o, int64_t num_layers, bool final_norm,
                                       Generator& gen) {
  for (int64_t i = 0; i < num_layers; ++i)
    layers.push_back(std::make_shared<TransformerEncoderLayer>(o, gen));
  register_module("layers", layers);
  if (final_norm) {
    norm = std::make_shared<LayerNorm>(o.d_model, o.layer_norm_eps);
    register_module("norm", *norm);
  }
}

Tensor TransformerEncoder::forward(const Tensor& x, const Tensor& mask, std::vector<Tensor>* weights) {
  Tensor h = x;  // (B, S, C)
  if (weights != nullptr) weights->assign(layers.size(), Tensor());
  for (size_t i = 0; i < layers.size(); ++i)
    h = layer(i).forward(h, mask, weights ? &(*weights)[i] : nullptr);
  return norm ? norm->forward(h) : h;
}

TransformerDecoder::TransformerDecoder(const TransformerLayerOptions& o, int64_t num_layers, bool final_norm,
                                       Generator& gen) {
  for (int64_t i = 0; i < num_layers; ++i)
    layers.push_back(std::make_shared<TransformerDecoderLayer>(o, gen));
  register_module("layers", layers);
  if (final_norm) {
    norm = std::make_shared<LayerNorm>(o.d_model, o.layer_norm_eps);
    register_module("norm", *norm);
  }
}

Tensor TransformerDecoder::forward(const Tensor& x, const Tensor& memory, const Tensor& tgt_mask,
                                   const Tensor& memory_mask, std::vector<DecoderLayerCache>* cache,
                                   std::vector<Tensor>* self_weights, std::vector<Tensor>* cross_weights) {
  const size_t n = layers.size();
  if (cache != nullptr && cache->size() != n) cache->resize(n);
  if (self_weights != nullptr) self_weights->assign(n, Tensor());
  if (cross_weights != nullptr) cross_weights->assign(n, Tensor());
  Tensor h = x;  // (B, T, C)
  for (size_t i = 0; i < n; ++i) {
    h = layer(i).forward(h, memory, tgt_mask, memory_mask, cache ? &(*cache)[i] : nullptr,
                         self_weights ? &(*self_weights)[i] : nullptr,
                         cross_weights ? &(*cross_weights)[i] : nullptr);
  }
  return norm ? norm->forward(h) : h;
}

std::map<std::string, Tensor> from_torch_transformer_state_dict(
    const std::map<std::string, Tensor>& torch_sd) {
  std::map<std::string, Tensor> out;
  for (const auto& [name, t] : unpack_in_proj(torch_sd)) {
    std::string n = name;
    for (const char* lin : {"linear1.", "linear2."}) {
      const auto at = n.find(lin);
      // "<layer>.linear1.weight" → "<layer>.feed_forward.linear1.weight" ("linear1.weight" at the top, too)
      if (at != std::string::npos && (at == 0 || n[at - 1] == '.'))
        n = n.substr(0, at) + "feed_forward." + n.substr(at);
    }
    out[n] = t;
  }
  return out;
}

}  // namespace attn::nn
