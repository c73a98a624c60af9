// attn/autograd/grad_mode.h — whether ops record the graph (thread-local, on by default), and NoGradGuard.
//
//   { attn::NoGradGuard no_grad; y = model.forward(x); }   // inference: no graph, no saved tensors
#pragma once

namespace attn {

class GradMode {
 public:
  static bool is_enabled();
  static void set_enabled(bool enabled);
};

// Turns recording off for its scope (torch.no_grad()), restoring the previous mode on exit.
class NoGradGuard {
 public:
  NoGradGuard() : prev_(GradMode::is_enabled()) { GradMode::set_enabled(false); }
  ~NoGradGuard() { GradMode::set_enabled(prev_); }
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool prev_;
};

}  // namespace attn
