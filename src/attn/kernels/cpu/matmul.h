// attn/kernels/cpu/matmul.h — batched strided matrix products: C[b] (+)= A[b] · B[b] (STYLE P3, P6).
//
// Every operand is a MatrixBatch: matrix b's element (i, j) is at data[offsets[b] + i*rs + j*cs]. Element
// strides make transposes free: Aᵀ is A with rs and cs swapped, which is how the ops layer asks for
// dA = dC·Bᵀ and dB = Aᵀ·dC without copying. Broadcast batch dimensions are offsets that repeat; with
// `accumulate` set, repeated C offsets sum the products (the reduction of a broadcast operand's gradient).
//
// matmul_reference is three plain loops, for float and double: the oracle of the tests and the f64 path of
// the gradient checks. matmul_blas calls OpenBLAS sgemm/dgemm per batch entry, passing CblasTrans for an
// operand stored transposed (rs == 1) instead of copying it; it needs each operand to be row-major
// (cs == 1) or transposed-contiguous (rs == 1): check with blas_compatible and copy otherwise.
#pragma once

#include <cstdint>

namespace attn::kernels {

template <typename T>
struct MatrixBatch {
  T* data;
  const int64_t* offsets;  // (batch) element offset of each matrix
  int64_t rs, cs;          // element strides of rows and columns
};

// Sizes of a batched product: C (batch, M, N) = A (batch, M, K) · B (batch, K, N).
struct GemmSize {
  int64_t batch, M, N, K;
};

// C[b] = A[b]·B[b] (or C[b] += A[b]·B[b] when accumulate) — c: (batch, M, N), a: (batch, M, K), b: (batch, K,
// N)
template <typename T>
void matmul_reference(MatrixBatch<T> c, MatrixBatch<const T> a, MatrixBatch<const T> b, GemmSize s,
                      bool accumulate);

// Same contract, through cblas_sgemm / cblas_dgemm. Operands must satisfy blas_compatible; C must have cs
// == 1.
void matmul_blas(MatrixBatch<float> c, MatrixBatch<const float> a, MatrixBatch<const float> b, GemmSize s,
                 bool accumulate);
void matmul_blas(MatrixBatch<double> c, MatrixBatch<const double> a, MatrixBatch<const double> b, GemmSize s,
                 bool accumulate);

// Whether a (rows, cols) matrix with strides (rs, cs) can be handed to BLAS as is (row-major or transposed).
bool blas_compatible(int64_t rows, int64_t cols, int64_t rs, int64_t cs);

// Whether OpenBLAS runs its own threads (then batches are looped serially and BLAS parallelises each one).
bool blas_is_threaded();

}  // namespace attn::kernels
