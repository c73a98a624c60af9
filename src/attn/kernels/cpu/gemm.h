// attn/kernels/cpu/gemm.h — attn's own single-precision GEMM for AVX-512 CPUs (STYLE P6: the fast kernel
// beside matmul_reference, its oracle in tests/kernels/gemm_test.cpp).
//
// Why: the OpenBLAS that Debian ships (0.3.21) runs its Haswell (AVX2, 256-bit) kernels on this class of CPU
// (the environment pins OPENBLAS_CORETYPE=Haswell because older builds misdetect newer cores), so half of
// each FMA unit is idle; and its threads meet at barriers many times per product, which stalls whenever a
// partner thread is descheduled on a shared machine.
//
// How (the BLIS/GotoBLAS structure, Van Zee & van de Geijn 2015): C is cut into NC-wide column blocks, K into
// KC-deep slices, A into MC-tall row blocks; the slice of B (KC × NC) is packed into NR-wide panels and the
// block of A (MC × KC) into MR-tall panels, so that the micro-kernel streams both from cache with unit
// stride; the micro-kernel keeps an MR × NR = 12 × 32 tile of C in 24 zmm registers and, for each k, does
// 24 FMAs on one 32-float row of the B panel and 12 broadcasts of the A panel.
// Threads split C into disjoint column (or row) ranges and each packs its own operands: no barrier inside a
// product. Every element of C is the same sequence of FMAs (k in order, KC slices in order) whatever the
// thread count, the split, or the number of rows M — so results do not depend on threads or batch size.
//
// Operands may have any element strides (MatrixBatch): packing reads them as they are, so transposed
// operands cost nothing extra.
#pragma once

#include <array>
#include <vector>

#include "attn/kernels/cpu/matmul.h"

namespace attn::kernels {

// True when this build has the AVX-512 kernel and the CPU runs it (checked once).
bool gemm_fast_available();
// gemm_fast_available() unless the environment says ATTN_GEMM=blas (to compare against OpenBLAS, or to rule
// the kernel out): what the matmul op uses to choose.
bool gemm_fast_enabled();

// Whether matmul_fast is the better path for (M, N, K) products whose B has column stride b_cs: thin ones
// spend more in packing B than in arithmetic and stay with BLAS — below a 12-row register tile, or below 24
// rows when B is stored transposed (a weight (out, in) read as Wᵀ: its packing gathers; measured crossover).
bool gemm_fast_suits(int64_t M, int64_t N, int64_t K, int64_t b_cs);

// C[b] = A[b]·B[b] (or += with accumulate), the contract of matmul_reference; any strides. Without AVX-512
// it runs a portable micro-kernel (correct, slow).
void matmul_fast(MatrixBatch<float> c, MatrixBatch<const float> a, MatrixBatch<const float> b, GemmSize s,
                 bool accumulate);

// Thin products with B's columns contiguous in k (b.rs == 1: a weight (out, in) read as Wᵀ — every linear
// layer — or the keys of an attention cache read as Kᵀ) and few rows (M < 24: one query's tokens, a decoding
// step's beams): C = A·B without packing B. matmul_fast would pack all of B for a handful of rows and
// OpenBLAS packs it too (at 1 × 16 tokens, MiniLM spent 44 % of its time in OpenBLAS's packing); here each
// column of B is read once, in place, and broadcast against the rows of A held in 16-lane vectors.
// Every C element is the same FMA chain as in matmul_fast (same KC slices, same order), so the bits do not
// change when a product crosses the 24-row line between the two kernels.
bool gemm_thin_suits(int64_t M, int64_t N, int64_t b_rs);
void matmul_thin(MatrixBatch<float> c, MatrixBatch<const float> a, MatrixBatch<const float> b, GemmSize s,
                 bool accumulate);

// C = A·B in float32 by the kernel that suits the product: matmul_thin, else matmul_fast, else OpenBLAS
// (matmul_reference where an operand has a layout BLAS cannot read). The matmul op's choice, and the
// products inside fused kernels (attention.h). Inside an OpenMP parallel region it runs on the calling
// thread alone.
void matmul_f32(MatrixBatch<float> c, MatrixBatch<const float> a, MatrixBatch<const float> b, GemmSize s,
                bool accumulate);

// B packed once into the 12 × 32 kernel's panels, for a B used by many products: a layer's weight read as
// Wᵀ in inference, where packing it again on every product was 40 % of SentenceEncoder's time at 128-token
// texts (each text runs alone). Products with it give the bits matmul_fast gives with the unpacked B (the
// panels hold the same values). The source must not change while the pack is used: matches() compares the
// source pointer, layout and 64 sampled values, so the usual in-place update (an optimizer step, which moves
// every value) is noticed, and a caller falls back to the unpacked path.
class PackedB {
 public:
  PackedB(MatrixBatch<const float> b, int64_t K, int64_t N);  // b's first matrix, (K × N) with its strides
  PackedB(const PackedB&) = delete;                           // panels_ points into buffer_
  PackedB& operator=(const PackedB&) = delete;
  int64_t K() const { return K_; }
  int64_t N() const { return N_; }
  const float* panels() const { return panels_; }
  bool matches(const float* b, int64_t rs, int64_t cs, int64_t K, int64_t N) const;

 private:
  int64_t K_, N_, rs_ = 0, cs_ = 0;
  const float* source_;
  std::vector<float> buffer_;
  float* panels_ = nullptr;
  std::array<float, 64> probe_{};
};

// C[p] (+)= A[p]·B for every batch entry, B prepacked (one B for the whole batch). Any M; below 24 rows
// matmul_thin on the unpacked B is faster.
void matmul_prepacked(MatrixBatch<float> c, MatrixBatch<const float> a, const PackedB& b, GemmSize s,
                      bool accumulate);

}  // namespace attn::kernels
