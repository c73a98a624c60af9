// The single gradient-check test (STYLE P7): every op family registers OpCases in its own *_test.cpp file;
// this file runs them, and proves the harness can fail with a deliberately wrong backward.
#include "support/gradcheck.h"

#include "attn/autograd/node.h"
#include "attn/ops.h"

namespace attn::test {
namespace {

TEST_P(GradCheck, MatchesFiniteDifferences) {
  const GradCheckResult r = check_gradients(GetParam());
  EXPECT_TRUE(r.ok) << r.report;
}

// Negative control: y = a ⊙ b whose backward is wrong by 0.1 % in one input. The harness must reject it.
struct BrokenMulBackward : autograd::Node {
  Tensor a, b;
  BrokenMulBackward(Tensor a_, Tensor b_) : a(std::move(a_)), b(std::move(b_)) {}
  std::string name() const override { return "BrokenMulBackward"; }
  std::vector<Tensor> backward(const Tensor& g) override { return {mul(mul(g, b), 1.001), mul(g, a)}; }
};

Tensor broken_mul(const Tensor& a, const Tensor& b) {
  Tensor out;
  {
    NoGradGuard no_grad;
    out = mul(a, b);
  }
  autograd::attach(out, std::make_shared<BrokenMulBackward>(a.detach(), b.detach()), {a, b});
  return out;
}

TEST(GradCheckHarness, RejectsAWrongBackward) {
  OpCase c{"broken_mul", {{3, 4}, {3, 4}}, [](std::span<const Tensor> x) { return broken_mul(x[0], x[1]); }};
  const GradCheckResult r = check_gradients(c);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.report.find("input 0"), std::string::npos) << r.report;
  EXPECT_GT(r.worst_norm_err, 1e-4);  // a 1e-3 relative error is seen as such, far above the 1e-6 limit
}

TEST(GradCheckHarness, AcceptsTheRightBackwardTightly) {
  OpCase c{"mul", {{3, 4}, {3, 4}}, [](std::span<const Tensor> x) { return mul(x[0], x[1]); }};
  const GradCheckResult r = check_gradients(c);
  EXPECT_TRUE(r.ok) << r.report;
  EXPECT_LT(r.worst_norm_err, 1e-8);
}

}  // namespace
}  // namespace attn::test
