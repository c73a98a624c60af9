// attn/viz/scatter_plot.h — a labelled 2-D scatter plot (the picture of word embeddings after PCA).
#pragma once

#include <string>
#include <vector>

#include "attn/viz/svg.h"

namespace attn::viz {

struct ScatterPoint {
  double x = 0, y = 0;
  std::string label;      // drawn beside the point; may be empty
  int group = 0;          // colour index (palette); points of one group share a colour
  bool emphasis = false;  // larger point and bold label (e.g. the query words)
};

struct ScatterOptions {
  std::string title;
  std::string x_label, y_label;
  double width = 800, height = 600;
  double radius = 4;
  std::vector<std::string> group_names;  // legend entries, by group index (empty: no legend)
};

Svg scatter_plot(const std::vector<ScatterPoint>& points, const ScatterOptions& options = {});

}  // namespace attn::viz
