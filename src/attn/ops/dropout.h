// attn/ops/dropout.h — inverted dropout, seeded by an attn::Generator.
#pragma once

#include "attn/core/rng.h"
#include "attn/tensor/tensor.h"

namespace attn {

// Training: y = x ⊙ m / (1 − p), each m_i ~ Bernoulli(1 − p) drawn from `gen` in row-major order, so the
// expectation of y is x; the mask is saved for backward (dx = dy ⊙ m / (1 − p)). Eval or p = 0: y is x
// itself. p = 1: y = x·0 (zeros), as torch. p outside [0, 1] is an error. The stream is attn's, not torch's:
// tests compare distributions. https://pytorch.org/docs/stable/generated/torch.nn.functional.dropout.html
Tensor dropout(const Tensor& x, double p, bool training, Generator& gen = default_generator());

}  // namespace attn
