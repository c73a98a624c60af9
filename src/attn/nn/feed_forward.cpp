// nn::FeedForward — linear2(dropout(act(linear1(x)))).
#include "attn/nn/feed_forward.h"

#include "attn/ops/activation.h"

namespace attn::nn {

FeedForward::FeedForward(int64_t C, int64_t F, double p, Activation act, Generator& gen)
    : activation(act), linear1(C, F, true, gen), dropout(p, gen), linear2(F, C, true, gen) {
  register_module("linear1", linear1);
  register_module("dropout", dropout);
  register_module("linear2", linear2);
}

Tensor FeedForward::forward(const Tensor& x) {
  Tensor h = linear1.forward(x);  // (B, T, F)
  h = activation == Activation::ReLU ? relu(h) : gelu(h);
  return linear2.forward(dropout.forward(h));  // (B, T, C)
}

}  // namespace attn::nn
