// Layout arithmetic of views: shapes, strides and offsets equal PyTorch's for the same calls.
#include "attn/tensor/view.h"

#include <gtest/gtest.h>

#include "attn/tensor/creation.h"

namespace attn {
namespace {

TEST(View, ReshapeKeepsStridesWhenPossible) {
  const Layout c = Layout::contiguous({2, 3, 4});
  // torch.empty(2,3,4).view(6,4).stride() → (4, 1)
  EXPECT_EQ(view_layout(c, {6, 4})->strides, (Strides{4, 1}));
  // torch.empty(2,3,4).transpose(0,1).view(3,8) → RuntimeError (needs a copy)
  EXPECT_FALSE(view_layout(transpose_layout(c, 0, 1), {3, 8}).has_value());
  // torch.empty(2,3,4).transpose(1,2).view(2,12) → RuntimeError; .view(2,4,3) on it is fine: strides (12, 1,
  // 4)
  EXPECT_FALSE(view_layout(transpose_layout(c, 1, 2), {2, 12}).has_value());
  EXPECT_EQ(view_layout(transpose_layout(c, 1, 2), {2, 4, 3})->strides, (Strides{12, 1, 4}));
  // torch.empty(2,3,4)[:, 1].view(2, 2, 2).stride() → (12, 2, 1)
  EXPECT_EQ(view_layout(select_layout(c, 1, 1), {2, 2, 2})->strides, (Strides{12, 2, 1}));
  EXPECT_EQ(infer_shape({-1, 4}, 24, "view"), (Shape{6, 4}));
  EXPECT_THROW(infer_shape({-1, 5}, 24, "view"), Error);
  EXPECT_THROW(infer_shape({-1, -1}, 24, "view"), Error);
}

TEST(View, NarrowSliceSelectOffsets) {
  const Layout c = Layout::contiguous({4, 5});
  // x = torch.empty(4,5); x.narrow(1, 2, 3): shape (4,3), stride (5,1), storage_offset 2
  const Layout n = narrow_layout(c, 1, 2, 3);
  EXPECT_EQ(n.shape, (Shape{4, 3}));
  EXPECT_EQ(n.offset, 2);
  // x[1:4:2] → shape (2,5) stride (10,1) offset 5
  const Layout s = slice_layout(c, 0, 1, 4, 2);
  EXPECT_EQ(s.shape, (Shape{2, 5}));
  EXPECT_EQ(s.strides, (Strides{10, 1}));
  EXPECT_EQ(s.offset, 5);
  // x[-3:100] → shape (3,5), offset 5 (Python clamps)
  EXPECT_EQ(slice_layout(c, 0, -3, 100, 1).shape, (Shape{3, 5}));
  // x.select(1, -1) → shape (4,), stride (5,), offset 4
  const Layout sel = select_layout(c, 1, -1);
  EXPECT_EQ(sel.shape, (Shape{4}));
  EXPECT_EQ(sel.offset, 4);
  EXPECT_THROW(select_layout(c, 1, 5), Error);
  EXPECT_THROW(narrow_layout(c, 0, 3, 2), Error);
}

TEST(View, PermuteUnsqueezeSqueezeExpand) {
  const Layout c = Layout::contiguous({2, 3, 4});
  // torch.empty(2,3,4).permute(2,0,1).stride() → (1, 12, 4)
  EXPECT_EQ(permute_layout(c, {2, 0, 1}).strides, (Strides{1, 12, 4}));
  EXPECT_THROW(permute_layout(c, {0, 0, 1}), Error);
  // torch.empty(2,3,4).unsqueeze(1).stride() → (12, 12, 4, 1); unsqueeze(-1) → (12, 4, 1, 1)
  EXPECT_EQ(unsqueeze_layout(c, 1).strides, (Strides{12, 12, 4, 1}));
  EXPECT_EQ(unsqueeze_layout(c, -1).strides, (Strides{12, 4, 1, 1}));
  EXPECT_EQ(squeeze_layout(Layout::contiguous({1, 3, 1}), std::nullopt).shape, (Shape{3}));
  EXPECT_EQ(squeeze_layout(Layout::contiguous({1, 3, 1}), 2).shape, (Shape{1, 3}));
  // torch.empty(3,1).expand(2,3,4).stride() → (0, 1, 0)
  const Layout e = expand_layout(Layout::contiguous({3, 1}), {2, 3, 4});
  EXPECT_EQ(e.strides, (Strides{0, 1, 0}));
  EXPECT_THROW(expand_layout(Layout::contiguous({3, 2}), {3, 4}), Error);
}

TEST(View, ViewsShareStorage) {
  Tensor x = zeros({2, 3});
  Tensor col = make_view(x, select_layout(x.layout(), 1, 2));
  col.data<float>()[0] = 5.f;  // element (0, 2) of x
  EXPECT_EQ(x.at<float>({0, 2}), 5.f);
  EXPECT_EQ(col.storage(), x.storage());
}

}  // namespace
}  // namespace attn
