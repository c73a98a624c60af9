// attn/autograd/node.h — one recorded operation in the backward graph (STYLE P5).
//
// Each differentiable op defines a Node subclass right below its forward (in attn/ops), saving what its
// backward needs. backward(grad_out) returns one gradient per input, in the order the inputs were given to
// record(); an undefined Tensor means "no gradient for this input". Gradients returned must already have the
// input's shape (use reduce_to_shape for broadcasting ops). The engine (engine.cpp) runs the nodes in
// reverse topological order under NoGradGuard and frees each node's saved tensors after it ran.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "attn/tensor/tensor.h"

namespace attn::autograd {

class Node;

// Where the gradient of one input goes: the input's grad_fn, or — for a leaf that requires grad — the leaf.
struct Edge {
  std::shared_ptr<Node> fn;
  std::shared_ptr<TensorImpl> leaf;
  uint32_t output_nr = 0;  // which of fn's outputs the gradient is for (multi-output nodes)
  bool valid() const { return fn != nullptr || leaf != nullptr; }
};

class Node {
 public:
  virtual ~Node() = default;
  virtual std::vector<Tensor> backward(const Tensor& grad_out) = 0;
  // "MulBackward", as PyTorch names its nodes (shown by Tensor printing and in errors).
  virtual std::string name() const = 0;
  // Drops saved tensors once backward has run (graph memory is freed, as PyTorch without retain_graph).
  virtual void release() {}
  // Multi-output ops (split/chunk/unbind, lstm_cell_pointwise) derive from MultiOutputNode and override
  // these two: the engine gathers one gradient per output (undefined where none flowed) and calls
  // backward_outputs once — so unbind's T step gradients land in ONE buffer of the input's shape instead
  // of T zero-filled ones added up (PyTorch's per-node InputBuffer).
  virtual size_t num_outputs() const { return 1; }
  virtual std::vector<Tensor> backward_outputs(const std::vector<Tensor>& grads_out) {
    return backward(grads_out[0]);
  }
  // True for a node that saves no tensors: it may run again in a later backward (as in PyTorch).
  virtual bool reusable() const { return false; }

  const std::vector<Edge>& edges() const { return edges_; }
  // Whether input i needs a gradient: lets backward skip work (e.g. no dX for an embedding's ids).
  bool needs_grad(size_t i) const { return i < edges_.size() && edges_[i].valid(); }
  bool released() const { return released_; }

 private:
  friend void attach(const Tensor&, std::shared_ptr<Node>, const std::vector<Tensor>&);
  friend void run_backward(const Tensor&, const Tensor&);
  std::vector<Edge> edges_;
  bool released_ = false;
};

// A node with several outputs (tensors made by attach_outputs); the single-gradient backward is not used.
class MultiOutputNode : public Node {
 public:
  std::vector<Tensor> backward(const Tensor& grad_out) final;
};

// True when grad mode is on and any of `inputs` requires grad: the op should build and attach a node.
bool needs_graph(std::initializer_list<Tensor> inputs);
bool needs_graph(const std::vector<Tensor>& inputs);
// Makes `node` the grad_fn of `out`, with one edge per input (in backward's return order).
void attach(const Tensor& out, std::shared_ptr<Node> node, const std::vector<Tensor>& inputs);
// The same for a multi-output node: outs[k] becomes its output k (node->num_outputs() == outs.size()).
void attach_outputs(const std::vector<Tensor>& outs, std::shared_ptr<Node> node,
                    const std::vector<Tensor>& inputs);

// Sums `grad` over broadcast dimensions so that it has `shape` (the one place broadcasting is undone).
Tensor reduce_to_shape(const Tensor& grad, const Shape& shape);
// a + b for two tensors of one shape and floating dtype, no graph (gradient accumulation).
Tensor accumulate(const Tensor& a, const Tensor& b);

// Runs reverse-mode differentiation from `root` seeded with `grad_output`.
void run_backward(const Tensor& root, const Tensor& grad_output);

}  // namespace attn::autograd
