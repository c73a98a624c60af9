// The autograd engine: topological sort of the recorded graph, then one reverse sweep that calls each
// node's backward and accumulates gradients — into the next node, or into a leaf's .grad (STYLE P5).
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "attn/autograd/grad_mode.h"
#include "attn/autograd/node.h"
#include "attn/core/dispatch.h"
#include "attn/tensor/copy.h"
#include "attn/tensor/creation.h"
#include "attn/tensor/view.h"

namespace attn::autograd {

bool needs_graph(std::initializer_list<Tensor> inputs) {
  if (!GradMode::is_enabled()) return false;
  for (const Tensor& t : inputs)
    if (t.defined() && t.requires_grad()) return true;
  return false;
}

bool needs_graph(const std::vector<Tensor>& inputs) {
  if (!GradMode::is_enabled()) return false;
  for (const Tensor& t : inputs)
    if (t.defined() && t.requires_grad()) return true;
  return false;
}

void attach(const Tensor& out, std::shared_ptr<Node> node, const std::vector<Tensor>& inputs) {
  node->edges_.reserve(inputs.size());
  for (const Tensor& t : inputs) {
    Edge e;
    if (t.defined() && t.requires_grad()) {
      if (t.grad_fn()) {
        e.fn = t.grad_fn();
        e.output_nr = t.impl()->output_nr;
      } else {
        e.leaf = t.impl_ptr();
      }
    }
    node->edges_.push_back(std::move(e));
  }
  out.set_grad_fn(std::move(node));
}

void attach_outputs(const std::vector<Tensor>& outs, std::shared_ptr<Node> node,
                    const std::vector<Tensor>& inputs) {
  ATTN_DCHECK(!outs.empty() && outs.size() == node->num_outputs());
  for (size_t k = 1; k < outs.size(); ++k) {
    outs[k].set_grad_fn(node);
    outs[k].impl()->output_nr = static_cast<uint32_t>(k);
  }
  attach(outs[0], std::move(node), inputs);
}

std::vector<Tensor> MultiOutputNode::backward(const Tensor&) {
  ATTN_CHECK(false, "autograd: {} has {} outputs; the engine calls backward_outputs", name(), num_outputs());
  return {};
}

Tensor reduce_to_shape(const Tensor& grad, const Shape& shape) {
  if (grad.shape() == shape) return grad;
  // out (of `shape`) expanded to grad's shape has stride 0 on broadcast dimensions, so walking both
  // layouts together adds every grad element into the out element it was broadcast from.
  Tensor out = zeros(shape, grad.dtype());
  const Layout wide = expand_layout(out.layout(), grad.shape());
  dispatch_floating(grad.dtype(), "reduce_to_shape", [&]<typename T>() {
    T* o = static_cast<T*>(out.storage()->data());
    const T* g = static_cast<const T*>(grad.storage()->data());
    for_each_strided(grad.shape(), wide.strides, 0, grad.strides(), grad.offset(),
                     [&](int64_t i, int64_t j) { o[i] += g[j]; });
  });
  return out;
}

Tensor accumulate(const Tensor& a, const Tensor& b) {
  ATTN_CHECK_KIND(ShapeMismatch, a.shape() == b.shape(),
                  "autograd: gradient of shape {} cannot accumulate into {}", shape_str(b.shape()),
                  shape_str(a.shape()));
  Tensor out = contiguous_copy(a);
  dispatch_floating(a.dtype(), "autograd accumulate", [&]<typename T>() {
    T* o = out.data<T>();
    const T* g = static_cast<const T*>(b.storage()->data());
    if (b.is_contiguous()) {  // the common case, as one vectorisable loop
      const T* gb = g + b.offset();
      const int64_t n = out.numel();
      for (int64_t i = 0; i < n; ++i) o[i] += gb[i];
      return;
    }
    for_each_strided(b.shape(), out.strides(), 0, b.strides(), b.offset(),
                     [&](int64_t i, int64_t j) { o[i] += g[j]; });
  });
  return out;
}

namespace {
// Nodes reachable from `root` in an order where every node comes before the nodes it sends gradients to.
std::vector<Node*> topological_order(Node* root) {
  std::vector<Node*> post;
  std::unordered_set<Node*> seen{root};
  std::vector<std::pair<Node*, size_t>> stack{{root, 0}};
  while (!stack.empty()) {
    auto& [node, next] = stack.back();
    if (next < node->edges().size()) {
      Node* child = node->edges()[next++].fn.get();
      if (child && seen.insert(child).second) stack.push_back({child, 0});
    } else {
      post.push_back(node);
      stack.pop_back();
    }
  }
  return {post.rbegin(), post.rend()};
}

void accumulate_into_leaf(TensorImpl& leaf, const Tensor& g) {
  ATTN_CHECK_KIND(ShapeMismatch, g.shape() == leaf.layout.shape,
                  "autograd: gradient of shape {} for a leaf of shape {}", shape_str(g.shape()),
                  shape_str(leaf.layout.shape));
  Tensor sum = leaf.grad ? accumulate(Tensor(leaf.grad), g) : contiguous_copy(g);
  leaf.grad = sum.impl_ptr();
}
}  // namespace

void run_backward(const Tensor& root, const Tensor& grad_output) {
  ATTN_CHECK(root.requires_grad(), "backward: tensor does not require grad and does not have a grad_fn");
  ATTN_CHECK_KIND(ShapeMismatch, grad_output.shape() == root.shape(),
                  "backward: grad_output shape {} differs from tensor shape {}",
                  shape_str(grad_output.shape()), shape_str(root.shape()));
  NoGradGuard no_grad;
  if (root.is_leaf()) {
    accumulate_into_leaf(*root.impl(), grad_output);
    return;
  }
  // Per node, one gradient slot per output, summed over every consumer of that output.
  std::unordered_map<Node*, std::vector<Tensor>> grads;
  auto add_grad = [&grads](Node* fn, uint32_t output_nr, const Tensor& g) {
    std::vector<Tensor>& slots = grads[fn];
    if (slots.empty()) slots.resize(std::max<size_t>(fn->num_outputs(), output_nr + 1));
    Tensor& slot = slots[output_nr];
    slot = slot.defined() ? accumulate(slot, g) : g;
  };
  add_grad(root.grad_fn().get(), root.impl()->output_nr, grad_output);
  for (Node* node : topological_order(root.grad_fn().get())) {
    auto it = grads.find(node);
    if (it == grads.end()) continue;  // no gradient flowed here
    ATTN_CHECK(!node->released(),
               "backward: trying to backward through the graph a second time ({}): its saved tensors were "
               "freed after the first backward",
               node->name());
    const std::vector<Tensor> g = std::move(it->second);
    grads.erase(it);
    std::vector<Tensor> input_grads = node->backward_outputs(g);
    ATTN_DCHECK(input_grads.size() <= node->edges().size());
    for (size_t i = 0; i < input_grads.size(); ++i) {
      const Edge& e = node->edges()[i];
      const Tensor& gi = input_grads[i];
      if (!e.valid() || !gi.defined()) continue;
      if (e.fn) {
        add_grad(e.fn.get(), e.output_nr, gi);
      } else {
        accumulate_into_leaf(*e.leaf, gi);
      }
    }
    node->release();
    node->released_ = !node->reusable();
  }
}

}  // namespace attn::autograd

namespace attn {

void Tensor::backward() const {
  ATTN_CHECK(numel() == 1, "backward: grad can be implicitly created only for scalar outputs (got shape {})",
             shape_str(shape()));
  autograd::run_backward(*this, ones(shape(), dtype()));
}

void Tensor::backward(const Tensor& grad_output) const { autograd::run_backward(*this, grad_output); }

}  // namespace attn
