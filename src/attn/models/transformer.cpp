// models::Transformer — embeddings, encoder, decoder and generator wired as in Figure 1 of the paper.
#include "attn/models/transformer.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "attn/nn/init.h"
#include "attn/ops/binary.h"
#include "attn/ops/loss.h"
#include "attn/ops/shape.h"
#include "attn/tensor/creation.h"

namespace attn::models {

nn::TransformerLayerOptions TransformerConfig::layer_options() const {
  return {.d_model = d_model,
          .nhead = nhead,
          .dim_feedforward = dim_feedforward,
          .dropout = dropout,
          .activation = activation,
          .layer_norm_eps = layer_norm_eps,
          .norm_first = norm_first};
}

void TransformerConfig::to_json(nlohmann::json& j) const {
  j = {{"model_type", "transformer"},
       {"src_vocab_size", src_vocab_size},
       {"tgt_vocab_size", tgt_vocab_size},
       {"d_model", d_model},
       {"nhead", nhead},
       {"num_encoder_layers", num_encoder_layers},
       {"num_decoder_layers", num_decoder_layers},
       {"dim_feedforward", dim_feedforward},
       {"dropout", dropout},
       {"activation", activation == nn::Activation::ReLU ? "relu" : "gelu"},
       {"layer_norm_eps", layer_norm_eps},
       {"norm_first", norm_first},
       {"share_embeddings", share_embeddings},
       {"tie_output", tie_output},
       {"learned_positions", learned_positions},
       {"max_len", max_len},
       {"pad_id", pad_id},
       {"bos_id", bos_id},
       {"eos_id", eos_id}};
}

TransformerConfig TransformerConfig::from_json(const nlohmann::json& j) {
  TransformerConfig c;
  for (const auto& [key, v] : j.items()) {
    if (key == "model_type")
      continue;
    else if (key == "src_vocab_size")
      c.src_vocab_size = v.get<int64_t>();
    else if (key == "tgt_vocab_size")
      c.tgt_vocab_size = v.get<int64_t>();
    else if (key == "d_model")
      c.d_model = v.get<int64_t>();
    else if (key == "nhead")
      c.nhead = v.get<int64_t>();
    else if (key == "num_encoder_layers")
      c.num_encoder_layers = v.get<int64_t>();
    else if (key == "num_decoder_layers")
      c.num_decoder_layers = v.get<int64_t>();
    else if (key == "dim_feedforward")
      c.dim_feedforward = v.get<int64_t>();
    else if (key == "dropout")
      c.dropout = v.get<double>();
    else if (key == "layer_norm_eps")
      c.layer_norm_eps = v.get<double>();
    else if (key == "norm_first")
      c.norm_first = v.get<bool>();
    else if (key == "share_embeddings")
      c.share_embeddings = v.get<bool>();
    else if (key == "tie_output")
      c.tie_output = v.get<bool>();
    else if (key == "learned_positions")
      c.learned_positions = v.get<bool>();
    else if (key == "max_len")
      c.max_len = v.get<int64_t>();
    else if (key == "pad_id")
      c.pad_id = v.get<int64_t>();
    else if (key == "bos_id")
      c.bos_id = v.get<int64_t>();
    else if (key == "eos_id")
      c.eos_id = v.get<int64_t>();
    else if (key == "activation") {
      const auto a = v.get<std::string>();
      ATTN_CHECK(a == "relu" || a == "gelu",
                 "TransformerConfig: activation must be \"relu\" or \"gelu\", got \"{}\"", a);
      c.activation = a == "relu" ? nn::Activation::ReLU : nn::Activation::GELU;
    } else {
      throw_error(ErrorKind::Format, "TransformerConfig: unknown key \"{}\"", key);
    }
  }
  return c;
}

static std::shared_ptr<nn::PositionalEncoding> make_positions(const TransformerConfig& c, Generator& gen) {
  if (c.learned_positions)
    return std::make_shared<nn::LearnedPositionalEncoding>(c.d_model, c.dropout, c.max_len, gen);
  return std::make_shared<nn::SinusoidalPositionalEncoding>(c.d_model, c.dropout, c.max_len, gen);
}

Transformer::Transformer(const TransformerConfig& c, Generator& gen)
    : config(c),
      src_embed(std::make_shared<nn::Embedding>(c.src_vocab_size, c.d_model, c.pad_id, gen)),
      tgt_embed(c.share_embeddings
                    ? src_embed
                    : std::make_shared<nn::Embedding>(c.tgt_vocab_size, c.d_model, c.pad_id, gen)),
      pos_encoding(make_positions(c, gen)),
      encoder(c.layer_options(), c.num_encoder_layers, true, gen),
      decoder(c.layer_options(), c.num_decoder_layers, true, gen),
      generator(c.d_model, c.tgt_vocab_size, true, gen) {
  ATTN_CHECK(!c.share_embeddings || c.src_vocab_size == c.tgt_vocab_size,
             "Transformer: share_embeddings needs equal vocabularies, got {} and {}", c.src_vocab_size,
             c.tgt_vocab_size);
  register_module("src_embed", *src_embed);
  if (!c.share_embeddings) register_module("tgt_embed", *tgt_embed);
  register_module("pos_encoding", *pos_encoding);
  register_module("encoder", encoder);
  register_module("decoder", decoder);
  register_module("generator", generator);
  // "Initialize parameters with Glorot / fan_avg" (the Annotated Transformer's make_model; torch.nn.
  // Transformer._reset_parameters does the same for its own matrices), then re-zero the [PAD] rows.
  for (auto& [name, p] : named_parameters()) {
    if (p.dim() > 1) nn::init::xavier_uniform_(p, 1.0, gen);
  }
  for (nn::Embedding* e : {src_embed.get(), tgt_embed.get()}) {
    if (e->padding_idx) nn::init::zeros_(select(e->weight.detach(), 0, *e->padding_idx));
  }
  if (c.tie_output) generator.weight = tgt_embed->weight;  // one tensor, two names (as torch's tying)
}

Tensor Transformer::embed(nn::Embedding& table, const Tensor& ids, int64_t offset) {
  // "In the embedding layers, we multiply those weights by √d_model" (§3.4).
  Tensor x = mul(table.forward(ids), std::sqrt(static_cast<double>(config.d_model)));  // (B, T, C)
  return pos_encoding->forward(x, offset);
}

Tensor Transformer::src_mask(const Tensor& src) const { return nn::padding_mask(src, config.pad_id); }

Tensor Transformer::tgt_mask(const Tensor& tgt) const {
  return nn::combine_masks(nn::padding_mask(tgt, config.pad_id), nn::causal_mask(tgt.size(1)));
}

Tensor Transformer::encode(const Tensor& src, AttentionMaps* maps) {
  return encoder.forward(embed(*src_embed, src, 0), src_mask(src), maps ? &maps->encoder_self : nullptr);
}

Tensor Transformer::decode(const Tensor& tgt, const Tensor& memory, const Tensor& smask,
                           AttentionMaps* maps) {
  return decoder.forward(embed(*tgt_embed, tgt, 0), memory, tgt_mask(tgt), smask, nullptr,
                         maps ? &maps->decoder_self : nullptr, maps ? &maps->decoder_cross : nullptr);
}

Tensor Transformer::forward(const Tensor& src, const Tensor& tgt, AttentionMaps* maps) {
  Tensor memory = encode(src, maps);                                   // (B, S, C)
  return generator.forward(decode(tgt, memory, src_mask(src), maps));  // (B, T, V)
}

Tensor Transformer::loss(const Tensor& src, const Tensor& tgt_in, const Tensor& tgt_out, double eps) {
  Tensor logits = forward(src, tgt_in);  // (B, T, V)
  const int64_t V = logits.size(2);
  // torch's label smoothing spreads ε over all V classes, [PAD] included; the Annotated Transformer's
  // LabelSmoothing gives [PAD] none. We keep torch's (ops/loss.h), the reference of our fixtures.
  return cross_entropy(reshape(logits, {-1, V}), reshape(tgt_out, {-1}),
                       {.ignore_index = config.pad_id, .label_smoothing = eps});
}

Tensor Transformer::decode_step(const Tensor& last, const Tensor& memory, const Tensor& memory_mask,
                                std::vector<nn::DecoderLayerCache>& cache, int64_t position) {
  ATTN_CHECK(last.dim() == 2 && last.size(1) == 1,
             "Transformer::decode_step: expected last ids (N, 1), got {}", shape_str(last.shape()));
  // Only the new step is computed; the causal mask is implicit (the cache holds steps ≤ position), and
  // decoded tokens are never [PAD] keys that must be hidden — finished hypotheses are simply ignored.
  Tensor x = embed(*tgt_embed, last, position);                                 // (N, 1, C)
  Tensor h = decoder.forward(x, memory, Tensor(), memory_mask, &cache);         // (N, 1, C)
  return reshape(generator.forward(h), {last.size(0), config.tgt_vocab_size});  // (N, V)
}

std::map<std::string, Tensor> from_torch_state_dict(const std::map<std::string, Tensor>& torch_sd) {
  return nn::from_torch_transformer_state_dict(torch_sd);
}

}  // namespace attn::models
