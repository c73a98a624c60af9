#include "attn/viz/pca.h"

#include <cmath>

#include "attn/core/error.h"

namespace attn::viz {

namespace {

// Orthonormalises the k rows of Q (k, D) in place (modified Gram–Schmidt).
void orthonormalise(std::vector<double>& Q, int64_t k, int64_t D) {
  for (int64_t i = 0; i < k; ++i) {
    double* qi = Q.data() + i * D;
    for (int64_t j = 0; j < i; ++j) {
      const double* qj = Q.data() + j * D;
      double p = 0;
      for (int64_t d = 0; d < D; ++d) p += qi[d] * qj[d];
      for (int64_t d = 0; d < D; ++d) qi[d] -= p * qj[d];
    }
    double n = 0;
    for (int64_t d = 0; d < D; ++d) n += qi[d] * qi[d];
    n = std::sqrt(n);
    for (int64_t d = 0; d < D; ++d) qi[d] = n > 0 ? qi[d] / n : (d == i ? 1.0 : 0.0);
  }
}

}  // namespace

PcaResult pca(const float* x, int64_t N, int64_t D, int64_t k) {
  ATTN_CHECK(N >= 2, "pca: need at least 2 points, got {}", N);
  ATTN_CHECK(k >= 1 && k <= std::min(N, D), "pca: k must be in [1, min(N, D) = {}], got {}", std::min(N, D),
             k);
  // Xc (N, D): centred copy in double.
  std::vector<double> xc(N * D), mean(D, 0.0);
  for (int64_t n = 0; n < N; ++n)
    for (int64_t d = 0; d < D; ++d) mean[d] += x[n * D + d];
  for (auto& m : mean) m /= static_cast<double>(N);
  for (int64_t n = 0; n < N; ++n)
    for (int64_t d = 0; d < D; ++d) xc[n * D + d] = x[n * D + d] - mean[d];
  // cov (D, D) = Xcᵀ Xc / (N − 1)
  std::vector<double> cov(D * D, 0.0);
  for (int64_t n = 0; n < N; ++n) {
    const double* r = xc.data() + n * D;
    for (int64_t i = 0; i < D; ++i)
      for (int64_t j = 0; j < D; ++j) cov[i * D + j] += r[i] * r[j];
  }
  for (auto& c : cov) c /= static_cast<double>(N - 1);
  // Orthogonal iteration: Q ← orth(Q · cov) until the subspace stops moving.
  std::vector<double> Q(k * D), Z(k * D);
  for (int64_t i = 0; i < k; ++i)
    for (int64_t d = 0; d < D; ++d)
      Q[i * D + d] = std::sin(1.0 + 0.37 * d + 1.91 * i);  // fixed, generic start
  orthonormalise(Q, k, D);
  for (int iter = 0; iter < 3000; ++iter) {
    for (int64_t i = 0; i < k; ++i)
      for (int64_t j = 0; j < D; ++j) {
        double s = 0;
        for (int64_t d = 0; d < D; ++d) s += Q[i * D + d] * cov[d * D + j];
        Z[i * D + j] = s;
      }
    orthonormalise(Z, k, D);
    double change = 0;
    for (int64_t i = 0; i < k * D; ++i) change = std::max(change, std::abs(std::abs(Z[i]) - std::abs(Q[i])));
    Q.swap(Z);
    if (change < 1e-13) break;
  }
  PcaResult r;
  r.k = k;
  r.components = Q;
  r.explained_variance.resize(k);
  for (int64_t i = 0; i < k; ++i) {
    double* q = r.components.data() + i * D;
    int64_t big = 0;
    for (int64_t d = 1; d < D; ++d)
      if (std::abs(q[d]) > std::abs(q[big])) big = d;
    if (q[big] < 0)
      for (int64_t d = 0; d < D; ++d) q[d] = -q[d];
    double ev = 0;  // qᵀ cov q
    for (int64_t a = 0; a < D; ++a)
      for (int64_t b = 0; b < D; ++b) ev += q[a] * cov[a * D + b] * q[b];
    r.explained_variance[i] = ev;
  }
  r.projection.assign(N * k, 0.0);
  for (int64_t n = 0; n < N; ++n)
    for (int64_t i = 0; i < k; ++i) {
      double s = 0;
      for (int64_t d = 0; d < D; ++d) s += xc[n * D + d] * r.components[i * D + d];
      r.projection[n * k + i] = s;
    }
  return r;
}

}  // namespace attn::viz
