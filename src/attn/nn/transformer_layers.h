// attn/nn/transformer_layers.h — the encoder and decoder layers of the Transformer (Vaswani et al. 2017,
// §3.1, Figure 1) and their stacks, structured as torch.nn.TransformerEncoderLayer/DecoderLayer (v1.13.1).
//
// Post-LN (the paper, norm_first = false): x = LayerNorm(x + Dropout(Sublayer(x)))
// Pre-LN (norm_first = true, Xiong et al. 2020): x = x + Dropout(Sublayer(LayerNorm(x)))
// Keys equal torch's except that MultiheadAttention's packed in_proj is split (multi_head_attention.h) and
// the feed-forward linear1/linear2 live under feed_forward.* (see models/transformer.h for the key map).
#pragma once

#include <memory>
#include <vector>

#include "attn/nn/container.h"
#include "attn/nn/dropout.h"
#include "attn/nn/feed_forward.h"
#include "attn/nn/layer_norm.h"
#include "attn/nn/multi_head_attention.h"

namespace attn::nn {

struct TransformerLayerOptions {
  int64_t d_model = 512;
  int64_t nhead = 8;
  int64_t dim_feedforward = 2048;
  double dropout = 0.1;  // P_drop = 0.1 for the base model (§5.4)
  Activation activation = Activation::ReLU;
  double layer_norm_eps = 1e-5;
  bool norm_first = false;
};

// Self-attention, then the feed-forward network, each in a residual block. Keys: self_attn.*,
// feed_forward.*, norm1.*, norm2.*.
class TransformerEncoderLayer : public Module {
 public:
  explicit TransformerEncoderLayer(const TransformerLayerOptions& o, Generator& gen = default_generator());
  std::string type_name() const override { return "TransformerEncoderLayer"; }
  // x: (B, S, C); mask: Bool broadcastable to (B, H, S, S) (usually the source padding mask (B, 1, 1, S)).
  // weights (optional) receives the self-attention probabilities (B, H, S, S).
  Tensor forward(const Tensor& x, const Tensor& mask = Tensor(), Tensor* weights = nullptr);

  bool norm_first;
  MultiHeadAttention self_attn;
  FeedForward feed_forward;
  LayerNorm norm1, norm2;
  Dropout dropout1, dropout2;
};

// The cache of one decoder layer during incremental decoding.
struct DecoderLayerCache {
  KVCache self_attn;   // grows by one step per call
  KVCache cross_attn;  // the encoder output's keys/values, projected once
};

// Masked self-attention, attention over the encoder output ("encoder-decoder attention", §3.2.3), then the
// feed-forward network. Keys: self_attn.*, multihead_attn.*, feed_forward.*, norm1–3.*.
class TransformerDecoderLayer : public Module {
 public:
  explicit TransformerDecoderLayer(const TransformerLayerOptions& o, Generator& gen = default_generator());
  std::string type_name() const override { return "TransformerDecoderLayer"; }
  // x: (B, T, C), memory: (B, S, C); tgt_mask broadcastable to (B, H, T, T) (causal ∧ padding), memory_mask
  // to (B, H, T, S). With a cache, x holds only the new steps and tgt_mask covers (new steps × all steps).
  Tensor forward(const Tensor& x, const Tensor& memory, const Tensor& tgt_mask = Tensor(),
                 const Tensor& memory_mask = Tensor(), DecoderLayerCache* cache = nullptr,
                 Tensor* self_weights = nullptr, Tensor* cross_weights = nullptr);

  bool norm_first;
  MultiHeadAttention self_attn, multihead_attn;
  FeedForward feed_forward;
  LayerNorm norm1, norm2, norm3;
  Dropout dropout1, dropout2, dropout3;
};

// N encoder layers and an optional final LayerNorm (torch.nn.Transformer always adds it; with pre-LN it is
// needed, since the last residual sum is otherwise never normalised). Keys: layers.<i>.*, norm.*.
class TransformerEncoder : public Module {
 public:
  TransformerEncoder(const TransformerLayerOptions& o, int64_t num_layers, bool final_norm = true,
                     Generator& gen = default_generator());
  std::string type_name() const override { return "TransformerEncoder"; }
  // weights (optional) receives each layer's self-attention probabilities.
  Tensor forward(const Tensor& x, const Tensor& mask = Tensor(), std::vector<Tensor>* weights = nullptr);
  TransformerEncoderLayer& layer(size_t i) const { return layers.at<TransformerEncoderLayer>(i); }

  ModuleList layers;
  std::shared_ptr<LayerNorm> norm;  // null without final_norm
};

class TransformerDecoder : public Module {
 public:
  TransformerDecoder(const TransformerLayerOptions& o, int64_t num_layers, bool final_norm = true,
                     Generator& gen = default_generator());
  std::string type_name() const override { return "TransformerDecoder"; }
  // cache (optional): one entry per layer (resized on first use).
  Tensor forward(const Tensor& x, const Tensor& memory, const Tensor& tgt_mask = Tensor(),
                 const Tensor& memory_mask = Tensor(), std::vector<DecoderLayerCache>* cache = nullptr,
                 std::vector<Tensor>* self_weights = nullptr, std::vector<Tensor>* cross_weights = nullptr);
  TransformerDecoderLayer& layer(size_t i) const { return layers.at<TransformerDecoderLayer>(i); }

  ModuleList layers;
  std::shared_ptr<LayerNorm> norm;
};

// torch.nn.Transformer* keys → attn keys: MultiheadAttention's packed in_proj split into q/k/v_proj
// (unpack_in_proj) and "<layer>.linear1|linear2.*" → "<layer>.feed_forward.linear1|linear2.*"; all other
// names (layers.<i>.norm1.weight, norm.bias, self_attn.out_proj.weight, …) are already torch's.
std::map<std::string, Tensor> from_torch_transformer_state_dict(
    const std::map<std::string, Tensor>& torch_sd);

}  // namespace attn::nn
