// attn/ops/shape.h — differentiable views and copies: reshape, transpose, permute, narrow/slice, select,
// unsqueeze/squeeze, expand, contiguous, flatten, to_dtype, clone.
//
// Views share storage with their input (no copy), exactly as in PyTorch; reshape copies only when the strides
// do not allow a view; contiguous() copies only a non-contiguous input. Gradients flow back through all of
// them: transpose/permute apply the inverse, narrow/select scatter into zeros, expand sums.
#pragma once

#include <optional>
#include <vector>

#include "attn/tensor/tensor.h"

namespace attn {

Tensor reshape(const Tensor& x, const Shape& shape);  // one -1 allowed; copies if it must  torch.reshape
Tensor view(const Tensor& x, const Shape& shape);     // never copies; throws if impossible torch.Tensor.view
Tensor flatten(const Tensor& x, int64_t start_dim = 0, int64_t end_dim = -1);
Tensor transpose(const Tensor& x, int64_t dim0, int64_t dim1);
Tensor t(const Tensor& x);  // 2-D transpose
Tensor permute(const Tensor& x, const std::vector<int64_t>& dims);
Tensor narrow(const Tensor& x, int64_t dim, int64_t start, int64_t length);
// x[..., start:end:step, ...] along dim, with Python's clamping of out-of-range bounds.
Tensor slice(const Tensor& x, int64_t dim, int64_t start, int64_t end, int64_t step = 1);
Tensor select(const Tensor& x, int64_t dim, int64_t index);  // removes dim
Tensor unsqueeze(const Tensor& x, int64_t dim);
Tensor squeeze(const Tensor& x);                     // all size-1 dims
Tensor squeeze(const Tensor& x, int64_t dim);        // that dim, if size 1
Tensor expand(const Tensor& x, const Shape& shape);  // -1 keeps a size
Tensor contiguous(const Tensor& x);                  // x itself when already contiguous
Tensor clone(const Tensor& x);                       // always a copy, differentiable
Tensor to_dtype(const Tensor& x, DType dtype);       // differentiable between F32 and F64

}  // namespace attn
