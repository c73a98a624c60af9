// attn/viz/axes.h — what every x/y chart shares: "nice" tick values, a data→pixel mapping, and drawing the
// frame, grid, ticks and axis labels. Used by scatter_plot and line_plot.
#pragma once

#include <string>
#include <vector>

#include "attn/viz/svg.h"

namespace attn::viz {

// About `count` round tick values (1, 2, 5 × 10^k steps) covering [lo, hi].
std::vector<double> nice_ticks(double lo, double hi, int count = 6);

// The plotting rectangle and the data range it shows.
struct Frame {
  double left, top, width, height;  // pixels
  double x0, x1, y0, y1;            // data range
  double px(double x) const { return left + (x - x0) / (x1 - x0) * width; }
  double py(double y) const { return top + height - (y - y0) / (y1 - y0) * height; }
};

// A frame for data in [xmin, xmax] × [ymin, ymax] (widened to the ticks, and to a unit range if empty),
// leaving margins for a title and labels (and right_margin pixels on the right for a legend); draws
// background, grid, ticks, axis labels and title.
Frame draw_axes(Svg& svg, double xmin, double xmax, double ymin, double ymax, const std::string& title,
                const std::string& x_label, const std::string& y_label, double right_margin = 30);

}  // namespace attn::viz
