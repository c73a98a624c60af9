// attn/tensor/view.h — layout arithmetic for views: new shape/strides/offset over the same storage.
//
// These functions never copy and never record autograd; the differentiable views users call
// (attn::reshape, attn::transpose, …) are in attn/ops/shape.h and are built on these.
#pragma once

#include <optional>
#include <vector>

#include "attn/tensor/tensor.h"

namespace attn {

// Resolves one -1 in `shape` so that it holds `n` elements, or throws naming `op`.
Shape infer_shape(const Shape& shape, int64_t n, const char* op);
// The layout of `layout` reshaped to `shape` without copying, if its strides allow it (as torch.view).
std::optional<Layout> view_layout(const Layout& layout, const Shape& shape);
Layout transpose_layout(const Layout& layout, int64_t dim0, int64_t dim1);
Layout permute_layout(const Layout& layout, const std::vector<int64_t>& dims);
Layout narrow_layout(const Layout& layout, int64_t dim, int64_t start, int64_t length);
Layout slice_layout(const Layout& layout, int64_t dim, int64_t start, int64_t end, int64_t step);
Layout select_layout(const Layout& layout, int64_t dim, int64_t index);
Layout unsqueeze_layout(const Layout& layout, int64_t dim);
Layout squeeze_layout(const Layout& layout, std::optional<int64_t> dim);
// Broadcast to `shape` with stride 0 on expanded dimensions (size-1 or new leading dims), as torch.expand.
Layout expand_layout(const Layout& layout, const Shape& shape);

// A tensor sharing `base`'s storage with another layout (no autograd).
Tensor make_view(const Tensor& base, Layout layout);

}  // namespace attn
