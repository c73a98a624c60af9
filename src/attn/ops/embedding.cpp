// embedding: validate (ids in range) → allocate → gather kernel → record EmbeddingBackward (scatter-add).
#include "attn/ops/embedding.h"

#include "attn/autograd/node.h"
#include "attn/core/dispatch.h"
#include "attn/kernels/cpu/embedding.h"
#include "attn/tensor/copy.h"
#include "attn/tensor/creation.h"

namespace attn {

namespace {
// dW[ids[n]] += dy[n] for every position except padding ones; no gradient for the ids.
struct EmbeddingBackward : autograd::Node {
  Tensor ids;  // (N), contiguous
  Shape weight_shape;
  int64_t padding_idx;
  EmbeddingBackward(Tensor i, Shape s, int64_t p)
      : ids(std::move(i)), weight_shape(std::move(s)), padding_idx(p) {}
  std::string name() const override { return "EmbeddingBackward"; }
  std::vector<Tensor> backward(const Tensor& grad) override {
    if (!needs_grad(0)) return {};
    Tensor dw = zeros(weight_shape, grad.dtype());
    const Tensor g = grad.is_contiguous() ? grad : contiguous_copy(grad);  // (…, C)
    dispatch_floating(grad.dtype(), "embedding", [&]<typename T>() {
      kernels::embedding_backward(dw.data<T>(), g.data<T>(), ids.data<int64_t>(), ids.numel(),
                                  weight_shape[1], padding_idx);
    });
    return {dw, Tensor()};
  }
  void release() override { ids = Tensor(); }
};

void check_ids(const Tensor& ids, int64_t V) {
  const int64_t* p = ids.data<int64_t>();
  for (int64_t n = 0; n < ids.numel(); ++n) {
    ATTN_CHECK_KIND(IndexOutOfRange, p[n] >= 0 && p[n] < V,
                    "embedding: id {} at position {} is out of range for a vocabulary of size {}", p[n], n,
                    V);
  }
}
}  // namespace

Tensor embedding(const Tensor& weight, const Tensor& ids_in, int64_t padding_idx) {
  ATTN_CHECK_KIND(ShapeMismatch, weight.dim() == 2, "embedding: expected weight of shape (V, C), got {}",
                  shape_str(weight.shape()));
  ATTN_CHECK_KIND(DTypeMismatch, ids_in.dtype() == DType::I64, "embedding: expected int64 ids, got {}",
                  dtype_name(ids_in.dtype()));
  const int64_t V = weight.size(0), C = weight.size(1);
  ATTN_CHECK(padding_idx < V, "embedding: padding_idx {} must be below the vocabulary size {}", padding_idx,
             V);
  if (padding_idx < 0) padding_idx = -1;
  const Tensor ids = ids_in.is_contiguous() ? ids_in : contiguous_copy(ids_in);
  check_ids(ids, V);
  const Tensor w = weight.is_contiguous() ? weight : contiguous_copy(weight);
  Shape shape = ids.shape();
  shape.push_back(C);
  Tensor out = empty(shape, weight.dtype());
  dispatch_floating(weight.dtype(), "embedding", [&]<typename T>() {
    kernels::embedding_forward(out.data<T>(), w.data<T>(), ids.data<int64_t>(), ids.numel(), C);
  });
  if (autograd::needs_graph({weight})) {
    autograd::attach(out, std::make_shared<EmbeddingBackward>(ids.detach(), weight.shape(), padding_idx),
                     {weight, ids_in});
  }
  return out;
}

}  // namespace attn
