// attn's AVX-512 SGEMM: packing, the 12 × 32 micro-kernel, blocking and the thread split (see gemm.h).
#include "attn/kernels/cpu/gemm.h"

#include <omp.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "attn/core/error.h"
#include "attn/core/threads.h"

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace attn::kernels {

namespace {

constexpr int64_t MR = 12;    // rows of the register tile (broadcasts of A)
constexpr int64_t NR = 32;    // columns of the register tile (two zmm of B)
constexpr int64_t KC = 256;   // depth of a packed slice: a B panel (KC × NR, 32 KB) stays in L1
constexpr int64_t MC = 144;   // rows of a packed A block (MC × KC, 144 KB) in L2
constexpr int64_t NC = 2048;  // columns of a packed B slice (KC × NC, 2 MB) in L3

// Thread-local packing buffers, 64-byte aligned (kept between calls: no allocation per product).
float* scratch(std::vector<float>& v, int64_t n) {
  if (static_cast<int64_t>(v.size()) < n + 16) v.resize(static_cast<size_t>(n + 16));
  auto p = reinterpret_cast<uintptr_t>(v.data());
  return reinterpret_cast<float*>((p + 63) & ~uintptr_t{63});
}

#if defined(__AVX512F__)
// One panel of pack_panels when the W values of a k are sw apart (a weight stored (out, in) read as Wᵀ, or a
// row-major A): per k, a masked gather of up to 16 of them and one store, instead of one scalar store per
// value (which made packing cost more than the arithmetic for thin products). Rows past w read as 0.
bool pack_strided_avx512(float* p, const float* s, int64_t w, int64_t kc, int64_t W, int64_t sw, int64_t sk) {
  if (sw > (int64_t{1} << 26)) return false;  // the 32-bit gather offsets (16·sw) must not overflow
  const __m512i idx = _mm512_mullo_epi32(
      _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), _mm512_set1_epi32(int(sw)));
  for (int64_t g = 0; g < W; g += 16) {
    const int64_t lanes = std::min<int64_t>(16, W - g), valid = std::clamp<int64_t>(w - g, 0, lanes);
    const __mmask16 load = static_cast<__mmask16>((1u << valid) - 1),
                    store = static_cast<__mmask16>((1u << lanes) - 1);
    const float* src = s + g * sw;
    for (int64_t k = 0; k < kc; ++k) {
      const __m512 v = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), load, idx, src + k * sk, 4);
      _mm512_mask_storeu_ps(p + k * W + g, store, v);
    }
  }
  return true;
}
#else
bool pack_strided_avx512(float*, const float*, int64_t, int64_t, int64_t, int64_t, int64_t) { return false; }
#endif

// Packs an (n × kc) piece of a matrix into ⌈n/W⌉ panels of kc × W floats (k-major), zero-padding the last
// panel: element (i, k) of the piece is src[i·sw + k·sk]. Ã is A's rows (W = MR, sw = A's row stride, sk =
// its column stride); B̃ is B's columns (W = NR, sw = B's column stride, sk = its row stride).
void pack_panels(float* dst, const float* src, int64_t n, int64_t kc, int64_t W, int64_t sw, int64_t sk) {
  for (int64_t i0 = 0; i0 < n; i0 += W) {
    const int64_t w = std::min(W, n - i0);
    float* p = dst + i0 * kc;
    const float* s = src + i0 * sw;
    if (sw == 1) {  // the W values of one k are contiguous
      for (int64_t k = 0; k < kc; ++k) {
        for (int64_t i = 0; i < w; ++i) p[k * W + i] = s[k * sk + i];
        for (int64_t i = w; i < W; ++i) p[k * W + i] = 0.f;
      }
    } else if (pack_strided_avx512(p, s, w, kc, W, sw, sk)) {
    } else {  // walk each row (column) along k
      for (int64_t i = 0; i < w; ++i)
        for (int64_t k = 0; k < kc; ++k) p[k * W + i] = s[i * sw + k * sk];
      for (int64_t i = w; i < W; ++i)
        for (int64_t k = 0; k < kc; ++k) p[k * W + i] = 0.f;
    }
  }
}

// Where the micro-kernel's tile goes: C rows/columns from (i, j), mr × nr of them valid; add = C += tile.
struct Tile {
  float* c;
  int64_t rs, cs;
  int64_t mr, nr;
  bool add;
};

#if defined(__AVX512F__)
// The register tile: acc[r] = Σ_k a[k·MR + r] · b[k·NR .. k·NR + 32), one FMA chain per element, k in order.
template <int R>
__attribute__((always_inline)) inline void store_tile(const __m512 (&acc)[R][2], const Tile& t) {
  if (t.mr == R && t.nr == NR && t.cs == 1) {
    for (int64_t r = 0; r < R; ++r) {
      float* row = t.c + r * t.rs;
      if (t.add) {
        _mm512_storeu_ps(row, _mm512_add_ps(_mm512_loadu_ps(row), acc[r][0]));
        _mm512_storeu_ps(row + 16, _mm512_add_ps(_mm512_loadu_ps(row + 16), acc[r][1]));
      } else {
        _mm512_storeu_ps(row, acc[r][0]);
        _mm512_storeu_ps(row + 16, acc[r][1]);
      }
    }
    return;
  }
  alignas(64) float tmp[R][NR];
  for (int64_t r = 0; r < R; ++r) {
    _mm512_store_ps(tmp[r], acc[r][0]);
    _mm512_store_ps(tmp[r] + 16, acc[r][1]);
  }
  for (int64_t r = 0; r < t.mr; ++r)
    for (int64_t j = 0; j < t.nr; ++j) {
      float& out = t.c[r * t.rs + j * t.cs];
      out = t.add ? out + tmp[r][j] : tmp[r][j];
    }
}

// a: the tile's A values, element (r, k) at a[r·a_rs + k·a_ks] — a packed panel (a_rs = 1, a_ks = MR) or A
// itself when it is row-major (a_rs = its row stride, a_ks = 1: no packing, each row read in order).
// prefetch (optional): a panel laid out as b, read next — its two cache lines of each k are requested.
// R = MR rows, or fewer for the last row tile of a block (t.mr ≤ R): 8 or 4 rows there instead of 12, so an
// M of 128 or 256 computes no zero rows. Each element is the same FMA chain in k order whatever R is, so a
// row's bits do not depend on the tile it falls in.
template <int R>
void micro_kernel_rows(int64_t kc, const float* __restrict a, int64_t a_rs, int64_t a_ks,
                       const float* __restrict b, const Tile& t, const float* prefetch) {
  __m512 acc[R][2];
#pragma GCC unroll 12
  for (int64_t r = 0; r < R; ++r) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
  for (int64_t k = 0; k < kc; ++k) {
    if (prefetch != nullptr) {
      _mm_prefetch(reinterpret_cast<const char*>(prefetch + k * NR), _MM_HINT_T1);
      _mm_prefetch(reinterpret_cast<const char*>(prefetch + k * NR + 16), _MM_HINT_T1);
    }
    const __m512 b0 = _mm512_load_ps(b), b1 = _mm512_load_ps(b + 16);
#pragma GCC unroll 12
    for (int64_t r = 0; r < R; ++r) {
      const __m512 ar = _mm512_set1_ps(a[r * a_rs]);
      acc[r][0] = _mm512_fmadd_ps(ar, b0, acc[r][0]);
      acc[r][1] = _mm512_fmadd_ps(ar, b1, acc[r][1]);
    }
    a += a_ks;
    b += NR;
  }
  store_tile<R>(acc, t);
}

void micro_kernel(int64_t kc, const float* __restrict a, int64_t a_rs, int64_t a_ks,
                  const float* __restrict b, const Tile& t, const float* prefetch = nullptr) {
  if (t.mr > 8) {
    micro_kernel_rows<MR>(kc, a, a_rs, a_ks, b, t, prefetch);
  } else if (t.mr > 4) {
    micro_kernel_rows<8>(kc, a, a_rs, a_ks, b, t, prefetch);
  } else {
    micro_kernel_rows<4>(kc, a, a_rs, a_ks, b, t, prefetch);
  }
}
#else
// The same tile in portable C++ (what a build without AVX-512 runs: correct, not tuned; matmul uses
// OpenBLAS there, see gemm_fast_enabled).
void micro_kernel(int64_t kc, const float* __restrict a, int64_t a_rs, int64_t a_ks,
                  const float* __restrict b, const Tile& t, const float* /*prefetch*/ = nullptr) {
  float acc[MR][NR] = {};
  for (int64_t k = 0; k < kc; ++k, a += a_ks, b += NR)
    for (int64_t r = 0; r < MR; ++r)
#pragma omp simd
      for (int64_t j = 0; j < NR; ++j) acc[r][j] += a[r * a_rs] * b[j];
  for (int64_t r = 0; r < t.mr; ++r)
    for (int64_t j = 0; j < t.nr; ++j) {
      float& out = t.c[r * t.rs + j * t.cs];
      out = t.add ? out + acc[r][j] : acc[r][j];
    }
}
#endif

// One thread's share: C[i0:i1, j0:j1] (+)= A[i0:i1, :] · B[:, j0:j1] of one product, serially.
// With `prepacked` (PackedB's strips: column strip s is K × NR floats, k-major), B is not read and no B
// panel is packed: the micro-kernel reads the strip's slice in place — the same panel values, so the same
// bits.
void gemm_block(float* C, int64_t crs, int64_t ccs, const float* A, int64_t ars, int64_t acs, const float* B,
                int64_t brs, int64_t bcs, int64_t K, int64_t i0, int64_t i1, int64_t j0, int64_t j1,
                bool accumulate, const float* prepacked = nullptr) {
  thread_local std::vector<float> a_buf, b_buf;
  float* pa = scratch(a_buf, MC * KC);
  float* pb = prepacked ? nullptr : scratch(b_buf, KC * ((std::min(NC, j1 - j0) + NR - 1) / NR * NR));
  for (int64_t jc = j0; jc < j1; jc += NC) {
    const int64_t nc = std::min(NC, j1 - jc);
    for (int64_t pc = 0; pc < K; pc += KC) {
      const int64_t kc = std::min(KC, K - pc);
      if (!prepacked) pack_panels(pb, B + pc * brs + jc * bcs, nc, kc, NR, bcs, brs);
      // The kc × NR panel of column strip jr (from jc): packed here, or in place in the strips.
      auto b_panel = [&](int64_t jr) {
        return prepacked ? prepacked + (jc + jr) / NR * K * NR + pc * NR : pb + jr * kc;
      };
      const bool add = accumulate || pc > 0;
      for (int64_t ic = i0; ic < i1; ic += MC) {
        const int64_t mc = std::min(MC, i1 - ic);
        // A row-major: full tiles read A in place, only the last, partial panel is packed (zero rows).
        const bool direct = acs == 1;
        const int64_t packed_from = direct ? mc / MR * MR : 0;
        pack_panels(pa + packed_from * kc, A + (ic + packed_from) * ars + pc * acs, mc - packed_from, kc, MR,
                    ars, acs);
        for (int64_t jr = 0; jr < nc; jr += NR) {
          for (int64_t ir = 0; ir < mc; ir += MR) {
            const Tile t{C + (ic + ir) * crs + (jc + jr) * ccs,
                         crs,
                         ccs,
                         std::min(MR, mc - ir),
                         std::min(NR, nc - jr),
                         add};
            // Prepacked weights stream from memory: the first row tile of each panel requests the next
            // panel (the next strip, or the next slice's first one) into L2 — +13 % for MiniLM at 128
            // tokens per text. A B packed above is in cache already.
            const float* pf = nullptr;
            if (prepacked && ir == 0)
              pf = jr + NR < nc  ? b_panel(jr + NR)
                   : pc + KC < K ? prepacked + jc / NR * K * NR + (pc + KC) * NR
                                 : nullptr;
            if (ir < packed_from) {
              micro_kernel(kc, A + (ic + ir) * ars + pc, ars, 1, b_panel(jr), t, pf);
            } else {
              micro_kernel(kc, pa + ir * kc, 1, MR, b_panel(jr), t, pf);
            }
          }
        }
      }
    }
  }
}

// C = 0 (or unchanged) for an empty sum over K.
void zero_product(float* C, int64_t rs, int64_t cs, int64_t M, int64_t N) {
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j) C[i * rs + j * cs] = 0.f;
}

// One product with `nt` threads splitting it into disjoint ranges of whole register tiles: columns when
// there are enough column panels, else rows.
void gemm_one(MatrixBatch<float> c, MatrixBatch<const float> a, MatrixBatch<const float> b, int64_t p,
              const GemmSize& s, bool accumulate, int nt, const float* prepacked = nullptr) {
  float* C = c.data + c.offsets[p];
  const float *A = a.data + a.offsets[p], *B = b.data ? b.data + b.offsets[p] : nullptr;
  if (s.K == 0) {
    if (!accumulate) zero_product(C, c.rs, c.cs, s.M, s.N);
    return;
  }
  const int64_t n_panels = (s.N + NR - 1) / NR, m_panels = (s.M + MR - 1) / MR;
  const bool by_columns = n_panels >= 2 * nt || n_panels >= m_panels;
  const int64_t panels = by_columns ? n_panels : m_panels;
  nt = static_cast<int>(std::min<int64_t>(nt, panels));
  auto run = [&](int64_t t) {
    const int64_t q0 = panels * t / nt, q1 = panels * (t + 1) / nt;
    if (by_columns) {
      gemm_block(C, c.rs, c.cs, A, a.rs, a.cs, B, b.rs, b.cs, s.K, 0, s.M, q0 * NR, std::min(s.N, q1 * NR),
                 accumulate, prepacked);
    } else {
      gemm_block(C, c.rs, c.cs, A, a.rs, a.cs, B, b.rs, b.cs, s.K, q0 * MR, std::min(s.M, q1 * MR), 0, s.N,
                 accumulate, prepacked);
    }
  };
  if (nt <= 1) {
    run(0);
    return;
  }
#pragma omp parallel for num_threads(nt) schedule(static, 1)
  for (int64_t t = 0; t < nt; ++t) run(t);
}

#if defined(__AVX512F__)
// ---- thin products (see matmul_thin in gemm.h) ----

constexpr int64_t kThinMaxRows = 32;  // two 16-lane vectors of rows

// C[:, j0:j1) of one product whose B columns are contiguous in k (b.rs == 1). The rows of A, transposed into
// at (K × 16·MV, zero-padded), are MV vectors of 16 lanes; NB columns of C are MV·NB accumulators. Per k:
// MV loads of at, NB broadcasts of B[k][j] straight from B's column j (no packing: each column is read once
// per 16-row vector, in order), MV·NB FMAs. Every C element is the chain the 12 × 32 micro-kernel computes —
// 0, then fma over k in order within each KC slice, each slice's sum added to C — so the bits equal
// matmul_fast's for the same product, whatever M.
// The weights stream from memory (MiniLM's 42 MB of encoder weights exceed the L3), so while one block of NB
// columns is multiplied, the next block's columns are prefetched at the same k — a whole block ahead, which
// the hardware prefetcher does not do across rows. Prefetching 128 floats ahead along the current columns
// instead ran MiniLM's 1 × 16 forward at 0.65× this speed.
template <int MV, int NB>
void thin_block(float* C, int64_t crs, int64_t ccs, const float* at, const float* B, int64_t bcs, int64_t M,
                int64_t K, int64_t j0, int64_t j1, int64_t N, bool accumulate) {
  constexpr int64_t L = 16 * MV;  // row stride of at
  alignas(64) float tmp[NB][L];
  for (int64_t j = j0; j < j1; j += NB) {
    const float *col[NB], *next[NB];
    for (int64_t q = 0; q < NB; ++q) {
      col[q] = B + std::min(j + q, N - 1) * bcs;  // past N: a real column, unused
      next[q] = B + std::min(j + NB + q, N - 1) * bcs;
    }
    for (int64_t pc = 0; pc < K; pc += KC) {
      const int64_t kc = std::min(KC, K - pc);
      __m512 acc[MV][NB];
      for (int v = 0; v < MV; ++v)
        for (int q = 0; q < NB; ++q) acc[v][q] = _mm512_setzero_ps();
      const float* a = at + pc * L;
      for (int64_t k = pc; k < pc + kc; ++k, a += L) {
        if ((k & 15) == 0)  // one cache line of each of the next block's columns per 16 k
          for (int q = 0; q < NB; ++q) _mm_prefetch(reinterpret_cast<const char*>(next[q] + k), _MM_HINT_T0);
        __m512 av[MV];
        for (int v = 0; v < MV; ++v) av[v] = _mm512_load_ps(a + 16 * v);
#pragma GCC unroll 16
        for (int q = 0; q < NB; ++q) {
          const __m512 bq = _mm512_set1_ps(col[q][k]);
          for (int v = 0; v < MV; ++v) acc[v][q] = _mm512_fmadd_ps(bq, av[v], acc[v][q]);
        }
      }
      for (int q = 0; q < NB; ++q)
        for (int v = 0; v < MV; ++v) _mm512_store_ps(tmp[q] + 16 * v, acc[v][q]);
      const bool add = accumulate || pc > 0;
      const int64_t nb = std::min<int64_t>(NB, j1 - j);
      for (int64_t i = 0; i < M; ++i) {
        float* row = C + i * crs + j * ccs;
        for (int64_t q = 0; q < nb; ++q) row[q * ccs] = add ? row[q * ccs] + tmp[q][i] : tmp[q][i];
      }
    }
  }
}

// One thin product, its columns split over nt threads in blocks of 16.
void thin_one(MatrixBatch<float> c, MatrixBatch<const float> a, MatrixBatch<const float> b, int64_t p,
              const GemmSize& s, bool accumulate, int nt) {
  float* C = c.data + c.offsets[p];
  const float *A = a.data + a.offsets[p], *B = b.data + b.offsets[p];
  if (s.K == 0) {
    if (!accumulate) zero_product(C, c.rs, c.cs, s.M, s.N);
    return;
  }
  const int MV = s.M <= 16 ? 1 : 2;
  const int64_t L = 16 * MV;
  thread_local std::vector<float> at_buf;
  float* at = scratch(at_buf, s.K * L);  // Aᵀ, zero-padded to L lanes
  for (int64_t k = 0; k < s.K; ++k) {
    for (int64_t i = 0; i < s.M; ++i) at[k * L + i] = A[i * a.rs + k * a.cs];
    for (int64_t i = s.M; i < L; ++i) at[k * L + i] = 0.f;
  }
  const int64_t blocks = (s.N + 15) / 16;
  nt = static_cast<int>(std::min<int64_t>(nt, blocks));
  auto run = [&](int64_t t) {
    const int64_t j0 = std::min(s.N, blocks * t / nt * 16), j1 = std::min(s.N, blocks * (t + 1) / nt * 16);
    if (MV == 1) {
      thin_block<1, 8>(C, c.rs, c.cs, at, B, b.cs, s.M, s.K, j0, j1, s.N, accumulate);
    } else {
      thin_block<2, 8>(C, c.rs, c.cs, at, B, b.cs, s.M, s.K, j0, j1, s.N, accumulate);
    }
  };
  if (nt <= 1) {
    run(0);
    return;
  }
#pragma omp parallel for num_threads(nt) schedule(static, 1)
  for (int64_t t = 0; t < nt; ++t) run(t);
}
#endif

bool offsets_distinct_increasing(const int64_t* off, int64_t n) {
  for (int64_t i = 1; i < n; ++i)
    if (off[i] <= off[i - 1]) return false;
  return true;
}

// The thread split over a batch of products, for both kernels: with many products (attention's per-head
// matrices) one whole product per thread, unless C entries repeat (a broadcast operand's gradient summed in
// place), where threads would race; else the products in turn, each split over the threads — unless it is
// below ~64³ multiply-adds, not worth waking a second thread for. one(p, threads) runs product p.
template <typename One>
void for_each_product(const MatrixBatch<float>& c, const GemmSize& s, One&& one) {
  const int nt = omp_in_parallel() ? 1 : get_num_threads();  // inside a fused kernel's task: this thread
  if (nt > 1 && s.batch >= nt && offsets_distinct_increasing(c.offsets, s.batch)) {
#pragma omp parallel for num_threads(nt) schedule(static)
    for (int64_t p = 0; p < s.batch; ++p) one(p, 1);
    return;
  }
  const double flops = 2.0 * static_cast<double>(s.M) * static_cast<double>(s.N) * static_cast<double>(s.K);
  const int inner = flops < 2.0 * 64 * 64 * 64 ? 1 : nt;
  for (int64_t p = 0; p < s.batch; ++p) one(p, inner);
}

}  // namespace

bool gemm_fast_available() {
#if defined(__AVX512F__)
  static const bool ok = __builtin_cpu_supports("avx512f");
  return ok;
#else
  return false;
#endif
}

bool gemm_fast_enabled() {
  static const bool enabled = [] {
    const char* env = std::getenv("ATTN_GEMM");
    return gemm_fast_available() && !(env && std::string_view(env) == "blas");
  }();
  return enabled;
}

bool gemm_fast_suits(int64_t M, int64_t N, int64_t K, int64_t b_cs) {
  return M >= (b_cs == 1 ? MR : 2 * MR) && N >= 16 && K >= 8;
}

PackedB::PackedB(MatrixBatch<const float> b, int64_t K, int64_t N)
    : K_(K), N_(N), source_(b.data + b.offsets[0]) {
  const int64_t strips = (N + NR - 1) / NR;
  buffer_.resize(static_cast<size_t>(std::max<int64_t>(strips * K * NR, 1) + 16));
  auto p = reinterpret_cast<uintptr_t>(buffer_.data());
  panels_ = reinterpret_cast<float*>((p + 63) & ~uintptr_t{63});
  // Each strip is the concatenation of its KC slices' panels: pack_panels of one strip over all of K.
  for (int64_t st = 0; st < strips; ++st)
    pack_panels(panels_ + st * K * NR, source_ + st * NR * b.cs, std::min(NR, N - st * NR), K, NR, b.cs,
                b.rs);
  rs_ = b.rs;
  cs_ = b.cs;
  for (size_t i = 0; i < probe_.size(); ++i) {
    const int64_t e =
        K * N > 0 ? static_cast<int64_t>(i) * (K * N - 1) / static_cast<int64_t>(probe_.size() - 1) : 0;
    probe_[i] = K * N > 0 ? source_[(e / N) * rs_ + (e % N) * cs_] : 0.f;
  }
}

bool PackedB::matches(const float* b, int64_t rs, int64_t cs, int64_t K, int64_t N) const {
  if (b != source_ || rs != rs_ || cs != cs_ || K != K_ || N != N_) return false;
  for (size_t i = 0; i < probe_.size(); ++i) {
    const int64_t e =
        K * N > 0 ? static_cast<int64_t>(i) * (K * N - 1) / static_cast<int64_t>(probe_.size() - 1) : 0;
    if (K * N > 0 && b[(e / N) * rs + (e % N) * cs] != probe_[i]) return false;
  }
  return true;
}

void matmul_prepacked(MatrixBatch<float> c, MatrixBatch<const float> a, const PackedB& b, GemmSize s,
                      bool accumulate) {
  ATTN_CHECK(s.K == b.K() && s.N == b.N(),
             "matmul_prepacked: B was packed as {} x {}, the product needs {} x {}", b.K(), b.N(), s.K, s.N);
  if (s.batch == 0 || s.M == 0 || s.N == 0) return;
  const int64_t zero = 0;
  const MatrixBatch<const float> none{nullptr, &zero, 0, 0};
  for_each_product(c, s, [&](int64_t p, int nt) { gemm_one(c, a, none, p, s, accumulate, nt, b.panels()); });
}

void matmul_f32(MatrixBatch<float> c, MatrixBatch<const float> a, MatrixBatch<const float> b, GemmSize s,
                bool accumulate) {
  if (gemm_fast_enabled() && gemm_thin_suits(s.M, s.N, b.rs)) {
    matmul_thin(c, a, b, s, accumulate);
  } else if (gemm_fast_enabled() && gemm_fast_suits(s.M, s.N, s.K, b.cs)) {
    matmul_fast(c, a, b, s, accumulate);
  } else if (c.cs == 1 && blas_compatible(s.M, s.K, a.rs, a.cs) && blas_compatible(s.K, s.N, b.rs, b.cs)) {
    matmul_blas(c, a, b, s, accumulate);
  } else {
    matmul_reference(c, a, b, s, accumulate);
  }
}

bool gemm_thin_suits(int64_t M, int64_t N, int64_t b_rs) {
#if defined(__AVX512F__)
  return M >= 1 && M < 2 * MR && M <= kThinMaxRows && N >= 1 && b_rs == 1;
#else
  (void)M, (void)N, (void)b_rs;
  return false;
#endif
}

void matmul_thin(MatrixBatch<float> c, MatrixBatch<const float> a, MatrixBatch<const float> b, GemmSize s,
                 bool accumulate) {
#if defined(__AVX512F__)
  ATTN_CHECK(s.M <= kThinMaxRows && b.rs == 1,
             "matmul_thin: needs M <= {} and B's columns contiguous in k, "
             "got M = {}, B row stride {}",
             kThinMaxRows, s.M, b.rs);
  if (s.batch == 0 || s.M == 0 || s.N == 0) return;
  for_each_product(c, s, [&](int64_t p, int nt) { thin_one(c, a, b, p, s, accumulate, nt); });
#else
  matmul_fast(c, a, b, s, accumulate);
#endif
}

void matmul_fast(MatrixBatch<float> c, MatrixBatch<const float> a, MatrixBatch<const float> b, GemmSize s,
                 bool accumulate) {
  if (s.batch == 0 || s.M == 0 || s.N == 0) return;
  for_each_product(c, s, [&](int64_t p, int nt) { gemm_one(c, a, b, p, s, accumulate, nt); });
}

}  // namespace attn::kernels
