// relu, tanh, sigmoid, gelu: validate → allocate → dispatch → record (STYLE P4). Each backward is one call of
// the fused kernel of kernels/cpu/activation.h into a zero gradient.
#include "attn/ops/activation.h"

#include "attn/autograd/node.h"
#include "attn/core/dispatch.h"
#include "attn/kernels/cpu/activation.h"
#include "attn/tensor/copy.h"
#include "attn/tensor/creation.h"

namespace attn {

namespace {
Tensor contiguous_of(const Tensor& t) { return t.is_contiguous() ? t : contiguous_copy(t); }

// Kind of activation, selecting the kernel pair.
enum class Act { Relu, Tanh, Sigmoid, GeluNone, GeluTanh };

const char* act_name(Act a) {
  switch (a) {
    case Act::Relu:
      return "relu";
    case Act::Tanh:
      return "tanh";
    case Act::Sigmoid:
      return "sigmoid";
    case Act::GeluNone:
    case Act::GeluTanh:
      return "gelu";
  }
  return "?";
}

template <typename T>
void forward_kernel(Act a, T* y, const T* x, int64_t n) {
  switch (a) {
    case Act::Relu:
      kernels::relu_forward(y, x, n);
      break;
    case Act::Tanh:
      kernels::tanh_forward(y, x, n);
      break;
    case Act::Sigmoid:
      kernels::sigmoid_forward(y, x, n);
      break;
    case Act::GeluNone:
      kernels::gelu_forward(y, x, n, false);
      break;
    case Act::GeluTanh:
      kernels::gelu_forward(y, x, n, true);
      break;
  }
}

// `saved` is y for relu/tanh/sigmoid and x for gelu (see the kernels' backward signatures).
template <typename T>
void backward_kernel(Act a, T* dx, const T* dy, const T* saved, int64_t n) {
  switch (a) {
    case Act::Relu:
      kernels::relu_backward(dx, dy, saved, n);
      break;
    case Act::Tanh:
      kernels::tanh_backward(dx, dy, saved, n);
      break;
    case Act::Sigmoid:
      kernels::sigmoid_backward(dx, dy, saved, n);
      break;
    case Act::GeluNone:
      kernels::gelu_backward(dx, dy, saved, n, false);
      break;
    case Act::GeluTanh:
      kernels::gelu_backward(dx, dy, saved, n, true);
      break;
  }
}

bool saves_input(Act a) { return a == Act::GeluNone || a == Act::GeluTanh; }

struct ActivationBackward : autograd::Node {
  Act act;
  Tensor saved;  // contiguous: the output, or the input for gelu
  ActivationBackward(Act a, Tensor s) : act(a), saved(std::move(s)) {}
  std::string name() const override {
    switch (act) {
      case Act::Relu:
        return "ReluBackward";
      case Act::Tanh:
        return "TanhBackward";
      case Act::Sigmoid:
        return "SigmoidBackward";
      default:
        return "GeluBackward";
    }
  }
  std::vector<Tensor> backward(const Tensor& g) override {
    const Tensor gc = contiguous_of(g);
    Tensor dx = zeros(saved.shape(), saved.dtype());
    dispatch_floating(saved.dtype(), "activation backward", [&]<typename T>() {
      backward_kernel<T>(act, dx.data<T>(), gc.data<T>(), saved.data<T>(), saved.numel());
    });
    return {dx};
  }
  void release() override { saved = Tensor(); }
};

Tensor activation(const Tensor& x, Act a) {
  const Tensor xc = contiguous_of(x);
  Tensor y = empty(x.shape(), x.dtype());
  if (a == Act::Relu && x.dtype() == DType::I64) {  // relu is also defined on integers, as in torch
    kernels::relu_forward(y.data<int64_t>(), xc.data<int64_t>(), x.numel());
    return y;
  }
  dispatch_floating(x.dtype(), act_name(a),
                    [&]<typename T>() { forward_kernel<T>(a, y.data<T>(), xc.data<T>(), x.numel()); });
  if (autograd::needs_graph({x})) {
    autograd::attach(y, std::make_shared<ActivationBackward>(a, saves_input(a) ? xc.detach() : y.detach()),
                     {x});
  }
  return y;
}
}  // namespace

// relu'(x) = 1 where y > 0, else 0 (0 at x = 0, as torch's threshold_backward)
Tensor relu(const Tensor& x) { return activation(x, Act::Relu); }
// tanh'(x) = 1 − y²
Tensor tanh(const Tensor& x) { return activation(x, Act::Tanh); }
// σ'(x) = y·(1 − y)
Tensor sigmoid(const Tensor& x) { return activation(x, Act::Sigmoid); }
// gelu'(x): see kernels/cpu/activation.h
Tensor gelu(const Tensor& x, GeluApprox approximate) {
  return activation(x, approximate == GeluApprox::Tanh ? Act::GeluTanh : Act::GeluNone);
}

}  // namespace attn
