// examples/autograd_tour.cpp — tensors, views and reverse-mode autograd in attn, side by side with the
// PyTorch lines they mirror. Run: build/release/examples/autograd_tour
#include <iostream>

#include "attn/ops.h"

int main() {
  using namespace attn;
  // x = torch.arange(6.).reshape(2, 3)
  Tensor x = reshape(arange(0, 6, 1, DType::F32), {2, 3});
  std::cout << "x =\n" << x << "\n";
  // Views share storage: x.t() is a (3, 2) tensor with strides (1, 3), no copy.
  Tensor xt = t(x);
  std::cout << "x.t() shape " << shape_str(xt.shape()) << ", strides " << shape_str(xt.strides())
            << ", contiguous: " << std::boolalpha << xt.is_contiguous() << "\n";

  // w = torch.tensor([1., -2., 0.5], requires_grad=True); y = (x * w + 1).exp(); y.backward(ones)
  Tensor w = from_vector<float>({1.f, -2.f, 0.5f});
  w.requires_grad_();
  Tensor y = exp(x * w / 4.0 + 1.0);
  std::cout << "y = exp(x * w / 4 + 1) =\n" << y << "\n";
  y.backward(ones_like(y));
  // dy/dw summed over the broadcast rows: Σ_i exp(x_i·w/4 + 1) · x_i / 4
  std::cout << "w.grad = " << w.grad() << "\n";

  {
    NoGradGuard no_grad;  // torch.no_grad(): nothing is recorded
    Tensor z = x * w;
    std::cout << "under NoGradGuard, z.requires_grad() = " << z.requires_grad() << "\n";
  }
  return 0;
}
