#include "attn/viz/svg.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "attn/core/error.h"
#include "attn/viz/axes.h"
#include "attn/viz/heatmap.h"
#include "attn/viz/line_plot.h"
#include "attn/viz/scatter_plot.h"

namespace attn::viz {
namespace {

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

TEST(Svg, EscapesTextAndKeepsUtf8) {
  Svg svg(100, 50);
  svg.text(1, 2, "a<b & \"c\" 한국어");
  const std::string s = svg.str();
  EXPECT_NE(s.find("a&lt;b &amp; &quot;c&quot; 한국어"), std::string::npos);
  EXPECT_EQ(s.rfind("<?xml", 0), 0u);
  EXPECT_NE(s.find("viewBox=\"0 0 100 50\""), std::string::npos);
  EXPECT_NE(s.find("</svg>"), std::string::npos);
}

TEST(Svg, SaveIsAtomicAndReportsBadPaths) {
  const auto path = (std::filesystem::temp_directory_path() / "attn_svg_test.svg").string();
  Svg svg(10, 10);
  svg.circle(5, 5, 2, {.fill = "red"});
  svg.save(path);
  std::ifstream in(path);
  const std::string s((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(s, svg.str());
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  std::filesystem::remove(path);
  EXPECT_THROW(svg.save("/nonexistent/dir/x.svg"), Error);
}

TEST(Axes, NiceTicksAreRoundAndCoverTheRange) {
  const auto t = nice_ticks(0.13, 0.92);
  ASSERT_GE(t.size(), 3u);
  EXPECT_LE(t.front(), 0.13);
  EXPECT_GE(t.back(), 0.92);
  EXPECT_NEAR(t[1] - t[0], 0.2, 1e-12);
  EXPECT_FALSE(nice_ticks(5, 5).empty());  // a degenerate range still gets ticks
  const auto u = nice_ticks(-1.9, 2.05);   // the last tick must reach past hi (was 2 < 2.05)
  EXPECT_LE(u.front(), -1.9);
  EXPECT_GE(u.back(), 2.05);
}

TEST(ScatterPlot, DrawsEveryPointWithItsLabel) {
  std::vector<ScatterPoint> pts = {{0, 0, "king", 0, true}, {1, 2, "queen", 0}, {-1, 3, "왕", 1}};
  const std::string s = scatter_plot(pts, {.title = "words"}).str();
  EXPECT_EQ(count(s, "<circle"), 3u);
  for (const char* w : {">king<", ">queen<", ">왕<", ">words<"}) EXPECT_NE(s.find(w), std::string::npos) << w;
}

TEST(LinePlot, DrawsOnePolylinePerSeriesAndChecksLengths) {
  std::vector<Series> series = {{"train", {1, 2, 3}, {3.0, 2.0, 1.5}},
                                {"dev", {1, 2, 3}, {3.1, 2.4, 2.2}, true}};
  const std::string s = line_plot(series, {.title = "loss", .log_y = true}).str();
  EXPECT_EQ(count(s, "<polyline"), 2u);
  EXPECT_NE(s.find(">train<"), std::string::npos);
  series[0].y.pop_back();
  EXPECT_THROW(line_plot(series), Error);
}

// The legend right of the frame leaves room for a long name: its text starts at least 6 px a character
// before the picture's right edge (11 px text; "train (label-smoothed)" was cut at "smoothe").
TEST(LinePlot, LegendLeavesRoomForALongName) {
  const std::string name = "train (label-smoothed)";
  const std::vector<Series> series = {{name, {1, 2}, {3.0, 2.0}}};
  const std::string s = line_plot(series, {.title = "loss"}).str();
  const size_t at = s.find(">" + name + "<");
  ASSERT_NE(at, std::string::npos);
  const size_t x = s.rfind("<text x=\"", at);
  ASSERT_NE(x, std::string::npos);
  const double left = std::stod(s.substr(x + 9));
  EXPECT_LE(left + 6.0 * static_cast<double>(name.size()), LinePlotOptions{}.width) << left;
}

TEST(Heatmap, OneCellPerValueAndLabelChecks) {
  const float v[6] = {0.1f, 0.9f, 0.0f, 0.5f, 0.5f, 0.0f};
  const std::string s = heatmap(v, 2, 3, {.row_labels = {"a", "b"}, .col_labels = {"x", "y", "z"}}).str();
  EXPECT_GE(count(s, "<rect"), 6u);
  EXPECT_NE(s.find(viridis(1.0)), std::string::npos);  // the maximum gets the top colour
  EXPECT_EQ(viridis(0.0), "#440154");
  EXPECT_EQ(viridis(1.0), "#fde725");
  EXPECT_THROW(heatmap(v, 2, 3, {.row_labels = {"a"}}), Error);
}

}  // namespace
}  // namespace attn::viz
