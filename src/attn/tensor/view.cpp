#include "attn/tensor/view.h"

#include <algorithm>

namespace attn {

Shape infer_shape(const Shape& shape, int64_t n, const char* op) {
  Shape out = shape;
  int64_t known = 1, infer = -1;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == -1) {
      ATTN_CHECK_KIND(ShapeMismatch, infer < 0, "{}: only one dimension can be inferred in shape {}", op,
                      shape_str(shape));
      infer = static_cast<int64_t>(i);
    } else {
      ATTN_CHECK_KIND(ShapeMismatch, out[i] >= 0, "{}: invalid dimension {} in shape {}", op, out[i],
                      shape_str(shape));
      known *= out[i];
    }
  }
  if (infer >= 0) {
    ATTN_CHECK_KIND(ShapeMismatch, known != 0 && n % known == 0,
                    "{}: shape {} is invalid for input of size {}", op, shape_str(shape), n);
    out[infer] = n / known;
  }
  ATTN_CHECK_KIND(ShapeMismatch, numel(out) == n, "{}: shape {} is invalid for input of size {}", op,
                  shape_str(shape), n);
  return out;
}

// PyTorch's computeStride: groups of old dimensions that are contiguous among themselves can be re-split.
std::optional<Layout> view_layout(const Layout& layout, const Shape& shape) {
  const Shape& old = layout.shape;
  const Strides& old_strides = layout.strides;
  Layout out{shape, Strides(shape.size(), 1), layout.offset};
  if (numel(old) == 0 || old.empty()) {
    out.strides = contiguous_strides(shape);
    return out;
  }
  int64_t view_d = static_cast<int64_t>(shape.size()) - 1;
  int64_t chunk_base_stride = old_strides.back();
  int64_t tensor_numel = 1, view_numel = 1;
  for (int64_t d = static_cast<int64_t>(old.size()) - 1; d >= 0; --d) {
    tensor_numel *= old[d];
    if (d == 0 || (old[d - 1] != 1 && old_strides[d - 1] != tensor_numel * chunk_base_stride)) {
      while (view_d >= 0 && (view_numel < tensor_numel || shape[view_d] == 1)) {
        out.strides[view_d] = view_numel * chunk_base_stride;
        view_numel *= shape[view_d];
        --view_d;
      }
      if (view_numel != tensor_numel) return std::nullopt;
      if (d > 0) {
        chunk_base_stride = old_strides[d - 1];
        tensor_numel = 1;
        view_numel = 1;
      }
    }
  }
  if (view_d != -1) return std::nullopt;
  return out;
}

Layout transpose_layout(const Layout& layout, int64_t dim0, int64_t dim1) {
  const int64_t nd = static_cast<int64_t>(layout.shape.size());
  dim0 = normalize_dim(dim0, nd, "transpose");
  dim1 = normalize_dim(dim1, nd, "transpose");
  Layout out = layout;
  if (nd == 0) return out;
  std::swap(out.shape[dim0], out.shape[dim1]);
  std::swap(out.strides[dim0], out.strides[dim1]);
  return out;
}

Layout permute_layout(const Layout& layout, const std::vector<int64_t>& dims) {
  const int64_t nd = static_cast<int64_t>(layout.shape.size());
  ATTN_CHECK_KIND(ShapeMismatch, static_cast<int64_t>(dims.size()) == nd,
                  "permute: number of dims don't match (tensor has {}, permutation has {})", nd, dims.size());
  Layout out = layout;
  std::vector<bool> seen(nd, false);
  for (int64_t i = 0; i < nd; ++i) {
    const int64_t d = normalize_dim(dims[i], nd, "permute");
    ATTN_CHECK_KIND(ShapeMismatch, !seen[d], "permute: repeated dim {} in permutation [{}]", d,
                    fmt::join(dims, ", "));
    seen[d] = true;
    out.shape[i] = layout.shape[d];
    out.strides[i] = layout.strides[d];
  }
  return out;
}

Layout narrow_layout(const Layout& layout, int64_t dim, int64_t start, int64_t length) {
  const int64_t nd = static_cast<int64_t>(layout.shape.size());
  ATTN_CHECK_KIND(ShapeMismatch, nd > 0, "narrow: cannot be applied to a 0-dim tensor");
  dim = normalize_dim(dim, nd, "narrow");
  const int64_t size = layout.shape[dim];
  if (start < 0) start += size;
  ATTN_CHECK_KIND(IndexOutOfRange, start >= 0 && length >= 0 && start + length <= size,
                  "narrow: start ({}) + length ({}) exceeds dimension {} of size {}", start, length, dim,
                  size);
  Layout out = layout;
  out.shape[dim] = length;
  out.offset += start * layout.strides[dim];
  return out;
}

Layout slice_layout(const Layout& layout, int64_t dim, int64_t start, int64_t end, int64_t step) {
  const int64_t nd = static_cast<int64_t>(layout.shape.size());
  ATTN_CHECK_KIND(ShapeMismatch, nd > 0, "slice: cannot be applied to a 0-dim tensor");
  ATTN_CHECK(step > 0, "slice: step must be positive, got {}", step);
  dim = normalize_dim(dim, nd, "slice");
  const int64_t size = layout.shape[dim];
  // Python slice semantics: negative counts from the end, out-of-range clamps.
  if (start < 0) start += size;
  if (end < 0) end += size;
  start = std::clamp<int64_t>(start, 0, size);
  end = std::clamp<int64_t>(end, start, size);
  Layout out = layout;
  out.shape[dim] = (end - start + step - 1) / step;
  out.offset += start * layout.strides[dim];
  out.strides[dim] *= step;
  return out;
}

Layout select_layout(const Layout& layout, int64_t dim, int64_t index) {
  const int64_t nd = static_cast<int64_t>(layout.shape.size());
  ATTN_CHECK_KIND(ShapeMismatch, nd > 0, "select: cannot be applied to a 0-dim tensor");
  dim = normalize_dim(dim, nd, "select");
  const int64_t size = layout.shape[dim];
  ATTN_CHECK_KIND(IndexOutOfRange, index >= -size && index < size,
                  "select: index {} out of range for dimension {} with size {}", index, dim, size);
  if (index < 0) index += size;
  Layout out = layout;
  out.offset += index * layout.strides[dim];
  out.shape.erase(out.shape.begin() + dim);
  out.strides.erase(out.strides.begin() + dim);
  return out;
}

Layout unsqueeze_layout(const Layout& layout, int64_t dim) {
  const int64_t nd = static_cast<int64_t>(layout.shape.size());
  dim = normalize_dim(dim, nd + 1, "unsqueeze");
  Layout out = layout;
  const int64_t stride = dim < nd ? layout.shape[dim] * layout.strides[dim] : 1;
  out.shape.insert(out.shape.begin() + dim, 1);
  out.strides.insert(out.strides.begin() + dim, stride);
  return out;
}

Layout squeeze_layout(const Layout& layout, std::optional<int64_t> dim) {
  Layout out{{}, {}, layout.offset};
  const int64_t nd = static_cast<int64_t>(layout.shape.size());
  const int64_t only = dim ? normalize_dim(*dim, nd, "squeeze") : -1;
  for (int64_t d = 0; d < nd; ++d) {
    const bool drop = layout.shape[d] == 1 && (only < 0 || d == only);
    if (!drop) {
      out.shape.push_back(layout.shape[d]);
      out.strides.push_back(layout.strides[d]);
    }
  }
  return out;
}

Layout expand_layout(const Layout& layout, const Shape& shape) {
  const int64_t nd = static_cast<int64_t>(shape.size()), old = static_cast<int64_t>(layout.shape.size());
  ATTN_CHECK_KIND(ShapeMismatch, nd >= old,
                  "expand: the number of sizes provided ({}) must be greater or equal to the number of "
                  "dimensions in the tensor ({})",
                  nd, old);
  Layout out{shape, Strides(nd, 0), layout.offset};
  for (int64_t i = nd - 1; i >= 0; --i) {
    const int64_t j = i - (nd - old);
    if (j < 0) {
      ATTN_CHECK_KIND(ShapeMismatch, shape[i] >= 0, "expand: invalid size {} for new leading dimension {}",
                      shape[i], i);
      continue;
    }
    const int64_t want = shape[i] == -1 ? layout.shape[j] : shape[i];
    out.shape[i] = want;
    if (layout.shape[j] == want) {
      out.strides[i] = layout.strides[j];
    } else {
      ATTN_CHECK_KIND(ShapeMismatch, layout.shape[j] == 1,
                      "expand: the expanded size of the tensor ({}) must match the existing size ({}) at "
                      "non-singleton dimension {}; target sizes {}, tensor sizes {}",
                      want, layout.shape[j], i, shape_str(shape), shape_str(layout.shape));
    }
  }
  return out;
}

Tensor make_view(const Tensor& base, Layout layout) {
  return Tensor(base.storage(), std::move(layout), base.dtype(), base.device());
}

}  // namespace attn
