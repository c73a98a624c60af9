// attn/viz/pca.h — principal component analysis of a few hundred vectors, to draw them in 2-D.
//
// X (N, D) is centred; the top-k eigenvectors of its covariance Xcᵀ·Xc / (N − 1) are found by orthogonal
// (subspace) iteration in double precision, and each row is projected onto them: Y = Xc · V (N, k). Each
// component's sign is fixed so that its largest-magnitude coordinate is positive (numpy's SVD may differ in
// sign; compare up to sign).
#pragma once

#include <cstdint>
#include <vector>

namespace attn::viz {

struct PcaResult {
  int64_t k = 0;
  std::vector<double> projection;          // (N, k)
  std::vector<double> components;          // (k, D), unit rows
  std::vector<double> explained_variance;  // (k) eigenvalues of the covariance
};

// Throws attn::Error if N < 2 or k is not in [1, min(N, D)].
PcaResult pca(const float* x, int64_t N, int64_t D, int64_t k = 2);

}  // namespace attn::viz
