// nn::Dropout — the module's training flag decides, ops/dropout does the work.
#include "attn/nn/dropout.h"

#include "attn/ops/dropout.h"

namespace attn::nn {

Dropout::Dropout(double p_, Generator& gen) : p(p_), gen_(&gen) {
  ATTN_CHECK(p >= 0 && p <= 1, "Dropout: probability has to be between 0 and 1, but got {}", p);
}

Tensor Dropout::forward(const Tensor& x) { return dropout(x, p, is_training(), *gen_); }

}  // namespace attn::nn
