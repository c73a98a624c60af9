// attn/models/bert_save.h — writing a Hugging Face–loadable BERT directory (what transformers'
// save_pretrained writes, and what BertModel::from_pretrained / AutoModel.from_pretrained read):
//   DIR/config.json        BertConfig::to_json()
//   DIR/model.safetensors  the state dict under HF's keys, metadata {"format": "pt"} (transformers refuses a
//                          safetensors file without it)
//   DIR/tokenizer files    copied from `tokenizer_from` when given (tokenizer.json, vocab.txt,
//                          tokenizer_config.json, special_tokens_map.json — those that exist)
// The directory is built as DIR.tmp and swapped in whole (io::replace_directory): a crash never leaves a
// half-written model behind.
//
//   models::save_pretrained("runs/sst2", model.config, model.state_dict(), "models/all-MiniLM-L6-v2");
#pragma once

#include <map>
#include <string>

#include "attn/models/bert_config.h"
#include "attn/tensor/tensor.h"

namespace attn::models {

// `tensors` must be float32 (they are written contiguous). Tied weights the caller wants HF to re-tie
// (cls.predictions.decoder.weight) are simply left out of `tensors`, as save_pretrained does.
void save_pretrained(const std::string& dir, const BertConfig& config,
                     const std::map<std::string, Tensor>& tensors, const std::string& tokenizer_from = "");

}  // namespace attn::models
