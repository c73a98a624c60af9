#include "attn/viz/scatter_plot.h"

#include <algorithm>

#include "attn/viz/axes.h"

namespace attn::viz {

Svg scatter_plot(const std::vector<ScatterPoint>& points, const ScatterOptions& o) {
  const double legend = o.group_names.empty() ? 30 : 150;  // legend column right of the frame
  Svg svg(o.width, o.height);
  double xmin = 0, xmax = 1, ymin = 0, ymax = 1;
  if (!points.empty()) {
    auto [xa, xb] = std::minmax_element(points.begin(), points.end(),
                                        [](const auto& a, const auto& b) { return a.x < b.x; });
    auto [ya, yb] = std::minmax_element(points.begin(), points.end(),
                                        [](const auto& a, const auto& b) { return a.y < b.y; });
    xmin = xa->x, xmax = xb->x, ymin = ya->y, ymax = yb->y;
  }
  const Frame f = draw_axes(svg, xmin, xmax, ymin, ymax, o.title, o.x_label, o.y_label, legend);
  for (const auto& p : points) {
    const double r = p.emphasis ? o.radius * 1.6 : o.radius;
    svg.circle(f.px(p.x), f.py(p.y), r,
               {.fill = palette(p.group), .stroke = "white", .stroke_width = 1, .opacity = 0.9});
    if (!p.label.empty())
      svg.text(f.px(p.x) + r + 3, f.py(p.y) + 4, p.label,
               {.size = p.emphasis ? 13.0 : 11.0, .fill = "#222", .weight = p.emphasis ? "bold" : "normal"});
  }
  for (size_t g = 0; g < o.group_names.size(); ++g) {  // legend, right of the frame
    const double y = f.top + 10 + 18 * static_cast<double>(g);
    svg.circle(f.left + f.width + 20, y - 4, 5, {.fill = palette(g)});
    svg.text(f.left + f.width + 30, y, o.group_names[g], {.size = 11});
  }
  return svg;
}

}  // namespace attn::viz
