// SGD / Adam / AdamW against torch.optim: 20 steps of a fixed quadratic, every step compared
// (fixture: tools/fixtures/optim.py → tests/data/optim/optim.safetensors).
//
// The problem: L(w, b) = Σ ½·c⊙p² + d⊙p, so g = c⊙p + d, recomputed from attn's own parameters each
// step exactly as the script does (`w.grad = c["w"] * w + d["w"]`): any error would compound.
#include <gtest/gtest.h>

#include <memory>

#include "attn/core/dispatch.h"
#include "attn/ops/shape.h"
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

// Mirrors the script's CASES.
std::unique_ptr<optim::Optimizer> make_optimizer(const std::string& name, std::vector<Tensor> params) {
  if (name == "sgd") return std::make_unique<optim::SGD>(params, optim::SGDOptions{.lr = 0.1});
  if (name == "sgd_momentum")
    return std::make_unique<optim::SGD>(params,
                                        optim::SGDOptions{.lr = 0.05, .momentum = 0.9, .dampening = 0.1});
  if (name == "sgd_nesterov")
    return std::make_unique<optim::SGD>(params,
                                        optim::SGDOptions{.lr = 0.05, .momentum = 0.9, .nesterov = true});
  if (name == "sgd_weight_decay")
    return std::make_unique<optim::SGD>(params,
                                        optim::SGDOptions{.lr = 0.05, .momentum = 0.8, .weight_decay = 0.1});
  if (name == "adam") return std::make_unique<optim::Adam>(params, optim::AdamOptions{.lr = 0.05});
  if (name == "adam_weight_decay")
    return std::make_unique<optim::Adam>(
        params, optim::AdamOptions{.lr = 0.05, .betas = {0.8, 0.95}, .eps = 1e-6, .weight_decay = 0.1});
  if (name == "adam_amsgrad")
    return std::make_unique<optim::Adam>(params, optim::AdamOptions{.lr = 0.05, .amsgrad = true});
  if (name == "adamw")
    return std::make_unique<optim::AdamW>(params, optim::AdamWOptions{.lr = 0.05, .weight_decay = 0.1});
  if (name == "adamw_amsgrad")
    return std::make_unique<optim::AdamW>(
        params, optim::AdamWOptions{.lr = 0.05, .weight_decay = 0.01, .amsgrad = true});
  if (name == "adamw_linear_schedule")
    return std::make_unique<optim::AdamW>(params, optim::AdamWOptions{.lr = 0.05});
  throw Error("unknown case " + name);
}

// g = c ⊙ p + d, in T, two roundings as torch's `c * w + d`.
template <typename T>
Tensor quadratic_grad(const Tensor& p, const Tensor& c, const Tensor& d) {
  const auto pv = to_vector<T>(p), cv = to_vector<T>(c), dv = to_vector<T>(d);
  std::vector<T> g(pv.size());
  for (size_t i = 0; i < g.size(); ++i) {
    const T cp = cv[i] * pv[i];
    g[i] = cp + dv[i];
  }
  return from_vector(g, p.shape());
}

struct Case {
  std::string name;
  DType dtype;
};

class OptimizerVsTorch : public ::testing::TestWithParam<Case> {};

TEST_P(OptimizerVsTorch, TwentyStepsMatchEveryStep) {
  const auto& [name, dtype] = GetParam();
  const std::string p = name + (dtype == DType::F32 ? ".f32." : ".f64.");
  const double tol = dtype == DType::F32 ? 1e-6 : 1e-12;
  const auto& f = fixture();
  Tensor w = contiguous_copy(select(f[p + "w"], 0, 0)), b = contiguous_copy(select(f[p + "b"], 0, 0));
  w.requires_grad_();
  b.requires_grad_();
  auto opt = make_optimizer(name, {w, b});
  std::optional<optim::LRScheduler> sched;
  if (name == "adamw_linear_schedule") sched = optim::linear_schedule_with_warmup(*opt, 5, 20);

  double max_diff = 0;
  const auto lrs = to_vector<double>(f[p + "lr"]);
  for (int64_t k = 1; k <= 20; ++k) {
    opt->zero_grad();
    dispatch_floating(dtype, "test", [&]<typename T>() {
      w.set_grad(quadratic_grad<T>(w, f[p + "c_w"], f[p + "d_w"]));
      b.set_grad(quadratic_grad<T>(b, f[p + "c_b"], f[p + "d_b"]));
    });
    EXPECT_NEAR(opt->lr(), lrs[k - 1], 1e-15) << "lr before step " << k;
    opt->step();
    if (sched) sched->step();
    ASSERT_TENSOR_NEAR(w, select(f[p + "w"], 0, k), tol, 0) << "w after step " << k;
    ASSERT_TENSOR_NEAR(b, select(f[p + "b"], 0, k), tol, 0) << "b after step " << k;
    for (auto [mine, ref] :
         {std::pair{w, select(f[p + "w"], 0, k)}, std::pair{b, select(f[p + "b"], 0, k)}}) {
      const auto a = to_vector<double>(mine), e = to_vector<double>(ref);
      for (size_t i = 0; i < a.size(); ++i) max_diff = std::max(max_diff, std::fabs(a[i] - e[i]));
    }
  }
  // The optimizer state after step 20 equals torch's state_dict()["state"], under the same names.
  const optim::StateDict sd = opt->state_dict();
  size_t compared = 0;
  for (const auto& [key, ref] : f.all()) {
    if (key.rfind(p + "state.", 0) != 0) continue;
    const std::string mine = key.substr(p.size());
    ASSERT_TRUE(sd.count(mine)) << "missing optimizer state " << mine;
    EXPECT_TENSOR_NEAR(sd.at(mine), ref, tol, 1e-6) << mine;
    ++compared;
  }
  EXPECT_EQ(compared + 1, sd.size()) << "attn keeps state torch does not (or vice versa)";
  std::cout << "[ result ] " << name << " " << dtype_name(dtype)
            << ": 20 steps, max |Δ| vs torch = " << max_diff << "\n";
}

std::vector<Case> cases() {
  std::vector<Case> out;
  for (DType dt : {DType::F32, DType::F64})
    for (const char* n :
         {"sgd", "sgd_momentum", "sgd_nesterov", "sgd_weight_decay", "adam", "adam_weight_decay",
          "adam_amsgrad", "adamw", "adamw_amsgrad", "adamw_linear_schedule"})
      out.push_back({n, dt});
  return out;
}

INSTANTIATE_TEST_SUITE_P(CPU, OptimizerVsTorch, ::testing::ValuesIn(cases()), [](const auto& param_info) {
  return param_info.param.name + "_" + std::string(dtype_name(param_info.param.dtype));
});

// ---- behaviour ----

TEST(Optimizer, SkipsParametersWithoutGradient) {
  Tensor a = ones({3}), b = ones({2});
  optim::Adam opt({a, b}, {.lr = 0.1});
  a.set_grad(full({3}, 2.0));
  opt.step();
  EXPECT_TENSOR_NEAR(b, ones({2}), 0, 0);
  EXPECT_TRUE(opt.state(1).empty());
  EXPECT_EQ(opt.state(0).count("exp_avg"), 1u);
  // Adam's first step moves each coordinate by lr·g/|g| (up to eps): 1 − 0.1.
  EXPECT_TENSOR_NEAR(a, full({3}, 0.9), 1e-6, 0);
}

TEST(Optimizer, ZeroGradDropsGradients) {
  Tensor a = ones({3});
  optim::SGD opt({a}, {.lr = 0.1});
  a.set_grad(ones({3}));
  opt.zero_grad();
  EXPECT_FALSE(a.grad().defined());
}

TEST(Optimizer, RejectsBadArguments) {
  EXPECT_THROW(optim::SGD({}, {.lr = 0.1}), Error);
  EXPECT_THROW(optim::SGD({ones({2})}, {.lr = -1}), Error);
  EXPECT_THROW(optim::SGD({ones({2})}, {.lr = 0.1, .nesterov = true}), Error);  // nesterov needs momentum
  EXPECT_THROW(optim::Adam({ones({2})}, {.betas = {1.0, 0.999}}), Error);
  EXPECT_THROW(optim::AdamW({ones({2})}, {.eps = -1}), Error);
  EXPECT_THROW(optim::SGD({arange(4)}, {.lr = 0.1}), Error);        // int64 parameter
  EXPECT_THROW(optim::SGD({t(ones({2, 3}))}, {.lr = 0.1}), Error);  // non-contiguous view
  Tensor a = ones({2});
  EXPECT_THROW(optim::SGD({a, a}, {.lr = 0.1}), Error);  // duplicate
}

TEST(Optimizer, StateDictRoundTripResumesExactly) {
  auto run = [](optim::Optimizer& opt, Tensor& p, int steps) {
    for (int k = 0; k < steps; ++k) {
      p.set_grad(quadratic_grad<float>(p, full({4}, 1.5), full({4}, -0.5)));
      opt.step();
    }
  };
  Tensor p1 = from_vector<float>({1, -2, 3, 0.5f}), p2 = contiguous_copy(p1);
  optim::AdamW a1({p1}, {.lr = 0.1});
  run(a1, p1, 10);
  optim::AdamW a2({p2}, {.lr = 0.5});
  run(a2, p2, 3);  // different state, to be overwritten
  copy_(p2, p1);
  a2.load_state_dict(a1.state_dict());
  EXPECT_DOUBLE_EQ(a2.lr(), 0.1);
  run(a1, p1, 5);
  run(a2, p2, 5);
  EXPECT_TENSOR_NEAR(p2, p1, 0, 0);

  optim::StateDict bad = a1.state_dict();
  bad["state.0.exp_avg"] = zeros({5});
  bad["state.3.exp_avg"] = zeros({4});
  bad["state.0.bogus"] = zeros({4});
  try {
    a2.load_state_dict(bad);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("state.0.exp_avg"), std::string::npos) << msg;
    EXPECT_NE(msg.find("[5]"), std::string::npos) << msg;
    EXPECT_NE(msg.find("state.3.exp_avg"), std::string::npos) << msg;
    EXPECT_NE(msg.find("state.0.bogus"), std::string::npos) << msg;
  }
}

}  // namespace
}  // namespace attn

namespace attn {
namespace {

// maximize = true ascends: identical to minimising with the negated gradient (torch's `maximize`).
TEST(Optimizer, MaximizeEqualsNegatedGradient) {
  Tensor a = from_vector<float>({1, -2, 3}), b = contiguous_copy(a);
  optim::Adam up({a}, {.lr = 0.1, .weight_decay = 0.1, .maximize = true});
  optim::Adam down({b}, {.lr = 0.1, .weight_decay = 0.1});
  for (int k = 0; k < 5; ++k) {
    a.set_grad(from_vector<float>({0.5f, -1.f, 2.f}));
    b.set_grad(from_vector<float>({-0.5f, 1.f, -2.f}));
    up.step();
    down.step();
  }
  EXPECT_TENSOR_NEAR(a, b, 0, 0);
}

// A parameter larger than the kernels' parallel grain (2^14) is split across threads; each element's
// update is independent, so the result equals updating slices of it one by one.
TEST(Optimizer, LargeParameterSplitAcrossThreadsEqualsPiecewiseUpdate) {
  const int64_t n = 100003;  // prime: uneven chunks
  Generator gen(5);
  Tensor big = randn({n}, gen), grad = randn({n}, gen);
  std::vector<Tensor> pieces;
  for (int64_t s = 0; s < n; s += 997)
    pieces.push_back(contiguous_copy(narrow(big, 0, s, std::min<int64_t>(997, n - s))));
  optim::AdamW whole({big}, {.lr = 0.01});
  optim::AdamW parts(pieces, {.lr = 0.01});
  for (int k = 0; k < 3; ++k) {
    big.set_grad(grad);
    for (size_t i = 0; i < pieces.size(); ++i)
      pieces[i].set_grad(contiguous_copy(narrow(grad, 0, static_cast<int64_t>(i) * 997, pieces[i].numel())));
    whole.step();
    parts.step();
  }
  for (size_t i = 0; i < pieces.size(); ++i)
    ASSERT_TENSOR_NEAR(narrow(big, 0, static_cast<int64_t>(i) * 997, pieces[i].numel()), pieces[i], 0, 0);
}

}  // namespace
}  // namespace attn
