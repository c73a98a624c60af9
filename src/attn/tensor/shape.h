// attn/tensor/shape.h — shapes and element strides, outermost dimension first (as torch.Size).
//
// Strides count elements, not bytes (STYLE P2). A dimension argument may be negative and counts from the
// end, as in PyTorch; normalize_dim turns it into an index or throws naming the op.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace attn {

using Shape = std::vector<int64_t>;
using Strides = std::vector<int64_t>;

int64_t numel(const Shape& shape);
// Row-major strides of a contiguous tensor of this shape: [2, 3, 4] → [12, 4, 1].
Strides contiguous_strides(const Shape& shape);
// "[2, 5, 768]"
std::string shape_str(const Shape& shape);
// dim in [-ndim, ndim) → [0, ndim); `op` names the caller in the error.
int64_t normalize_dim(int64_t dim, int64_t ndim, const char* op);
// The broadcast of two shapes by NumPy/PyTorch rules, or an error naming `op` and both shapes.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);

}  // namespace attn
