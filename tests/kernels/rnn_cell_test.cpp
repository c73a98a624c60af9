// Fused LSTM/GRU cell kernels: the fast float versions against the double reference on awkward shapes (one
// row, prime H, enough rows for the two-thread split), forward and backward, including a missing upstream
// gradient (null dh' or dc').
#include "attn/kernels/cpu/rnn_cell.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace attn::kernels {
namespace {

std::vector<float> random_vec(int64_t n, std::mt19937& rng, float scale) {
  std::normal_distribution<float> d(0.f, scale);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}
std::vector<double> to_double(const std::vector<float>& v) { return {v.begin(), v.end()}; }

// Worst |fast − reference| / (|reference| + 1) over all elements. The floor 1 is the scale of the terms:
// c' = f·c + i·g and the gate gradients are sums of O(1) products that may cancel, so float rounding of
// those terms (a few 1e-8) is absolute, not relative to a result near 0. A wrong formula is off by O(0.1).
double worst(const std::vector<float>& fast, const std::vector<double>& ref) {
  double w = 0;
  for (size_t i = 0; i < ref.size(); ++i)
    w = std::max(w, std::fabs(fast[i] - ref[i]) / (std::fabs(ref[i]) + 1));
  return w;
}

class RnnCellKernel : public ::testing::TestWithParam<std::pair<int64_t, int64_t>> {};

TEST_P(RnnCellKernel, LstmFastMatchesReference) {
  const auto [B, H] = GetParam();
  std::mt19937 rng(static_cast<unsigned>(B * 1000 + H));
  // Pre-activations up to ±6: both saturating ends of σ and tanh.
  const auto gi = random_vec(B * 4 * H, rng, 2.f), gh = random_vec(B * 4 * H, rng, 2.f);
  const auto c = random_vec(B * H, rng, 1.f), dh = random_vec(B * H, rng, 1.f),
             dcn = random_vec(B * H, rng, 1.f);
  std::vector<float> h(B * H), cn(B * H), ws(B * 5 * H), dg(B * 4 * H), dc(B * H);
  std::vector<double> hr(B * H), cnr(B * H), wsr(B * 5 * H), dgr(B * 4 * H), dcr(B * H);
  lstm_cell_forward_fast(h.data(), cn.data(), ws.data(), gi.data(), gh.data(), c.data(), B, H);
  const auto gid = to_double(gi), ghd = to_double(gh), cd = to_double(c), dhd = to_double(dh),
             dcnd = to_double(dcn);
  lstm_cell_forward_reference(hr.data(), cnr.data(), wsr.data(), gid.data(), ghd.data(), cd.data(), B, H);
  EXPECT_LT(worst(h, hr), 1e-6);
  EXPECT_LT(worst(cn, cnr), 1e-6);
  for (const bool with_dc : {true, false}) {
    lstm_cell_backward_fast(dg.data(), dc.data(), dh.data(), with_dc ? dcn.data() : nullptr, ws.data(),
                            c.data(), B, H);
    lstm_cell_backward_reference(dgr.data(), dcr.data(), dhd.data(), with_dc ? dcnd.data() : nullptr,
                                 wsr.data(), cd.data(), B, H);
    EXPECT_LT(worst(dg, dgr), 1e-6) << "with dc' " << with_dc;
    EXPECT_LT(worst(dc, dcr), 1e-6) << "with dc' " << with_dc;
  }
  // No dh' either: only dc' flows, so the o gate gets no gradient.
  lstm_cell_backward_fast(dg.data(), dc.data(), nullptr, dcn.data(), ws.data(), c.data(), B, H);
  for (int64_t j = 0; j < H; ++j) EXPECT_EQ(dg[3 * H + j], 0.f);
}

TEST_P(RnnCellKernel, GruFastMatchesReference) {
  const auto [B, H] = GetParam();
  std::mt19937 rng(static_cast<unsigned>(B * 7 + H));
  const auto gi = random_vec(B * 3 * H, rng, 2.f), gh = random_vec(B * 3 * H, rng, 2.f);
  const auto h = random_vec(B * H, rng, 1.f), dhn = random_vec(B * H, rng, 1.f);
  std::vector<float> hn(B * H), ws(B * 4 * H), dgi(B * 3 * H), dgh(B * 3 * H), dh(B * H);
  std::vector<double> hnr(B * H), wsr(B * 4 * H), dgir(B * 3 * H), dghr(B * 3 * H), dhr(B * H);
  const auto gid = to_double(gi), ghd = to_double(gh), hd = to_double(h), dhnd = to_double(dhn);
  gru_cell_forward_fast(hn.data(), ws.data(), gi.data(), gh.data(), h.data(), B, H);
  gru_cell_forward_reference(hnr.data(), wsr.data(), gid.data(), ghd.data(), hd.data(), B, H);
  EXPECT_LT(worst(hn, hnr), 1e-6);
  gru_cell_backward_fast(dgi.data(), dgh.data(), dh.data(), dhn.data(), ws.data(), h.data(), B, H);
  gru_cell_backward_reference(dgir.data(), dghr.data(), dhr.data(), dhnd.data(), wsr.data(), hd.data(), B, H);
  EXPECT_LT(worst(dgi, dgir), 1e-6);
  EXPECT_LT(worst(dgh, dghr), 1e-6);
  EXPECT_LT(worst(dh, dhr), 1e-6);
}

INSTANTIATE_TEST_SUITE_P(Shapes, RnnCellKernel,
                         ::testing::Values(std::pair<int64_t, int64_t>{1, 1},
                                           std::pair<int64_t, int64_t>{3, 17},
                                           std::pair<int64_t, int64_t>{37, 131}));

}  // namespace
}  // namespace attn::kernels
