// PCA vs numpy: projections of the centred data on the top-2 right singular vectors (tools/fixtures/embed.py
// writes tests/data/viz/pca.json), compared up to the sign of each component.
#include "attn/viz/pca.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "attn/core/error.h"

namespace attn::viz {
namespace {

TEST(Pca, MatchesNumpySvdUpToSign) {
  std::ifstream in(std::string(ATTN_TEST_DATA) + "/viz/pca.json");
  ASSERT_TRUE(in.good()) << "run .venv/bin/python tools/fixtures/embed.py";
  const auto j = nlohmann::json::parse(in);
  const auto x = j["x"].get<std::vector<std::vector<double>>>();
  const auto want = j["projection"].get<std::vector<std::vector<double>>>();
  const auto var = j["explained_variance"].get<std::vector<double>>();
  const int64_t N = static_cast<int64_t>(x.size()), D = static_cast<int64_t>(x[0].size());
  std::vector<float> flat;
  for (const auto& row : x)
    for (double v : row) flat.push_back(static_cast<float>(v));
  const auto r = pca(flat.data(), N, D, 2);
  for (int k = 0; k < 2; ++k) {
    const double sign = r.projection[k] * want[0][k] < 0 ? -1.0 : 1.0;
    for (int64_t n = 0; n < N; ++n)
      EXPECT_NEAR(sign * r.projection[n * 2 + k], want[n][k], 1e-4) << "point " << n << " component " << k;
    EXPECT_NEAR(r.explained_variance[k], var[k], 1e-4 * var[k]);
  }
}

TEST(Pca, RejectsTooFewPoints) {
  const float x[3] = {1, 2, 3};
  EXPECT_THROW(pca(x, 1, 3, 2), Error);
  EXPECT_THROW(pca(x, 3, 1, 2), Error);
}

}  // namespace
}  // namespace attn::viz
