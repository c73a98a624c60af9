// attn/ops/matmul.h — matrix products with torch.matmul semantics, on BLAS (f32) or the reference (f64).
//
// Shapes, as https://pytorch.org/docs/stable/generated/torch.matmul.html:
//   (K)·(K) → ()                       dot product
//   (M, K)·(K, N) → (M, N)             matrix product
//   (K)·(…, K, N) → (…, N)             the 1-D operand is promoted to (1, K) and the 1 removed afterwards
//   (…, M, K)·(K) → (…, M)             promoted to (K, 1), removed afterwards
//   (…a, M, K)·(…b, K, N) → (…, M, N)  batch dimensions …a and …b broadcast to …
// Transposed views (x.t(), strides (1, rows)) reach BLAS as CblasTrans instead of being copied; only a view
// with neither unit stride is copied first. Backward: dA = dC·Bᵀ, dB = Aᵀ·dC, summed over broadcast batch
// dimensions, with the same no-copy transposes.
#pragma once

#include "attn/tensor/tensor.h"

namespace attn {

Tensor matmul(const Tensor& a, const Tensor& b);  // a @ b    torch.matmul

namespace detail {
// c (M, N) = op(a) · op(b), or c += … when accumulate — 2-D tensors of one floating dtype, no autograd.
// op(x) is xᵀ when the flag is set (a stride swap, no copy). c must be contiguous. The one gemm entry of the
// ops layer (matmul, linear): f32 goes to OpenBLAS sgemm, f64 to the reference kernel.
void gemm(const Tensor& c, const Tensor& a, bool transpose_a, const Tensor& b, bool transpose_b,
          bool accumulate);
// x as a BLAS-ready 2-D matrix (rows, cols) of its elements: a view when strides allow, else a copy.
Tensor as_matrix(const Tensor& x, int64_t rows, int64_t cols);
}  // namespace detail

}  // namespace attn
