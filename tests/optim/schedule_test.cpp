// Learning-rate schedules and clip_grad_norm_ against torch / HF transformers
// (fixture: tools/fixtures/optim.py → tests/data/optim/optim.safetensors, "sched.*" and "clip.*").
#include <gtest/gtest.h>

#include <cmath>

#include "attn/optim/optim.h"
#include "attn/tensor/copy.h"
#include "attn/tensor/creation.h"
#include "support/expect.h"
#include "support/fixtures.h"

namespace attn {
namespace {

const test::Fixture& fixture() {
  static const test::Fixture f("optim/optim.safetensors");
  return f;
}

// lr after 0, 1, …, N scheduler steps, as the script records it.
std::vector<double> trajectory(double base_lr,
                               const std::function<optim::LRScheduler(optim::Optimizer&)>& make,
                               size_t steps) {
  optim::SGD opt({zeros({1})}, {.lr = base_lr});
  optim::LRScheduler sched = make(opt);
  std::vector<double> lrs{opt.lr()};
  for (size_t k = 0; k < steps; ++k) {
    sched.step();
    lrs.push_back(opt.lr());
  }
  return lrs;
}

void expect_trajectory(const std::string& key, double base_lr,
                       const std::function<optim::LRScheduler(optim::Optimizer&)>& make) {
  const auto ref = to_vector<double>(fixture()[key]);
  const auto mine = trajectory(base_lr, make, ref.size() - 1);
  double max_diff = 0;
  for (size_t k = 0; k < ref.size(); ++k) {
    EXPECT_NEAR(mine[k], ref[k], 1e-15) << key << " at step " << k;
    max_diff = std::max(max_diff, std::fabs(mine[k] - ref[k]));
  }
  std::cout << "[ result ] " << key << ": " << ref.size() << " steps, max |Δlr| = " << max_diff << "\n";
}

TEST(Schedule, NoamMatchesAnnotatedTransformerLambdaLR) {
  expect_trajectory("sched.noam_d16_w10", 1.0,
                    [](optim::Optimizer& o) { return optim::noam_schedule(o, 16, 10); });
}

TEST(Schedule, NoamPaperSettingAtChosenSteps) {
  const auto steps = to_vector<int64_t>(fixture()["sched.noam_paper.steps"]);
  const auto ref = to_vector<double>(fixture()["sched.noam_paper.lr"]);
  for (size_t i = 0; i < steps.size(); ++i)
    EXPECT_NEAR(optim::noam_lambda(steps[i], 512, 4000), ref[i], 1e-18) << "step " << steps[i];
  // The peak is at step = warmup: 512^-0.5 · 4000^-0.5.
  EXPECT_NEAR(optim::noam_lambda(4000, 512, 4000), 1 / std::sqrt(512.0 * 4000.0), 1e-18);
}

TEST(Schedule, LinearWarmupDecayMatchesTransformers) {
  expect_trajectory("sched.linear_w10_t25", 0.1,
                    [](optim::Optimizer& o) { return optim::linear_schedule_with_warmup(o, 10, 25); });
}

TEST(Schedule, CosineWarmupMatchesTransformers) {
  expect_trajectory("sched.cosine_w5_t25", 0.1,
                    [](optim::Optimizer& o) { return optim::cosine_schedule_with_warmup(o, 5, 25); });
}

TEST(Schedule, ConstantMatchesTransformers) {
  expect_trajectory("sched.constant", 0.1, [](optim::Optimizer& o) { return optim::constant_schedule(o); });
}

TEST(Schedule, RejectsBadArguments) {
  optim::SGD opt({zeros({1})}, {.lr = 1.0});
  EXPECT_THROW(optim::noam_schedule(opt, 0, 10), Error);
  EXPECT_THROW(optim::noam_lambda(1, 512, 0), Error);
  EXPECT_THROW(opt.set_lr(std::nan("")), Error);
}

class ClipGradNorm : public ::testing::TestWithParam<std::string> {};

TEST_P(ClipGradNorm, MatchesTorch) {
  const auto& f = fixture();
  const std::string p = "clip." + GetParam() + ".";
  std::vector<Tensor> params;
  for (int i = 0; i < 3; ++i) {
    const Tensor g = f[p + "g" + std::to_string(i)];
    params.push_back(zeros(g.shape()));
    params.back().set_grad(contiguous_copy(g));
  }
  params.push_back(zeros({2}));  // no gradient: skipped, as in torch
  const double total =
      optim::clip_grad_norm_(params, f[p + "max_norm"].item<double>(), f[p + "norm_type"].item<double>());
  const double ref = f[p + "total"].item<double>();
  EXPECT_NEAR(total, ref, 1e-6 * ref);
  for (int i = 0; i < 3; ++i)
    EXPECT_TENSOR_NEAR(params[i].grad(), f[p + "c" + std::to_string(i)], 1e-7, 1e-6);
  EXPECT_FALSE(params[3].grad().defined());
  std::cout << "[ result ] clip " << GetParam() << ": total " << total << " vs torch " << ref << " (rel "
            << std::fabs(total - ref) / ref << ")\n";
}

INSTANTIATE_TEST_SUITE_P(CPU, ClipGradNorm,
                         ::testing::Values("l2_clipped", "l2_unclipped", "inf", "l1", "l3"));

TEST(ClipGradNormEdge, NoGradientsGivesZero) {
  EXPECT_EQ(optim::clip_grad_norm_({zeros({3})}, 1.0), 0.0);
  EXPECT_THROW(optim::clip_grad_norm_({zeros({3})}, 1.0, 0.0), Error);
}

}  // namespace
}  // namespace attn
