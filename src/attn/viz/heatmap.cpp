#include "attn/viz/heatmap.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "attn/core/error.h"

namespace attn::viz {

std::string viridis(double t) {
  // Nine samples of matplotlib's viridis, linearly interpolated.
  static const double kStops[9][3] = {{68, 1, 84},    {71, 44, 122},  {59, 81, 139},
                                      {44, 113, 142}, {33, 144, 141}, {39, 173, 129},
                                      {92, 200, 99},  {170, 220, 50}, {253, 231, 37}};
  t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * 8;
  const int i = std::min(7, static_cast<int>(t));
  const double u = t - i;
  int c[3];
  for (int k = 0; k < 3; ++k)
    c[k] = static_cast<int>(std::lround(kStops[i][k] * (1 - u) + kStops[i + 1][k] * u));
  return fmt::format("#{:02x}{:02x}{:02x}", c[0], c[1], c[2]);
}

Svg heatmap(const float* values, int64_t R, int64_t C, const HeatmapOptions& o) {
  ATTN_CHECK(R > 0 && C > 0, "heatmap: expected a non-empty matrix, got {} x {}", R, C);
  ATTN_CHECK(o.row_labels.empty() || static_cast<int64_t>(o.row_labels.size()) == R,
             "heatmap: {} row labels for {} rows", o.row_labels.size(), R);
  ATTN_CHECK(o.col_labels.empty() || static_cast<int64_t>(o.col_labels.size()) == C,
             "heatmap: {} column labels for {} columns", o.col_labels.size(), C);
  double lo = o.vmin, hi = o.vmax;
  if (!o.fixed_range) {
    lo = *std::min_element(values, values + R * C);
    hi = *std::max_element(values, values + R * C);
  }
  const double span = hi > lo ? hi - lo : 1.0;
  const double left = o.row_labels.empty() ? 20 : 110;
  const double top = (o.title.empty() ? 20 : 45) + (o.col_labels.empty() ? 0 : 80);
  Svg svg(left + C * o.cell + 90, top + R * o.cell + 30);
  svg.rect(0, 0, svg.width(), svg.height(), {.fill = "white"});
  if (!o.title.empty())
    svg.text(svg.width() / 2, 28, o.title, {.size = 16, .anchor = "middle", .weight = "bold"});
  for (int64_t r = 0; r < R; ++r) {
    for (int64_t c = 0; c < C; ++c) {
      const double v = values[r * C + c];
      const double t = (v - lo) / span;
      svg.rect(left + c * o.cell, top + r * o.cell, o.cell, o.cell, {.fill = viridis(t)});
      if (o.show_values)
        svg.text(left + (c + 0.5) * o.cell, top + (r + 0.5) * o.cell + 4, fmt::format("{:.2f}", v),
                 {.size = std::min(11.0, o.cell / 3), .anchor = "middle", .fill = t > 0.6 ? "#222" : "#fff"});
    }
    if (!o.row_labels.empty())
      svg.text(left - 6, top + (r + 0.5) * o.cell + 4, o.row_labels[r], {.size = 11, .anchor = "end"});
  }
  for (int64_t c = 0; c < static_cast<int64_t>(o.col_labels.size()); ++c)
    svg.text(left + (c + 0.5) * o.cell + 4, top - 6, o.col_labels[c], {.size = 11, .rotate = -60});
  const double bx = left + C * o.cell + 20;  // colour bar
  const double bh = R * o.cell;
  for (int k = 0; k < 50; ++k)
    svg.rect(bx, top + bh * (49 - k) / 50.0, 14, bh / 50.0 + 0.5, {.fill = viridis(k / 49.0)});
  svg.text(bx + 18, top + 10, fmt::format("{:.3g}", hi), {.size = 10});
  svg.text(bx + 18, top + bh, fmt::format("{:.3g}", lo), {.size = 10});
  return svg;
}

}  // namespace attn::viz
