// tests/support/expect.h — EXPECT_TENSOR_NEAR(actual, expected, atol, rtol), llm.c's check_tensor for gtest.
//
// Passes when |a - e| <= atol + rtol·|e| everywhere (torch.allclose's rule) and shapes are equal. On failure
// it reports the shape, the max abs and rel differences, the first mismatching index and the first 5 pairs.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "attn/tensor/creation.h"
#include "attn/tensor/tensor.h"

namespace attn::test {

inline std::string index_str(const Shape& shape, int64_t linear) {
  std::vector<int64_t> idx(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    idx[d] = linear % shape[d];
    linear /= shape[d];
  }
  return fmt::format("[{}]", fmt::join(idx, ", "));
}

inline ::testing::AssertionResult tensor_near(const char* a_expr, const char* e_expr, const char*,
                                              const char*, const Tensor& actual, const Tensor& expected,
                                              double atol, double rtol) {
  if (!actual.defined() || !expected.defined()) {
    return ::testing::AssertionFailure() << a_expr << " or " << e_expr << " is undefined";
  }
  if (actual.shape() != expected.shape()) {
    return ::testing::AssertionFailure() << a_expr << " has shape " << shape_str(actual.shape()) << " but "
                                         << e_expr << " has shape " << shape_str(expected.shape());
  }
  const auto a = to_vector<double>(actual), e = to_vector<double>(expected);
  double max_abs = 0, max_rel = 0;
  int64_t first_bad = -1, bad = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const double d = std::fabs(a[i] - e[i]);
    const bool nan_ok = std::isnan(a[i]) && std::isnan(e[i]);
    const bool inf_ok = std::isinf(a[i]) && a[i] == e[i];
    if (nan_ok || inf_ok) continue;
    max_abs = std::max(max_abs, d);
    if (e[i] != 0) max_rel = std::max(max_rel, d / std::fabs(e[i]));
    if (!(d <= atol + rtol * std::fabs(e[i]))) {
      if (first_bad < 0) first_bad = static_cast<int64_t>(i);
      ++bad;
    }
  }
  if (first_bad < 0) return ::testing::AssertionSuccess();
  std::ostringstream os;
  os << a_expr << " vs " << e_expr << ": " << bad << " of " << a.size() << " elements differ (shape "
     << shape_str(actual.shape()) << ", atol " << atol << ", rtol " << rtol << ")\n  max abs diff " << max_abs
     << ", max rel diff " << max_rel << "\n  first mismatch at " << index_str(actual.shape(), first_bad)
     << ": actual " << a[first_bad] << ", expected " << e[first_bad] << "\n  first pairs:";
  for (size_t i = 0; i < std::min<size_t>(5, a.size()); ++i) os << " (" << a[i] << ", " << e[i] << ")";
  return ::testing::AssertionFailure() << os.str();
}

}  // namespace attn::test

#define EXPECT_TENSOR_NEAR(actual, expected, atol, rtol) \
  EXPECT_PRED_FORMAT4(::attn::test::tensor_near, actual, expected, atol, rtol)
#define ASSERT_TENSOR_NEAR(actual, expected, atol, rtol) \
  ASSERT_PRED_FORMAT4(::attn::test::tensor_near, actual, expected, atol, rtol)
