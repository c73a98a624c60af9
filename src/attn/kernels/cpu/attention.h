// attn/kernels/cpu/attention.h — scaled dot-product attention for inference, head by head in cache.
//
//   O[b, h] = softmax(Q[b, h] · K[b, h]ᵀ / √D + M[b, h]) · V[b, h]        (Vaswani et al. 2017, eq. 1)
//
// Why: the composed op (nn::scaled_dot_product_attention, the oracle with autograd) materialises the
// (B, H, Tq, Tk) scores and passes over them four times (divide, mask, softmax, product): at BERT's 64 × 256
// that is 201 MB per pass, out of cache, and the stacked forward ran at 0.43× the speed of the same texts
// one by one. Here each (b, h) is one task: its Tq × Tk scores live in a per-thread scratch (256 KB at
// T = 256, in L2), the scale, the mask and the softmax are applied in one pass per row, and ·V writes the
// output rows in place — any strides, so the heads are read from and written to the (B, T, H, D) layout
// of the projections without a copy. Threads take whole heads (no two write the same output).
//
// Float32 only, no autograd: the op (ops/attention.h) checks that no gradient is wanted. The products are
// matmul_f32's (the matmul op's kernels), the softmax softmax_forward_fast, so a row equals the composed
// op's row up to the order of the scale (here after the product, as there) — tests compare the two.
#pragma once

#include <cstdint>

namespace attn::kernels {

// A (B, H, T, D) float operand: element (b, h, t, d) at data[b·sb + h·sh + t·st + d·sd].
template <typename T>
struct Strided4 {
  T* data;
  int64_t sb, sh, st, sd;
};

// The optional mask, broadcast to (B, H, Tq, Tk) by strides (0 on a broadcast dimension). Bool (uint8):
// false → the key is masked (−inf; a row with every key masked is NaN, as torch). Float: added to the
// scaled scores (HF BERT's extended mask: 0 for tokens, finfo.min for [PAD]).
struct AttentionMask {
  const void* data = nullptr;  // nullptr = no mask
  bool is_bool = false;
  int64_t sb = 0, sh = 0, sq = 0, sk = 0;
};

struct AttentionSize {
  int64_t B, H, Tq, Tk, D, Dv;
};

void attention_forward_fused(Strided4<float> o, Strided4<const float> q, Strided4<const float> k,
                             Strided4<const float> v, const AttentionMask& mask, const AttentionSize& s);

}  // namespace attn::kernels
