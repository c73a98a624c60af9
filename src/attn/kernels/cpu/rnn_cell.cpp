// Fused LSTM / GRU cell pointwise kernels: one plain reference (std::exp, std::tanh) and one vectorised float
// version, both written from the same per-element bodies below so they cannot drift apart in formula.
#include "attn/kernels/cpu/rnn_cell.h"

#include <cmath>

#include "attn/kernels/cpu/parallel.h"
#include "attn/kernels/cpu/unary.h"

namespace attn::kernels {

namespace {
constexpr int64_t kGrainRows = 16;  // rows (of H elements each) below which a kernel stays on one thread

// σ and tanh of the reference (libm; σ split by sign as sigmoid_forward_reference, so e^(−|x|) never
// overflows) and of the fast kernels (unary.h, branch-free so the loops vectorise).
struct RefMath {
  template <typename T>
  static T sigmoid(T x) {
    const T e = std::exp(-std::fabs(x));
    return x >= T(0) ? T(1) / (T(1) + e) : e / (T(1) + e);
  }
  template <typename T>
  static T tanh(T x) {
    return std::tanh(x);
  }
};
struct FastMath {
  static float sigmoid(float x) {
    const float e = fast_exp(-std::fabs(x)), s = 1.f / (1.f + e);
    return x >= 0.f ? s : e * s;
  }
  static float tanh(float x) { return fast_tanh(x); }
};

// One row of the LSTM forward. h, c_new, c: (H); ws: (5H); gi, gh: (4H)
template <typename M, typename T>
void lstm_forward_row(T* h, T* c_new, T* ws, const T* gi, const T* gh, const T* c, int64_t H) {
#pragma omp simd
  for (int64_t j = 0; j < H; ++j) {
    const T i = M::sigmoid(gi[j] + gh[j]), f = M::sigmoid(gi[H + j] + gh[H + j]);
    const T g = M::tanh(gi[2 * H + j] + gh[2 * H + j]), o = M::sigmoid(gi[3 * H + j] + gh[3 * H + j]);
    const T cn = f * c[j] + i * g, tc = M::tanh(cn);
    c_new[j] = cn;
    h[j] = o * tc;
    ws[j] = i, ws[H + j] = f, ws[2 * H + j] = g, ws[3 * H + j] = o, ws[4 * H + j] = tc;
  }
}

// One row of the LSTM backward (no transcendental functions: everything comes from ws).
// dgates: (4H); dc, dh_new, dc_new, c: (H); ws: (5H)
template <typename T>
void lstm_backward_row(T* dgates, T* dc, const T* dh_new, const T* dc_new, const T* ws, const T* c,
                       int64_t H) {
#pragma omp simd
  for (int64_t j = 0; j < H; ++j) {
    const T i = ws[j], f = ws[H + j], g = ws[2 * H + j], o = ws[3 * H + j], tc = ws[4 * H + j];
    const T dh = dh_new ? dh_new[j] : T(0);
    const T dct = (dc_new ? dc_new[j] : T(0)) + dh * o * (T(1) - tc * tc);  // total dc' (through h' too)
    dgates[j] = dct * g * i * (T(1) - i);                                   // di · σ'
    dgates[H + j] = dct * c[j] * f * (T(1) - f);                            // df · σ'
    dgates[2 * H + j] = dct * i * (T(1) - g * g);                           // dg · tanh'
    dgates[3 * H + j] = dh * tc * o * (T(1) - o);                           // do · σ'
    dc[j] = dct * f;
  }
}

// One row of the GRU forward. h_new, h: (H); ws: (4H); gi, gh: (3H)
template <typename M, typename T>
void gru_forward_row(T* h_new, T* ws, const T* gi, const T* gh, const T* h, int64_t H) {
#pragma omp simd
  for (int64_t j = 0; j < H; ++j) {
    const T r = M::sigmoid(gi[j] + gh[j]), z = M::sigmoid(gi[H + j] + gh[H + j]);
    const T n = M::tanh(gi[2 * H + j] + r * gh[2 * H + j]);
    h_new[j] = n + z * (h[j] - n);  // (1 − z) ⊙ n + z ⊙ h, written as the composed gru_step
    ws[j] = r, ws[H + j] = z, ws[2 * H + j] = n, ws[3 * H + j] = gh[2 * H + j];
  }
}

// One row of the GRU backward. dgi, dgh: (3H); dh, dh_new, h: (H); ws: (4H)
template <typename T>
void gru_backward_row(T* dgi, T* dgh, T* dh, const T* dh_new, const T* ws, const T* h, int64_t H) {
#pragma omp simd
  for (int64_t j = 0; j < H; ++j) {
    const T r = ws[j], z = ws[H + j], n = ws[2 * H + j], ghn = ws[3 * H + j], d = dh_new[j];
    const T dn = d * (T(1) - z) * (T(1) - n * n);  // through n = tanh(·)
    const T dr = dn * ghn * r * (T(1) - r), dz = d * (h[j] - n) * z * (T(1) - z);
    dgi[j] = dr, dgi[H + j] = dz, dgi[2 * H + j] = dn;
    dgh[j] = dr, dgh[H + j] = dz, dgh[2 * H + j] = dn * r;
    dh[j] = d * z;
  }
}

const float* row(const float* p, int64_t b, int64_t n) { return p ? p + b * n : nullptr; }
}  // namespace

template <typename T>
void lstm_cell_forward_reference(T* h, T* c_new, T* ws, const T* gi, const T* gh, const T* c, int64_t B,
                                 int64_t H) {
  for (int64_t b = 0; b < B; ++b)
    lstm_forward_row<RefMath>(h + b * H, c_new + b * H, ws + b * 5 * H, gi + b * 4 * H, gh + b * 4 * H,
                              c + b * H, H);
}
void lstm_cell_forward_fast(float* h, float* c_new, float* ws, const float* gi, const float* gh,
                            const float* c, int64_t B, int64_t H) {
  parallel_for(B, kGrainRows, [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; ++b)
      lstm_forward_row<FastMath>(h + b * H, c_new + b * H, ws + b * 5 * H, gi + b * 4 * H, gh + b * 4 * H,
                                 c + b * H, H);
  });
}

template <typename T>
void lstm_cell_backward_reference(T* dgates, T* dc, const T* dh_new, const T* dc_new, const T* ws, const T* c,
                                  int64_t B, int64_t H) {
  for (int64_t b = 0; b < B; ++b)
    lstm_backward_row(dgates + b * 4 * H, dc + b * H, dh_new ? dh_new + b * H : nullptr,
                      dc_new ? dc_new + b * H : nullptr, ws + b * 5 * H, c + b * H, H);
}
void lstm_cell_backward_fast(float* dgates, float* dc, const float* dh_new, const float* dc_new,
                             const float* ws, const float* c, int64_t B, int64_t H) {
  parallel_for(B, kGrainRows, [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; ++b)
      lstm_backward_row(dgates + b * 4 * H, dc + b * H, row(dh_new, b, H), row(dc_new, b, H), ws + b * 5 * H,
                        c + b * H, H);
  });
}

template <typename T>
void gru_cell_forward_reference(T* h_new, T* ws, const T* gi, const T* gh, const T* h, int64_t B, int64_t H) {
  for (int64_t b = 0; b < B; ++b)
    gru_forward_row<RefMath>(h_new + b * H, ws + b * 4 * H, gi + b * 3 * H, gh + b * 3 * H, h + b * H, H);
}
void gru_cell_forward_fast(float* h_new, float* ws, const float* gi, const float* gh, const float* h,
                           int64_t B, int64_t H) {
  parallel_for(B, kGrainRows, [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; ++b)
      gru_forward_row<FastMath>(h_new + b * H, ws + b * 4 * H, gi + b * 3 * H, gh + b * 3 * H, h + b * H, H);
  });
}

template <typename T>
void gru_cell_backward_reference(T* dgi, T* dgh, T* dh, const T* dh_new, const T* ws, const T* h, int64_t B,
                                 int64_t H) {
  for (int64_t b = 0; b < B; ++b)
    gru_backward_row(dgi + b * 3 * H, dgh + b * 3 * H, dh + b * H, dh_new + b * H, ws + b * 4 * H, h + b * H,
                     H);
}
void gru_cell_backward_fast(float* dgi, float* dgh, float* dh, const float* dh_new, const float* ws,
                            const float* h, int64_t B, int64_t H) {
  parallel_for(B, kGrainRows, [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; ++b)
      gru_backward_row(dgi + b * 3 * H, dgh + b * 3 * H, dh + b * H, dh_new + b * H, ws + b * 4 * H,
                       h + b * H, H);
  });
}

#define ATTN_INSTANTIATE_RNN_CELL(T)                                                                        \
  template void lstm_cell_forward_reference<T>(T*, T*, T*, const T*, const T*, const T*, int64_t, int64_t); \
  template void lstm_cell_backward_reference<T>(T*, T*, const T*, const T*, const T*, const T*, int64_t,    \
                                                int64_t);                                                   \
  template void gru_cell_forward_reference<T>(T*, T*, const T*, const T*, const T*, int64_t, int64_t);      \
  template void gru_cell_backward_reference<T>(T*, T*, T*, const T*, const T*, const T*, int64_t, int64_t);
ATTN_INSTANTIATE_RNN_CELL(float)
ATTN_INSTANTIATE_RNN_CELL(double)
#undef ATTN_INSTANTIATE_RNN_CELL

}  // namespace attn::kernels
