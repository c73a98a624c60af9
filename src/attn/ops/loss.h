// attn/ops/loss.h — training losses identical to torch.nn.functional: cross_entropy (class-index targets,
// ignore_index, label_smoothing), nll_loss, mse_loss; mean / sum / none reductions.
//
// cross_entropy is composed as nll(log_softmax(logits, 1)) (STYLE P5): log_softmax from ops/softmax.h, then
// one NLL kernel that also carries PyTorch's label-smoothing term, so its gradient is two exact pieces.
#pragma once

#include <cstdint>

#include "attn/tensor/tensor.h"

namespace attn {

enum class Reduction { None, Mean, Sum };

struct CrossEntropyOptions {
  int64_t ignore_index = -100;   // positions whose target equals it add nothing and are not counted
  double label_smoothing = 0.0;  // ε in [0, 1]
  Reduction reduction = Reduction::Mean;
};

struct NllLossOptions {
  int64_t ignore_index = -100;
  Reduction reduction = Reduction::Mean;
};

// logits: (N, C) or (N, C, d1, …) or (C); targets: int64 (N) or (N, d1, …) or () with values in [0, C) or
// ignore_index. Per position, with logp = log_softmax(logits, 1) and t its target (PyTorch 1.13's
// cross_entropy_loss_label_smoothing):
//   loss = (1 − ε)·(−logp[t]) + (ε / C)·Σ_c (−logp[c]),   0 where t == ignore_index
// Mean divides the sum by the number of non-ignored positions (NaN if there are none, as torch); Sum adds;
// None returns the (N, d1, …) losses.
// https://pytorch.org/docs/stable/generated/torch.nn.functional.cross_entropy.html
Tensor cross_entropy(const Tensor& logits, const Tensor& targets, const CrossEntropyOptions& options = {});

namespace detail {
// cross_entropy as log_softmax (ops/softmax.h) followed by the smoothed NLL op: same contract, the oracle.
Tensor cross_entropy_composed(const Tensor& logits, const Tensor& targets,
                              const CrossEntropyOptions& options = {});
}  // namespace detail

// Same, on log-probabilities and without smoothing: loss = −logp[t].   torch.nn.functional.nll_loss
Tensor nll_loss(const Tensor& log_probs, const Tensor& targets, const NllLossOptions& options = {});

// (x − y)² elementwise, then the reduction (Mean over all elements); x and y of one shape and dtype; both
// receive gradients.   torch.nn.functional.mse_loss
Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean);

}  // namespace attn
