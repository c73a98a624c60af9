// Batched strided matmul: the three-loop reference and the OpenBLAS path (see matmul.h).
#include "attn/kernels/cpu/matmul.h"

#include <cblas.h>

#include <algorithm>
#include <climits>

#include "attn/core/error.h"
#include "attn/kernels/cpu/parallel.h"

extern "C" int openblas_get_parallel(void);

namespace attn::kernels {

template <typename T>
void matmul_reference(MatrixBatch<T> c, MatrixBatch<const T> a, MatrixBatch<const T> b, GemmSize s,
                      bool accumulate) {
  for (int64_t p = 0; p < s.batch; ++p) {
    const T* A = a.data + a.offsets[p];  // (M, K)
    const T* B = b.data + b.offsets[p];  // (K, N)
    T* C = c.data + c.offsets[p];        // (M, N)
    for (int64_t i = 0; i < s.M; ++i) {
      for (int64_t j = 0; j < s.N; ++j) {
        double acc = 0;  // double even for float: the reference should be the more accurate side
        for (int64_t k = 0; k < s.K; ++k)
          acc += double(A[i * a.rs + k * a.cs]) * double(B[k * b.rs + j * b.cs]);
        T& out = C[i * c.rs + j * c.cs];
        out = accumulate ? out + static_cast<T>(acc) : static_cast<T>(acc);
      }
    }
  }
}
template void matmul_reference<float>(MatrixBatch<float>, MatrixBatch<const float>, MatrixBatch<const float>,
                                      GemmSize, bool);
template void matmul_reference<double>(MatrixBatch<double>, MatrixBatch<const double>,
                                       MatrixBatch<const double>, GemmSize, bool);

namespace {
// How BLAS sees one (rows, cols) operand: as stored (row-major, leading dimension ld) or transposed.
struct BlasOperand {
  bool ok = false;
  CBLAS_TRANSPOSE trans = CblasNoTrans;
  int64_t ld = 1;
};

BlasOperand blas_operand(int64_t rows, int64_t cols, int64_t rs, int64_t cs) {
  // Row-major: unit column stride (irrelevant for one column), rows at least `cols` apart (or one row).
  if ((cs == 1 || cols <= 1) && (rows <= 1 || rs >= std::max<int64_t>(1, cols)))
    return {true, CblasNoTrans, rows <= 1 ? std::max<int64_t>(1, cols) : rs};
  // Transposed-contiguous, e.g. x.t() with strides (1, rows): BLAS reads it as the (cols, rows) matrix Xᵀ.
  if ((rs == 1 || rows <= 1) && (cols <= 1 || cs >= std::max<int64_t>(1, rows)))
    return {true, CblasTrans, cols <= 1 ? std::max<int64_t>(1, rows) : cs};
  return {};
}

bool offsets_increasing(const int64_t* off, int64_t n) {
  for (int64_t i = 1; i < n; ++i)
    if (off[i] <= off[i - 1]) return false;
  return true;
}

void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, const GemmSize& s, float alpha, const float* A, int lda,
          const float* B, int ldb, float beta, float* C, int ldc) {
  cblas_sgemm(CblasRowMajor, ta, tb, int(s.M), int(s.N), int(s.K), alpha, A, lda, B, ldb, beta, C, ldc);
}
void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, const GemmSize& s, double alpha, const double* A, int lda,
          const double* B, int ldb, double beta, double* C, int ldc) {
  cblas_dgemm(CblasRowMajor, ta, tb, int(s.M), int(s.N), int(s.K), alpha, A, lda, B, ldb, beta, C, ldc);
}

template <typename T>
void matmul_blas_impl(MatrixBatch<T> c, MatrixBatch<const T> a, MatrixBatch<const T> b, GemmSize s,
                      bool accumulate) {
  if (s.batch == 0 || s.M == 0 || s.N == 0) return;
  if (s.K == 0) {  // an empty sum: C = 0 (or unchanged)
    if (!accumulate) matmul_reference(c, a, b, s, false);
    return;
  }
  const BlasOperand oa = blas_operand(s.M, s.K, a.rs, a.cs), ob = blas_operand(s.K, s.N, b.rs, b.cs);
  const BlasOperand oc = blas_operand(s.M, s.N, c.rs, c.cs);
  ATTN_CHECK(oa.ok && ob.ok && oc.ok && oc.trans == CblasNoTrans,
             "matmul_blas: operands must be row-major or transposed-contiguous (copy them first)");
  ATTN_CHECK(std::max({s.M, s.N, s.K, oa.ld, ob.ld, oc.ld}) <= INT_MAX,
             "matmul_blas: dimension too large for 32-bit BLAS: M={} N={} K={}", s.M, s.N, s.K);
  const T beta = accumulate ? T(1) : T(0);
  auto one = [&](int64_t p) {
    gemm(oa.trans, ob.trans, s, T(1), a.data + a.offsets[p], int(oa.ld), b.data + b.offsets[p], int(ob.ld),
         beta, c.data + c.offsets[p], int(oc.ld));
  };
  // A threaded BLAS parallelises inside each product; a sequential one gets the batch split across threads,
  // unless C entries repeat (a broadcast gradient summed in place), where threads would race.
  if (!blas_is_threaded() && offsets_increasing(c.offsets, s.batch)) {
    parallel_for(s.batch, 2, [&](int64_t p0, int64_t p1) {
      for (int64_t p = p0; p < p1; ++p) one(p);
    });
  } else {
    for (int64_t p = 0; p < s.batch; ++p) one(p);
  }
}
}  // namespace

void matmul_blas(MatrixBatch<float> c, MatrixBatch<const float> a, MatrixBatch<const float> b, GemmSize s,
                 bool accumulate) {
  matmul_blas_impl(c, a, b, s, accumulate);
}
void matmul_blas(MatrixBatch<double> c, MatrixBatch<const double> a, MatrixBatch<const double> b, GemmSize s,
                 bool accumulate) {
  matmul_blas_impl(c, a, b, s, accumulate);
}

bool blas_compatible(int64_t rows, int64_t cols, int64_t rs, int64_t cs) {
  return blas_operand(rows, cols, rs, cs).ok;
}

bool blas_is_threaded() {
  static const bool threaded = openblas_get_parallel() != 0;  // 0 sequential, 1 pthreads, 2 OpenMP
  return threaded;
}

}  // namespace attn::kernels
