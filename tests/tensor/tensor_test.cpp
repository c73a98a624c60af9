// Tensor handle, creation, copies, dtype conversion and printing. Expected values come from PyTorch 1.13,
// with the generating Python line above each literal.
#include <gtest/gtest.h>

#include "attn/tensor/copy.h"
#include "attn/tensor/creation.h"
#include "attn/tensor/storage.h"
#include "attn/tensor/view.h"
#include "support/expect.h"

namespace attn {
namespace {

Tensor reshape_for_test(const Tensor& t, const Shape& s) { return make_view(t, *view_layout(t.layout(), s)); }

TEST(Tensor, ShapeStridesAndHandleSemantics) {
  Tensor a = zeros({2, 3, 4});
  EXPECT_EQ(a.shape(), (Shape{2, 3, 4}));
  EXPECT_EQ(a.strides(), (Strides{12, 4, 1}));
  EXPECT_EQ(a.numel(), 24);
  EXPECT_EQ(a.size(-1), 4);
  EXPECT_TRUE(a.is_contiguous());
  Tensor b = a;  // copies the handle only
  b.data<float>()[5] = 7.f;
  EXPECT_EQ(a.at<float>({0, 1, 1}), 7.f);
  EXPECT_TRUE(a.is_same(b));
  EXPECT_THROW(a.data<double>(), Error);
  EXPECT_THROW(a.size(3), Error);
  EXPECT_THROW(a.at<float>({0, 3, 0}), Error);
}

TEST(Tensor, Creation) {
  // torch.arange(5) → tensor([0, 1, 2, 3, 4])
  EXPECT_EQ(to_vector<int64_t>(arange(5)), (std::vector<int64_t>{0, 1, 2, 3, 4}));
  // torch.arange(0.5, 2.0, 0.5) → tensor([0.5000, 1.0000, 1.5000])
  EXPECT_EQ(to_vector<float>(arange(0.5, 2.0, 0.5, DType::F32)), (std::vector<float>{0.5f, 1.0f, 1.5f}));
  EXPECT_EQ(to_vector<float>(eye(2)), (std::vector<float>{1, 0, 0, 1}));
  EXPECT_EQ(to_vector<double>(full({2}, 2.5, DType::F64)), (std::vector<double>{2.5, 2.5}));
  EXPECT_EQ(ones({}).numel(), 1);
  EXPECT_THROW(from_vector<float>({1, 2, 3}, {2, 2}), Error);
  EXPECT_THROW(zeros({2, -1}), Error);
}

TEST(Tensor, RandomIsSeededAndHasTheRightMoments) {
  Generator g1(42), g2(42);
  EXPECT_EQ(to_vector<float>(randn({16}, g1)), to_vector<float>(randn({16}, g2)));
  Generator g(7);
  const auto v = to_vector<double>(randn({200000}, g, DType::F64));
  double m = 0, s = 0;
  for (double x : v) m += x;
  m /= v.size();
  for (double x : v) s += (x - m) * (x - m);
  s = std::sqrt(s / v.size());
  // 200k samples: the standard error of the mean is 0.0022, of the std 0.0016 — 5σ bounds.
  EXPECT_NEAR(m, 0.0, 0.011);
  EXPECT_NEAR(s, 1.0, 0.008);
  const auto u = to_vector<double>(uniform({100000}, -2, 3, g, DType::F64));
  EXPECT_GE(*std::min_element(u.begin(), u.end()), -2.0);
  EXPECT_LT(*std::max_element(u.begin(), u.end()), 3.0);
}

TEST(Tensor, HalfAndBfloat16Conversions) {
  // torch.tensor([1.0, -2.5, 65504., 6.1035e-05, 5.9605e-08], dtype=torch.float16).view(torch.int16)
  //   → [15360, -16128, 31743, 1024, 1]
  const std::vector<uint16_t> h = {15360, 49408, 31743, 1024, 1};
  const std::vector<float> want = {1.0f, -2.5f, 65504.f, 6.103515625e-05f, 5.960464477539063e-08f};
  for (size_t i = 0; i < h.size(); ++i) {
    EXPECT_EQ(half_to_float(h[i]), want[i]);
    EXPECT_EQ(float_to_half(want[i]), h[i]);
  }
  EXPECT_TRUE(std::isinf(half_to_float(0x7c00)));
  EXPECT_TRUE(std::isnan(half_to_float(0x7e00)));
  // torch.tensor([1.0, 3.140625, -0.0078125], dtype=torch.bfloat16).view(torch.int16) → [16256, 16457,
  // -17408]
  EXPECT_EQ(bfloat16_to_float(16256), 1.0f);
  EXPECT_EQ(bfloat16_to_float(16457), 3.140625f);
  EXPECT_EQ(bfloat16_to_float(static_cast<uint16_t>(-17408)), -0.0078125f);
  // torch.tensor([3.1415926]).to(torch.bfloat16).view(torch.int16) → 16457 (round to nearest even)
  EXPECT_EQ(float_to_bfloat16(3.1415926f), 16457);
  Tensor t = from_blob(h.data(), {5}, DType::F16);
  EXPECT_EQ(to_vector<float>(convert(t, DType::F32)), want);
}

TEST(Tensor, ConvertAndCopyBetweenLayouts) {
  Tensor a = from_vector<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor at = make_view(a, transpose_layout(a.layout(), 0, 1));
  EXPECT_FALSE(at.is_contiguous());
  Tensor c = contiguous_copy(at);
  EXPECT_TRUE(c.is_contiguous());
  EXPECT_EQ(to_vector<float>(c), (std::vector<float>{1, 4, 2, 5, 3, 6}));
  EXPECT_EQ(to_vector<int64_t>(convert(from_vector<float>({1.7f, -2.2f}), DType::I64)),
            (std::vector<int64_t>{1, -2}));
  EXPECT_THROW(copy_(zeros({2}), zeros({3})), Error);
}

// Freed large blocks are reused (not under AddressSanitizer, where the cache is off so every free is seen):
// the same 2 MiB block comes back for a slightly smaller request, a block far larger is not handed out for
// a small one, small blocks never enter the cache, and the limit holds.
TEST(Storage, LargeFreedBlocksAreReusedUpToTheLimit) {
  Storage::set_cache_limit(64u << 20);
  const size_t before = Storage::cached_bytes();
  void* first = nullptr;
  {
    const auto a = Storage::allocate(2u << 20);
    first = a->data();
  }
  const size_t kept = Storage::cached_bytes() - before;
  if (kept == 0) {  // the sanitizer build: nothing kept, whatever the limit
    EXPECT_EQ(Storage::cached_bytes(), 0u);
  } else {
    EXPECT_EQ(kept, size_t{2} << 20);
    const auto b = Storage::allocate((2u << 20) - 4096);  // within a quarter: the same block
    EXPECT_EQ(b->data(), first);
    EXPECT_EQ(b->nbytes(), (size_t{2} << 20) - 4096);
    { const auto big = Storage::allocate(8u << 20); }
    const auto small = Storage::allocate(1u << 20);  // the 8 MiB block is 8× too big: not reused
    EXPECT_EQ(Storage::cached_bytes(), before + (size_t{8} << 20));
    { const auto tiny = Storage::allocate(4096); }  // below 128 KiB: straight back to malloc
    EXPECT_EQ(Storage::cached_bytes(), before + (size_t{8} << 20));
    Storage::set_cache_limit(4u << 20);  // over the new limit: freed, largest first
    EXPECT_LE(Storage::cached_bytes(), size_t{4} << 20);
    { const auto c = Storage::allocate(6u << 20); }  // would exceed the limit: freed, not kept
    EXPECT_LE(Storage::cached_bytes(), size_t{4} << 20);
  }
  Storage::set_cache_limit(512u << 20);
}

TEST(Tensor, PrintsLikePyTorch) {
  // print(torch.tensor([[0.1, -2.0], [3.5, 4.0]]))
  EXPECT_EQ(from_vector<float>({0.1f, -2.f, 3.5f, 4.f}, {2, 2}).str(),
            "tensor([[ 0.1000, -2.0000],\n        [ 3.5000,  4.0000]])");
  // print(torch.tensor([1, 2, 3]))
  EXPECT_EQ(from_vector<int64_t>({1, 2, 3}).str(), "tensor([1, 2, 3])");
  // print(torch.tensor([1., 2.], dtype=torch.float64))
  EXPECT_EQ(from_vector<double>({1., 2.}).str(), "tensor([1., 2.], dtype=torch.float64)");
  // print(torch.tensor(2.5))
  EXPECT_EQ(scalar_tensor(2.5).str(), "tensor(2.5000)");
  // print(torch.arange(2000))
  EXPECT_EQ(arange(0, 2000, 1, DType::I64).str(), "tensor([   0,    1,    2,  ..., 1997, 1998, 1999])");
  // print(torch.arange(2000.))
  EXPECT_EQ(
      arange(0, 2000, 1, DType::F32).str(),
      "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03])");
  // print(torch.arange(24.).reshape(2, 3, 4))
  EXPECT_EQ(
      reshape_for_test(arange(0, 24, 1, DType::F32), {2, 3, 4}).str(),
      "tensor([[[ 0.,  1.,  2.,  3.],\n         [ 4.,  5.,  6.,  7.],\n         [ 8.,  9., 10., 11.]],\n\n"
      "        [[12., 13., 14., 15.],\n         [16., 17., 18., 19.],\n         [20., 21., 22., 23.]]])");
  // print(torch.tensor([1e-5, 1.0])), print(torch.tensor([True, False]))
  EXPECT_EQ(from_vector<float>({1e-5f, 1.0f}).str(), "tensor([1.0000e-05, 1.0000e+00])");
  EXPECT_EQ(bool_tensor({1, 0}, {2}).str(), "tensor([ True, False])");
}

}  // namespace
}  // namespace attn
