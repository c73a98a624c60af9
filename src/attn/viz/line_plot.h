// attn/viz/line_plot.h — line charts of one or more series (loss curves: step → loss, train vs dev).
#pragma once

#include <string>
#include <vector>

#include "attn/viz/svg.h"

namespace attn::viz {

struct Series {
  std::string name;       // legend entry
  std::vector<double> x;  // (N) e.g. steps
  std::vector<double> y;  // (N) e.g. loss
  bool dashed = false;
};

struct LinePlotOptions {
  std::string title;
  std::string x_label, y_label;
  double width = 800, height = 500;
  bool log_y = false;  // plot log10(y) (y must be > 0), ticks labelled with log10 values
};

// Throws attn::Error if a series' x and y differ in length.
Svg line_plot(const std::vector<Series>& series, const LinePlotOptions& options = {});

}  // namespace attn::viz
