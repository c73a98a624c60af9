#include "attn/viz/line_plot.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "attn/core/error.h"
#include "attn/viz/axes.h"

namespace attn::viz {

Svg line_plot(const std::vector<Series>& series, const LinePlotOptions& o) {
  Svg svg(o.width, o.height);
  const double inf = std::numeric_limits<double>::infinity();
  double xmin = inf, xmax = -inf, ymin = inf, ymax = -inf;
  auto ty = [&](double y) { return o.log_y ? std::log10(y) : y; };
  for (const auto& s : series) {
    ATTN_CHECK(s.x.size() == s.y.size(), "line_plot: series '{}' has {} x values and {} y values", s.name,
               s.x.size(), s.y.size());
    for (size_t i = 0; i < s.x.size(); ++i) {
      if (!std::isfinite(ty(s.y[i]))) continue;
      xmin = std::min(xmin, s.x[i]), xmax = std::max(xmax, s.x[i]);
      ymin = std::min(ymin, ty(s.y[i])), ymax = std::max(ymax, ty(s.y[i]));
    }
  }
  if (xmin > xmax) xmin = 0, xmax = 1, ymin = 0, ymax = 1;
  const std::string y_label = o.log_y ? "log10 " + o.y_label : o.y_label;
  // The legend sits right of the frame: room for the longest name at ~6.5 px a character (11 px text).
  size_t longest = 0;
  for (const auto& s : series) longest = std::max(longest, s.name.size());
  const double legend = std::max(150.0, 50.0 + 6.5 * static_cast<double>(longest));
  const Frame f = draw_axes(svg, xmin, xmax, ymin, ymax, o.title, o.x_label, y_label, legend);
  for (size_t k = 0; k < series.size(); ++k) {
    const auto& s = series[k];
    std::vector<std::pair<double, double>> pts;
    for (size_t i = 0; i < s.x.size(); ++i)
      if (std::isfinite(ty(s.y[i]))) pts.emplace_back(f.px(s.x[i]), f.py(ty(s.y[i])));
    svg.polyline(pts, {.stroke = palette(k), .stroke_width = 2, .dash = s.dashed ? "6 3" : ""});
    const double y = f.top + 10 + 18 * static_cast<double>(k);  // legend, right of the frame
    svg.line(f.left + f.width + 12, y - 4, f.left + f.width + 34, y - 4,
             {.stroke = palette(k), .stroke_width = 2, .dash = s.dashed ? "6 3" : ""});
    svg.text(f.left + f.width + 40, y, s.name, {.size = 11});
  }
  return svg;
}

}  // namespace attn::viz
