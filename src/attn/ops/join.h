// attn/ops/join.h — joining and splitting along a dimension: cat, stack, split, chunk, unbind (all
// differentiable).
//
// cat and stack copy into a new tensor (backward hands each input its slice of the gradient, as a view);
// split, chunk and unbind return views of their input, exactly as torch.split / torch.chunk / torch.unbind,
// and their backward gathers all pieces' gradients into one buffer.
#pragma once

#include <cstdint>
#include <vector>

#include "attn/tensor/tensor.h"

namespace attn {

// Concatenation along `dim`; all shapes equal except in `dim`, one dtype.          torch.cat
Tensor cat(const std::vector<Tensor>& tensors, int64_t dim = 0);
// Stacks equal-shaped tensors along a new dimension `dim` (in [-(n+1), n+1)).       torch.stack
Tensor stack(const std::vector<Tensor>& tensors, int64_t dim = 0);
// Views of `split_size` along dim (the last one smaller if it does not divide).     torch.split
std::vector<Tensor> split(const Tensor& x, int64_t split_size, int64_t dim = 0);
// Views of the given sizes along dim (they must sum to x.size(dim)).               torch.split(x, [sizes])
std::vector<Tensor> split(const Tensor& x, const std::vector<int64_t>& split_sizes, int64_t dim = 0);
// At most `chunks` views of ceil(size / chunks) along dim (fewer if they run out).  torch.chunk
std::vector<Tensor> chunk(const Tensor& x, int64_t chunks, int64_t dim = 0);
// The x.size(dim) slices along dim with dim removed (views).                       torch.unbind
// Backward writes every slice's gradient into one buffer of x's shape (e.g. an RNN's T steps).
std::vector<Tensor> unbind(const Tensor& x, int64_t dim = 0);

}  // namespace attn
