// attn/tensor/tensor.h — attn::Tensor, a cheap handle over shared Storage + Layout (STYLE P2).
//
// Copying a Tensor copies a shared_ptr; views (see ops/shape.h) build a new Layout over the same Storage.
// Dimensions are outermost-first and strides count elements, exactly as torch.Tensor. The autograd fields
// (requires_grad, grad, grad_fn) live here so every layer can see them; the engine that uses them is in
// attn/autograd, and differentiable operations are free functions in attn/ops.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <ostream>
#include <string>
#include <type_traits>

#include "attn/core/device.h"
#include "attn/core/dtype.h"
#include "attn/core/error.h"
#include "attn/tensor/shape.h"
#include "attn/tensor/storage.h"

namespace attn {

namespace autograd {
class Node;
}

// Where a tensor's elements sit in its storage: element (i, j, …) is at offset + i*strides[0] + j*strides[1]
// …
struct Layout {
  Shape shape;
  Strides strides;
  int64_t offset = 0;

  bool is_contiguous() const;
  static Layout contiguous(const Shape& shape) { return Layout{shape, contiguous_strides(shape), 0}; }
};

struct TensorImpl {
  std::shared_ptr<Storage> storage;
  Layout layout;
  DType dtype = DType::F32;
  Device device = kCPU;
  // Autograd state (STYLE P5). A leaf has no grad_fn; grads accumulate into `grad` on leaves only.
  bool requires_grad = false;
  std::shared_ptr<autograd::Node> grad_fn;
  std::shared_ptr<TensorImpl> grad;
  uint32_t output_nr = 0;  // which output of grad_fn this tensor is (> 0 only for multi-output ops: split)
};

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}
  // A tensor over `storage` with `layout` (no copy).
  Tensor(std::shared_ptr<Storage> storage, Layout layout, DType dtype, Device device = kCPU);

  bool defined() const { return impl_ != nullptr; }
  const Shape& shape() const { return checked().layout.shape; }
  const Strides& strides() const { return checked().layout.strides; }
  int64_t offset() const { return checked().layout.offset; }
  const Layout& layout() const { return checked().layout; }
  int64_t dim() const { return static_cast<int64_t>(shape().size()); }
  int64_t size(int64_t d) const;  // negative d counts from the end
  int64_t numel() const { return attn::numel(shape()); }
  DType dtype() const { return checked().dtype; }
  Device device() const { return checked().device; }
  bool is_contiguous() const { return layout().is_contiguous(); }
  const std::shared_ptr<Storage>& storage() const { return checked().storage; }

  // Pointer to element 0 of this view (storage data + offset), typed; checks the dtype.
  template <typename T>
  T* data() const {
    ATTN_CHECK_KIND(DTypeMismatch, dtype() == dtype_of<T>(),
                    "Tensor::data: tensor has dtype {}, requested {}", dtype_name(dtype()),
                    dtype_name(dtype_of<T>()));
    return static_cast<T*>(storage()->data()) + offset();
  }
  // Untyped pointer to element 0 of this view.
  void* data_ptr() const {
    return static_cast<char*>(storage()->data()) + offset() * static_cast<int64_t>(dtype_size(dtype()));
  }

  // The single value of a one-element tensor, converted to T (as torch's .item()).
  template <typename T>
  T item() const;
  // Element at a full index (bounds-checked), converted to T — for tests and debugging, not for loops.
  template <typename T>
  T at(std::initializer_list<int64_t> index) const;

  // ---- autograd ----
  bool requires_grad() const { return checked().requires_grad; }
  // Marks a leaf as needing a gradient (as torch's requires_grad_). Throws on non-floating dtypes.
  Tensor& requires_grad_(bool on = true);
  // The accumulated gradient, or an undefined tensor if backward has not reached this leaf.
  Tensor grad() const;
  void set_grad(const Tensor& g) const;
  // Drops the accumulated gradient (PyTorch's zero_grad(set_to_none=True)).
  void zero_grad() const { checked().grad.reset(); }
  const std::shared_ptr<autograd::Node>& grad_fn() const { return checked().grad_fn; }
  void set_grad_fn(std::shared_ptr<autograd::Node> fn) const;
  bool is_leaf() const { return grad_fn() == nullptr; }
  // Same storage and layout, cut from the graph.
  Tensor detach() const;
  // Reverse-mode differentiation from this scalar (or with an explicit output gradient). Defined in
  // attn/autograd/engine.cpp, like torch.Tensor.backward lives in torch.autograd.
  void backward() const;
  void backward(const Tensor& grad_output) const;

  TensorImpl* impl() const { return impl_.get(); }
  const std::shared_ptr<TensorImpl>& impl_ptr() const { return impl_; }
  bool is_same(const Tensor& other) const { return impl_ == other.impl_; }
  std::string str() const;  // PyTorch-like printing (print.cpp)

 private:
  TensorImpl& checked() const {
    ATTN_CHECK(impl_ != nullptr, "Tensor: operation on an undefined tensor");
    return *impl_;
  }
  std::shared_ptr<TensorImpl> impl_;
};

std::ostream& operator<<(std::ostream& os, const Tensor& t);

// Reads element `linear` (row-major position in the view) of any dtype as double / as int64.
double element_as_double(const Tensor& t, int64_t linear);
int64_t element_as_int64(const Tensor& t, int64_t linear);
template <typename T>
T element_as(const Tensor& t, int64_t linear) {
  if constexpr (std::is_integral_v<T>) {
    return static_cast<T>(element_as_int64(t, linear));
  } else {
    return static_cast<T>(element_as_double(t, linear));
  }
}

template <typename T>
T Tensor::item() const {
  ATTN_CHECK(numel() == 1, "Tensor::item: expected a tensor with one element, got shape {}",
             shape_str(shape()));
  return element_as<T>(*this, 0);
}

template <typename T>
T Tensor::at(std::initializer_list<int64_t> index) const {
  ATTN_CHECK_KIND(IndexOutOfRange, static_cast<int64_t>(index.size()) == dim(),
                  "Tensor::at: expected {} indices for shape {}, got {}", dim(), shape_str(shape()),
                  index.size());
  int64_t linear = 0, d = 0;
  for (int64_t i : index) {
    ATTN_CHECK_KIND(IndexOutOfRange, i >= 0 && i < shape()[d],
                    "Tensor::at: index {} out of range for dimension {} of size {}", i, d, shape()[d]);
    linear = linear * shape()[d] + i;
    ++d;
  }
  return element_as<T>(*this, linear);
}

}  // namespace attn
