#include "attn/tensor/tensor.h"

#include <cstring>

namespace attn {

bool Layout::is_contiguous() const {
  int64_t expected = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    if (shape[i] != 1 && strides[i] != expected) return false;
    expected *= shape[i];
  }
  return true;
}

Tensor::Tensor(std::shared_ptr<Storage> storage, Layout layout, DType dtype, Device device)
    : impl_(std::make_shared<TensorImpl>()) {
  impl_->storage = std::move(storage);
  impl_->layout = std::move(layout);
  impl_->dtype = dtype;
  impl_->device = device;
}

int64_t Tensor::size(int64_t d) const { return shape()[normalize_dim(d, dim(), "Tensor::size")]; }

Tensor& Tensor::requires_grad_(bool on) {
  ATTN_CHECK_KIND(DTypeMismatch, !on || is_floating(dtype()),
                  "requires_grad_: only floating-point tensors can require gradients, got {}",
                  dtype_name(dtype()));
  ATTN_CHECK(is_leaf(), "requires_grad_: can only be changed on leaf tensors (this one has grad_fn)");
  checked().requires_grad = on;
  return *this;
}

Tensor Tensor::grad() const {
  const auto& g = checked().grad;
  return g ? Tensor(g) : Tensor();
}

void Tensor::set_grad(const Tensor& g) const {
  if (!g.defined()) {
    checked().grad.reset();
    return;
  }
  ATTN_CHECK_KIND(ShapeMismatch, g.shape() == shape(),
                  "set_grad: gradient shape {} differs from tensor shape {}", shape_str(g.shape()),
                  shape_str(shape()));
  checked().grad = g.impl_;
}

void Tensor::set_grad_fn(std::shared_ptr<autograd::Node> fn) const {
  checked().grad_fn = std::move(fn);
  checked().requires_grad = checked().grad_fn != nullptr || checked().requires_grad;
}

Tensor Tensor::detach() const { return Tensor(storage(), layout(), dtype(), device()); }

namespace {
// Storage element index of row-major position `linear` within the view.
int64_t storage_index(const Tensor& t, int64_t linear) {
  ATTN_CHECK_KIND(IndexOutOfRange, linear >= 0 && linear < t.numel(),
                  "Tensor: element {} out of range for shape {}", linear, shape_str(t.shape()));
  int64_t index = t.offset();
  for (int64_t d = t.dim() - 1; d >= 0; --d) {
    const int64_t n = t.shape()[d];
    index += (linear % n) * t.strides()[d];
    linear /= n;
  }
  return index;
}

template <typename R>
R read_as(const Tensor& t, int64_t linear) {
  const int64_t i = storage_index(t, linear);
  const void* base = t.storage()->data();
  switch (t.dtype()) {
    case DType::F32:
      return static_cast<R>(static_cast<const float*>(base)[i]);
    case DType::F64:
      return static_cast<R>(static_cast<const double*>(base)[i]);
    case DType::I64:
      return static_cast<R>(static_cast<const int64_t*>(base)[i]);
    case DType::I32:
      return static_cast<R>(static_cast<const int32_t*>(base)[i]);
    case DType::Bool:
      return static_cast<R>(static_cast<const uint8_t*>(base)[i] != 0);
    case DType::F16:
    case DType::BF16:
      break;
  }
  throw_error(ErrorKind::DTypeMismatch, "Tensor: cannot read elements of dtype {} (convert to float32 first)",
              dtype_name(t.dtype()));
}
}  // namespace

double element_as_double(const Tensor& t, int64_t linear) { return read_as<double>(t, linear); }
int64_t element_as_int64(const Tensor& t, int64_t linear) { return read_as<int64_t>(t, linear); }

std::ostream& operator<<(std::ostream& os, const Tensor& t) { return os << t.str(); }

}  // namespace attn
