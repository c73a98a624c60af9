// lstm_cell_pointwise / gru_cell_pointwise: validate → allocate → dispatch → record (STYLE P4). The forward
// kernel's workspace of activated gates is what the backward node saves.
#include "attn/ops/rnn_cell.h"

#include "attn/autograd/node.h"
#include "attn/core/dispatch.h"
#include "attn/kernels/cpu/rnn_cell.h"
#include "attn/tensor/copy.h"
#include "attn/tensor/creation.h"

namespace attn {

namespace {
Tensor contiguous_of(const Tensor& t) { return t.is_contiguous() ? t : contiguous_copy(t); }

// gi, gh (B, G·H) and the state s (B, H), one floating dtype; returns H.
int64_t check_cell(const char* op, int64_t G, const Tensor& gi, const Tensor& gh, const Tensor& s) {
  ATTN_CHECK_KIND(ShapeMismatch, s.dim() == 2 && s.size(1) > 0,
                  "{}: expected a state (B, H) with H > 0, got {}", op, shape_str(s.shape()));
  const int64_t B = s.size(0), H = s.size(1);
  for (const auto& [t, what] : {std::pair{gi, "gi"}, std::pair{gh, "gh"}}) {
    ATTN_CHECK_KIND(ShapeMismatch, t.dim() == 2 && t.size(0) == B && t.size(1) == G * H,
                    "{}: expected {} of shape [{}, {}] ({} gates × H = {}), got {}", op, what, B, G * H, G, H,
                    shape_str(t.shape()));
    ATTN_CHECK_KIND(DTypeMismatch, t.dtype() == s.dtype(), "{}: {} has dtype {}, the state has {}", op, what,
                    dtype_name(t.dtype()), dtype_name(s.dtype()));
  }
  ATTN_CHECK_KIND(DTypeMismatch, is_floating(s.dtype()), "{}: expected a floating dtype, got {}", op,
                  dtype_name(s.dtype()));
  return H;
}

template <typename T>
const T* data_or_null(const Tensor& t) {
  return t.defined() ? t.data<T>() : nullptr;
}

// Two outputs, h' and c'; either may have no gradient (e.g. only h' feeds the loss at the last step).
struct LstmCellBackward : autograd::MultiOutputNode {
  Tensor ws, c;  // ws (B, 5H): i, f, g, o, tanh(c'); c (B, H) contiguous
  LstmCellBackward(Tensor w, Tensor c_) : ws(std::move(w)), c(std::move(c_)) {}
  std::string name() const override { return "LstmCellBackward"; }
  size_t num_outputs() const override { return 2; }
  std::vector<Tensor> backward_outputs(const std::vector<Tensor>& g) override {
    const Tensor dh = g[0].defined() ? contiguous_of(g[0]) : Tensor();
    const Tensor dc_new = g[1].defined() ? contiguous_of(g[1]) : Tensor();
    const int64_t B = c.size(0), H = c.size(1);
    Tensor dgates = empty({B, 4 * H}, c.dtype()), dc = empty({B, H}, c.dtype());  // written, not added to
    dispatch_floating(c.dtype(), "lstm_cell_pointwise backward", [&]<typename T>() {
      kernels::lstm_cell_backward<T>(dgates.data<T>(), dc.data<T>(), data_or_null<T>(dh),
                                     data_or_null<T>(dc_new), ws.data<T>(), c.data<T>(), B, H);
    });
    // d gi = d gh = d(gi + gh): one tensor for both edges (the engine never writes into a gradient).
    return {needs_grad(0) ? dgates : Tensor(), needs_grad(1) ? dgates : Tensor(),
            needs_grad(2) ? dc : Tensor()};
  }
  void release() override { ws = c = Tensor(); }
};

struct GruCellBackward : autograd::Node {
  Tensor ws, h;  // ws (B, 4H): r, z, n, gh_n; h (B, H) contiguous
  GruCellBackward(Tensor w, Tensor h_) : ws(std::move(w)), h(std::move(h_)) {}
  std::string name() const override { return "GruCellBackward"; }
  std::vector<Tensor> backward(const Tensor& g) override {
    const Tensor dh_new = contiguous_of(g);
    const int64_t B = h.size(0), H = h.size(1);
    Tensor dgi = empty({B, 3 * H}, h.dtype()), dgh = empty({B, 3 * H}, h.dtype()),
           dh = empty({B, H}, h.dtype());
    dispatch_floating(h.dtype(), "gru_cell_pointwise backward", [&]<typename T>() {
      kernels::gru_cell_backward<T>(dgi.data<T>(), dgh.data<T>(), dh.data<T>(), dh_new.data<T>(),
                                    ws.data<T>(), h.data<T>(), B, H);
    });
    return {dgi, dgh, dh};
  }
  void release() override { ws = h = Tensor(); }
};
}  // namespace

std::array<Tensor, 2> lstm_cell_pointwise(const Tensor& gi, const Tensor& gh, const Tensor& c) {
  const int64_t H = check_cell("lstm_cell_pointwise", 4, gi, gh, c), B = c.size(0);
  const Tensor gic = contiguous_of(gi), ghc = contiguous_of(gh), cc = contiguous_of(c);
  Tensor h_new = empty({B, H}, c.dtype()), c_new = empty({B, H}, c.dtype()),
         ws = empty({B, 5 * H}, c.dtype());
  dispatch_floating(c.dtype(), "lstm_cell_pointwise", [&]<typename T>() {
    kernels::lstm_cell_forward<T>(h_new.data<T>(), c_new.data<T>(), ws.data<T>(), gic.data<T>(),
                                  ghc.data<T>(), cc.data<T>(), B, H);
  });
  if (autograd::needs_graph({gi, gh, c}))
    autograd::attach_outputs({h_new, c_new}, std::make_shared<LstmCellBackward>(ws, cc.detach()),
                             {gi, gh, c});
  return {h_new, c_new};
}

Tensor gru_cell_pointwise(const Tensor& gi, const Tensor& gh, const Tensor& h) {
  const int64_t H = check_cell("gru_cell_pointwise", 3, gi, gh, h), B = h.size(0);
  const Tensor gic = contiguous_of(gi), ghc = contiguous_of(gh), hc = contiguous_of(h);
  Tensor h_new = empty({B, H}, h.dtype()), ws = empty({B, 4 * H}, h.dtype());
  dispatch_floating(h.dtype(), "gru_cell_pointwise", [&]<typename T>() {
    kernels::gru_cell_forward<T>(h_new.data<T>(), ws.data<T>(), gic.data<T>(), ghc.data<T>(), hc.data<T>(), B,
                                 H);
  });
  if (autograd::needs_graph({gi, gh, h}))
    autograd::attach(h_new, std::make_shared<GruCellBackward>(ws, hc.detach()), {gi, gh, h});
  return h_new;
}

}  // namespace attn
