// matmul: validate → allocate → dispatch (BLAS / reference) → record MatmulBackward (STYLE P4).
#include "attn/ops/matmul.h"

#include <type_traits>

#include "attn/autograd/node.h"
#include "attn/core/dispatch.h"
#include "attn/kernels/cpu/gemm.h"
#include "attn/kernels/cpu/matmul.h"
#include "attn/ops/shape.h"
#include "attn/tensor/copy.h"
#include "attn/tensor/creation.h"
#include "attn/tensor/view.h"

namespace attn {

namespace {
Shape batch_of(const Tensor& t) { return Shape(t.shape().begin(), t.shape().end() - 2); }

// t itself if its last two dimensions are row-major or transposed-contiguous (what BLAS reads), else a copy.
Tensor blas_ready(const Tensor& t) {
  const int64_t n = t.dim();
  const bool ok =
      kernels::blas_compatible(t.shape()[n - 2], t.shape()[n - 1], t.strides()[n - 2], t.strides()[n - 1]);
  return ok ? t : contiguous_copy(t);
}

// Storage offset of each matrix of t (…, R, C) once its batch dimensions are broadcast to `batch`: a
// broadcast dimension has stride 0, so its matrices repeat.
std::vector<int64_t> batch_offsets(const Tensor& t, const Shape& batch) {
  Shape full = batch;
  full.push_back(t.size(-2));
  full.push_back(t.size(-1));
  const Layout l = expand_layout(t.layout(), full);
  const Strides batch_strides(l.strides.begin(), l.strides.end() - 2);
  std::vector<int64_t> off(static_cast<size_t>(numel(batch)));
  for_each_strided(batch, batch_strides, l.offset, contiguous_strides(batch), 0,
                   [&](int64_t src, int64_t i) { off[static_cast<size_t>(i)] = src; });
  return off;
}

// The (…, R, C) matrices of t as the kernels see them; `transposed` swaps rows and columns (no copy).
template <typename T>
kernels::MatrixBatch<T> matrices(const Tensor& t, const std::vector<int64_t>& off, bool transposed = false) {
  using U = std::remove_const_t<T>;
  const int64_t rs = t.strides()[t.dim() - 2], cs = t.strides()[t.dim() - 1];
  T* base = static_cast<U*>(t.storage()->data());
  return {base, off.data(), transposed ? cs : rs, transposed ? rs : cs};
}

// f32 → attn's AVX-512 GEMM where the CPU has it and the product is not too thin for it, else OpenBLAS;
// f64 → the reference kernel (the gradient checks' path, STYLE P6/P7).
template <typename T>
void run_gemm(kernels::MatrixBatch<T> c, kernels::MatrixBatch<const T> a, kernels::MatrixBatch<const T> b,
              kernels::GemmSize s, bool accumulate) {
  if constexpr (std::is_same_v<T, float>) {
    kernels::matmul_f32(c, a, b, s, accumulate);
  } else {
    kernels::matmul_reference(c, a, b, s, accumulate);
  }
}

// C[p] (+)= op(A[p]) · op(B[p]) for every batch entry p of `batch`; c is written through its own offsets.
void batched_gemm(const Tensor& c, const Tensor& a, bool ta, const Tensor& b, bool tb, const Shape& batch,
                  bool accumulate) {
  const auto co = batch_offsets(c, batch), ao = batch_offsets(a, batch), bo = batch_offsets(b, batch);
  const int64_t K = ta ? a.size(-2) : a.size(-1);
  const kernels::GemmSize s{numel(batch), c.size(-2), c.size(-1), K};
  dispatch_floating(c.dtype(), "matmul", [&]<typename T>() {
    run_gemm<T>(matrices<T>(c, co), matrices<const T>(a, ao, ta), matrices<const T>(b, bo, tb), s,
                accumulate);
  });
}

// dA = dC·Bᵀ and dB = Aᵀ·dC per batch entry; entries of a broadcast operand accumulate into one gradient.
struct MatmulBackward : autograd::Node {
  Tensor a, b;  // (…a, M, K), (…b, K, N), BLAS-ready
  Shape batch;  // broadcast batch shape of the output
  MatmulBackward(Tensor a_, Tensor b_, Shape batch_)
      : a(std::move(a_)), b(std::move(b_)), batch(std::move(batch_)) {}
  std::string name() const override { return "MatmulBackward"; }
  std::vector<Tensor> backward(const Tensor& grad) override {
    const Tensor g = blas_ready(grad);  // (…, M, N)
    Tensor ga, gb;
    if (needs_grad(0)) {
      ga = zeros(a.shape(), a.dtype());
      batched_gemm(ga, g, false, b, true, batch, true);
    }
    if (needs_grad(1)) {
      gb = zeros(b.shape(), b.dtype());
      batched_gemm(gb, a, true, g, false, batch, true);
    }
    return {ga, gb};
  }
  void release() override { a = b = Tensor(); }
};

// Both operands at least 2-D: (…a, M, K)·(…b, K, N) → (…, M, N).
Tensor matmul_nd(const Tensor& a_in, const Tensor& b_in) {
  const Tensor a = blas_ready(a_in), b = blas_ready(b_in);
  Shape shape = broadcast_shapes(batch_of(a), batch_of(b), "matmul");
  const Shape batch = shape;
  shape.push_back(a.size(-2));
  shape.push_back(b.size(-1));
  Tensor out = empty(shape, a.dtype());
  batched_gemm(out, a, false, b, false, batch, false);
  if (autograd::needs_graph({a_in, b_in}))
    autograd::attach(out, std::make_shared<MatmulBackward>(a.detach(), b.detach(), batch), {a_in, b_in});
  return out;
}
}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b) {
  ATTN_CHECK_KIND(ShapeMismatch, a.dim() >= 1 && b.dim() >= 1,
                  "matmul: both arguments need to be at least 1-D, got shapes {} and {}",
                  shape_str(a.shape()), shape_str(b.shape()));
  ATTN_CHECK_KIND(DTypeMismatch, a.dtype() == b.dtype() && is_floating(a.dtype()),
                  "matmul: expected two float32 or two float64 tensors, got {} and {}", dtype_name(a.dtype()),
                  dtype_name(b.dtype()));
  const int64_t Kb = b.dim() == 1 ? b.size(0) : b.size(-2);
  ATTN_CHECK_KIND(ShapeMismatch, a.size(-1) == Kb, "matmul: inner dimensions differ: {} @ {}",
                  shape_str(a.shape()), shape_str(b.shape()));
  if (a.dim() == 1 && b.dim() == 1) return reshape(matmul_nd(unsqueeze(a, 0), unsqueeze(b, 1)), {});
  if (a.dim() == 1) return squeeze(matmul(unsqueeze(a, 0), b), -2);
  if (b.dim() == 1) return squeeze(matmul(a, unsqueeze(b, 1)), -1);
  if (a.dim() > 2 && b.dim() == 2) {
    // (…, M, K)·(K, N): fold the batch into the rows — one large gemm, as torch does.
    Shape shape(a.shape().begin(), a.shape().end() - 1);
    const int64_t rows = numel(shape);
    shape.push_back(b.size(1));
    return reshape(matmul_nd(reshape(a, {rows, a.size(-1)}), b), shape);
  }
  return matmul_nd(a, b);
}

namespace detail {

void gemm(const Tensor& c, const Tensor& a, bool transpose_a, const Tensor& b, bool transpose_b,
          bool accumulate) {
  ATTN_DCHECK(c.dim() == 2 && a.dim() == 2 && b.dim() == 2 && c.is_contiguous());
  batched_gemm(c, blas_ready(a), transpose_a, blas_ready(b), transpose_b, Shape{}, accumulate);
}

Tensor as_matrix(const Tensor& x, int64_t rows, int64_t cols) {
  if (auto l = view_layout(x.layout(), {rows, cols});
      l && kernels::blas_compatible(rows, cols, l->strides[0], l->strides[1]))
    return make_view(x, *l);
  return make_view(contiguous_copy(x), Layout::contiguous({rows, cols}));
}

}  // namespace detail

}  // namespace attn
