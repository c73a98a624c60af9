// Optimizer kernels (see optim.h). Each line quotes the torch.optim statement it reproduces; Python scalars
// are rounded to T first, as PyTorch's CPU kernels do when a double Scalar meets a float tensor.
#include "attn/kernels/cpu/optim.h"

#include <algorithm>
#include <cmath>

#include "attn/kernels/cpu/parallel.h"

namespace attn::kernels {

namespace {
constexpr int64_t kGrain = 1 << 14;
}

template <typename T>
void sgd_step(T* p, const T* g, T* buf, int64_t n, const SgdScalars& s) {
  const T wd = static_cast<T>(s.weight_decay), mom = static_cast<T>(s.momentum);
  const T one_minus_damp = static_cast<T>(1.0 - s.dampening), neg_lr = static_cast<T>(-s.lr);
  parallel_for(n, kGrain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      T d = s.maximize ? -g[i] : g[i];
      if (s.weight_decay != 0) d = d + wd * p[i];  // d_p = d_p.add(param, alpha=weight_decay)
      if (s.momentum != 0) {
        if (s.first_step) {
          buf[i] = d;  // buf = torch.clone(d_p).detach()
        } else {
          buf[i] = buf[i] * mom;                 // buf.mul_(momentum)
          buf[i] = buf[i] + one_minus_damp * d;  //    .add_(d_p, alpha=1 - dampening)
        }
        d = s.nesterov ? d + mom * buf[i] : buf[i];  // d_p = d_p.add(buf, alpha=momentum) or buf
      }
      p[i] = p[i] + neg_lr * d;  // param.add_(d_p, alpha=-lr)
    }
  });
}

template <typename T>
void adam_step(T* p, const T* g, T* m, T* v, T* vmax, int64_t n, const AdamScalars& s) {
  const T wd = static_cast<T>(s.weight_decay), decay = static_cast<T>(1.0 - s.lr * s.weight_decay);
  const T b1 = static_cast<T>(s.beta1), one_minus_b1 = static_cast<T>(1.0 - s.beta1);
  const T b2 = static_cast<T>(s.beta2), one_minus_b2 = static_cast<T>(1.0 - s.beta2);
  const T bc2_sqrt = static_cast<T>(s.bias_correction2_sqrt), eps = static_cast<T>(s.eps);
  const T neg_step_size = static_cast<T>(-(s.lr / s.bias_correction1));
  parallel_for(n, kGrain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      T grad = s.maximize ? -g[i] : g[i];
      if (s.decoupled) {
        p[i] = p[i] * decay;  // AdamW: param.mul_(1 - lr * weight_decay)
      } else if (s.weight_decay != 0) {
        grad = grad + wd * p[i];  // Adam: grad = grad.add(param, alpha=weight_decay)
      }
      m[i] = m[i] * b1 + one_minus_b1 * grad;  // exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
      v[i] = v[i] * b2 +
             one_minus_b2 * grad * grad;  // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
      T second = v[i];
      if (s.amsgrad)
        second = vmax[i] = std::max(vmax[i], v[i]);        // torch.maximum(max_exp_avg_sqs, exp_avg_sq)
      const T denom = std::sqrt(second) / bc2_sqrt + eps;  // (v.sqrt() / bias_correction2_sqrt).add_(eps)
      p[i] = p[i] + neg_step_size * m[i] / denom;          // param.addcdiv_(exp_avg, denom, value=-step_size)
    }
  });
}

template <typename T>
double sum_abs_pow(const T* g, int64_t n, double p) {
  double sum = 0;
  if (p == 2) {
    for (int64_t i = 0; i < n; ++i) sum += static_cast<double>(g[i]) * static_cast<double>(g[i]);
  } else {
    for (int64_t i = 0; i < n; ++i) sum += std::pow(std::fabs(static_cast<double>(g[i])), p);
  }
  return sum;
}

template <typename T>
double max_abs(const T* g, int64_t n) {
  double mx = 0;
  for (int64_t i = 0; i < n; ++i) {
    const double a = std::fabs(static_cast<double>(g[i]));
    if (a > mx || std::isnan(a)) mx = a;  // NaN propagates, as torch's max
  }
  return mx;
}

template <typename T>
void scale_(T* g, int64_t n, T scale) {
  parallel_for(n, kGrain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) g[i] *= scale;
  });
}

template void sgd_step<float>(float*, const float*, float*, int64_t, const SgdScalars&);
template void sgd_step<double>(double*, const double*, double*, int64_t, const SgdScalars&);
template void adam_step<float>(float*, const float*, float*, float*, float*, int64_t, const AdamScalars&);
template void adam_step<double>(double*, const double*, double*, double*, double*, int64_t,
                                const AdamScalars&);
template double sum_abs_pow<float>(const float*, int64_t, double);
template double sum_abs_pow<double>(const double*, int64_t, double);
template double max_abs<float>(const float*, int64_t);
template double max_abs<double>(const double*, int64_t);
template void scale_<float>(float*, int64_t, float);
template void scale_<double>(double*, int64_t, double);

}  // namespace attn::kernels
