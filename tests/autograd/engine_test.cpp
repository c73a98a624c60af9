// The engine's contract, as torch.autograd's: accumulation, no_grad, detach, leaves, freed graphs, errors.
#include <gtest/gtest.h>

#include "attn/autograd/node.h"
#include "attn/ops.h"

namespace attn {
namespace {

Tensor leaf(std::vector<float> v) {
  Tensor t = from_vector<float>(v);
  t.requires_grad_();
  return t;
}

TEST(Autograd, GradientsAccumulateAcrossBackwardCalls) {
  Tensor x = leaf({1, 2});
  (x * 3.0).backward(ones({2}));
  (x * x).backward(ones({2}));
  // torch: x.grad after both = 3 + 2x = [5, 7]
  EXPECT_EQ(to_vector<float>(x.grad()), (std::vector<float>{5, 7}));
  x.zero_grad();
  EXPECT_FALSE(x.grad().defined());
}

TEST(Autograd, DiamondGraphSumsBothPaths) {
  // y = x*2; z = y*y + y  → dz/dx = (2y + 1) * 2 = 8x + 2
  Tensor x = leaf({1, -1});
  Tensor y = x * 2.0;
  Tensor z = y * y + y;
  z.backward(ones({2}));
  EXPECT_EQ(to_vector<float>(x.grad()), (std::vector<float>{10, -6}));
}

TEST(Autograd, NoGradGuardRecordsNothing) {
  Tensor x = leaf({1});
  Tensor y;
  {
    NoGradGuard g;
    y = x * 2.0;
  }
  EXPECT_FALSE(y.requires_grad());
  EXPECT_EQ(y.grad_fn(), nullptr);
  EXPECT_TRUE(GradMode::is_enabled());
  EXPECT_THROW(y.backward(), Error);
}

TEST(Autograd, DetachCutsTheGraphButSharesStorage) {
  Tensor x = leaf({3});
  Tensor d = (x * 2.0).detach();
  EXPECT_FALSE(d.requires_grad());
  Tensor z = x * d;  // d is a constant: dz/dx = d = 6
  z.backward();
  EXPECT_EQ(x.grad().item<float>(), 6.f);
}

TEST(Autograd, GraphIsFreedAfterBackward) {
  Tensor x = leaf({1, 2});
  Tensor y = x * x;
  std::weak_ptr<autograd::Node> node = y.grad_fn();
  y.backward(ones({2}));
  EXPECT_TRUE(node.lock()->released());
  EXPECT_THROW(y.backward(ones({2})), Error);  // "backward through the graph a second time"
  y = Tensor();
  EXPECT_TRUE(node.expired());  // nothing else keeps the graph alive
}

TEST(Autograd, ErrorsAreClear) {
  Tensor x = leaf({1, 2});
  EXPECT_THROW((x * 2.0).backward(), Error);  // non-scalar without grad_output
  EXPECT_THROW((x * 2.0).backward(ones({3})), Error);
  Tensor ids = from_vector<int64_t>({1});
  EXPECT_THROW(ids.requires_grad_(), Error);
  Tensor y = x * 2.0;
  EXPECT_THROW(y.requires_grad_(false), Error);  // not a leaf
}

TEST(Autograd, OnlyLeavesThatRequireGradReceiveGradients) {
  Tensor a = leaf({1});
  Tensor b = from_vector<float>({2});
  (a * b).backward();
  EXPECT_TRUE(a.grad().defined());
  EXPECT_FALSE(b.grad().defined());
}

}  // namespace
}  // namespace attn
