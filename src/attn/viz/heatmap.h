// attn/viz/heatmap.h — a matrix as coloured cells with row and column labels (attention maps: rows are
// query tokens, columns key tokens; positional encodings: rows positions, columns dimensions).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "attn/viz/svg.h"

namespace attn::viz {

struct HeatmapOptions {
  std::string title;
  std::vector<std::string> row_labels;  // (R) or empty
  std::vector<std::string> col_labels;  // (C) or empty; drawn rotated above the columns
  double cell = 28;                     // cell size in pixels
  bool show_values = false;             // print each value in its cell
  bool fixed_range = false;             // colour scale over [vmin, vmax] instead of the data's range
  double vmin = 0, vmax = 1;
};

// values: (R, C) row-major. Colours follow viridis (dark purple = low, yellow = high), with a colour bar.
// Throws attn::Error if the label counts do not match R and C.
Svg heatmap(const float* values, int64_t rows, int64_t cols, const HeatmapOptions& options = {});

// viridis(t) for t in [0, 1] as "#rrggbb".
std::string viridis(double t);

}  // namespace attn::viz
