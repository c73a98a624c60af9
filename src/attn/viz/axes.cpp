#include "attn/viz/axes.h"

#include <fmt/format.h>

#include <cmath>

namespace attn::viz {

std::vector<double> nice_ticks(double lo, double hi, int count) {
  if (!(hi > lo)) {
    lo -= 0.5;
    hi += 0.5;
  }
  const double raw = (hi - lo) / std::max(1, count - 1);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * mag;
    if (step >= raw) break;
  }
  std::vector<double> ticks;
  const double first = std::floor(lo / step) * step;
  for (int i = 0;; ++i) {  // from the tick at or below lo to the first tick at or above hi
    const double t = first + i * step;
    ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
    if (t >= hi - step * 1e-9) break;
  }
  return ticks;
}

Frame draw_axes(Svg& svg, double xmin, double xmax, double ymin, double ymax, const std::string& title,
                const std::string& x_label, const std::string& y_label, double right_margin) {
  const auto xt = nice_ticks(xmin, xmax);
  const auto yt = nice_ticks(ymin, ymax);
  Frame f{70,
          title.empty() ? 20.0 : 45.0,
          svg.width() - 70 - right_margin,
          0,
          xt.front(),
          xt.back(),
          yt.front(),
          yt.back()};
  f.height = svg.height() - f.top - 60;
  svg.rect(0, 0, svg.width(), svg.height(), {.fill = "white"});
  svg.rect(f.left, f.top, f.width, f.height, {.fill = "#fafafa", .stroke = "#999"});
  const Style grid{.stroke = "#e3e3e3", .stroke_width = 1};
  for (double x : xt) {
    svg.line(f.px(x), f.top, f.px(x), f.top + f.height, grid);
    svg.text(f.px(x), f.top + f.height + 16, fmt::format("{:g}", x), {.size = 11, .anchor = "middle"});
  }
  for (double y : yt) {
    svg.line(f.left, f.py(y), f.left + f.width, f.py(y), grid);
    svg.text(f.left - 6, f.py(y) + 4, fmt::format("{:g}", y), {.size = 11, .anchor = "end"});
  }
  if (!title.empty())
    svg.text(svg.width() / 2, 28, title, {.size = 16, .anchor = "middle", .weight = "bold"});
  if (!x_label.empty())
    svg.text(f.left + f.width / 2, svg.height() - 18, x_label, {.size = 12, .anchor = "middle"});
  if (!y_label.empty())
    svg.text(20, f.top + f.height / 2, y_label, {.size = 12, .anchor = "middle", .rotate = -90});
  return f;
}

}  // namespace attn::viz
