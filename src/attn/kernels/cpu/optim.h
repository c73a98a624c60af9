// attn/kernels/cpu/optim.h — optimizer updates on raw parameter/gradient/state buffers, element by element.
//
// Each kernel updates n elements of one parameter in place, performing the float operations in the order
// torch.optim's single-tensor implementation does (torch/optim/{sgd,adam,adamw}.py at v1.13.1), so that
// results agree with PyTorch to a few ulps. Scalars derived from the step count (bias corrections, step
// size) are computed by the caller in double, as Python does, and passed in. Instantiated for float and
// double; the loops are plain and vectorise, and parallel_for splits large parameters across threads.
#pragma once

#include <cstdint>

namespace attn::kernels {

struct SgdScalars {
  double lr = 0, momentum = 0, dampening = 0, weight_decay = 0;
  bool nesterov = false;
  bool maximize = false;
  bool first_step = false;  // the momentum buffer is initialised to d_p (torch.clone(d_p)) on the first step
};

// d_p = g (+ wd·p); buf = d_p on the first step, else buf = momentum·buf + (1 − dampening)·d_p;
// d_p = nesterov ? d_p + momentum·buf : buf; p −= lr·d_p.  buf may be null when momentum == 0.
template <typename T>
void sgd_step(T* p, const T* g, T* buf, int64_t n, const SgdScalars& s);  // p, g, buf: (n)

struct AdamScalars {
  double lr = 0, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0;
  double bias_correction1 = 1, bias_correction2_sqrt = 1;  // 1 − β₁ᵗ and √(1 − β₂ᵗ)
  bool decoupled = false;  // AdamW: p *= 1 − lr·wd before the update, instead of g += wd·p
  bool amsgrad = false;
  bool maximize = false;
};

// Adam / AdamW (Kingma & Ba 2015; Loshchilov & Hutter 2019), torch's formulation:
//   m = β₁m + (1−β₁)g;  v = β₂v + (1−β₂)g²;  v̂max = max(v̂max, v) if amsgrad
//   p = p − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + eps)          — eps added after the bias correction
// vmax may be null unless amsgrad.
template <typename T>
void adam_step(T* p, const T* g, T* m, T* v, T* vmax, int64_t n, const AdamScalars& s);  // all (n)

// Σ |g|^p accumulated in double (clip_grad_norm_); p = 2 is Σ g².
template <typename T>
double sum_abs_pow(const T* g, int64_t n, double p);  // g: (n)
// max |g| (0 for n = 0)
template <typename T>
double max_abs(const T* g, int64_t n);  // g: (n)

// g *= scale
template <typename T>
void scale_(T* g, int64_t n, T scale);  // g: (n)

}  // namespace attn::kernels
