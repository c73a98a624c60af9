// attn/viz/svg.h — a small SVG 1.1 builder: shapes and text appended in drawing order, serialised by str().
//
// Coordinates are SVG user units (pixels, origin top-left, y down). Text is XML-escaped, so labels may hold
// any UTF-8 (Korean words included). The plots (scatter_plot.h, line_plot.h, heatmap.h) are built on this;
// new kinds of picture should be too.
//   Svg svg(400, 300);
//   svg.rect(0, 0, 400, 300, {.fill = "white"});
//   svg.text(200, 20, "title", {.size = 16, .anchor = "middle"});
//   svg.save("out.svg");
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace attn::viz {

struct Style {
  std::string fill = "none";
  std::string stroke = "none";
  double stroke_width = 1.0;
  double opacity = 1.0;
  std::string dash = "";  // stroke-dasharray, e.g. "4 2" ("" = solid)
};

struct TextStyle {
  double size = 12;
  std::string anchor = "start";  // start | middle | end
  std::string fill = "#222";
  std::string weight = "normal";
  double rotate = 0;  // degrees, around the anchor point
};

class Svg {
 public:
  Svg(double width, double height);
  double width() const { return width_; }
  double height() const { return height_; }

  void rect(double x, double y, double w, double h, const Style& style);
  void circle(double cx, double cy, double r, const Style& style);
  void line(double x1, double y1, double x2, double y2, const Style& style);
  void polyline(const std::vector<std::pair<double, double>>& points, const Style& style);
  void text(double x, double y, const std::string& text, const TextStyle& style = {});
  // <title> tooltip for the next element readers hover over; raw() appends pre-built markup.
  void raw(const std::string& markup);

  std::string str() const;
  // Writes PATH.tmp then renames it over PATH. Throws attn::Error (Io).
  void save(const std::string& path) const;

 private:
  double width_, height_;
  std::string body_;
};

// &, <, >, " and ' as XML entities.
std::string xml_escape(const std::string& s);
// A categorical colour (Tableau 10), cycling.
const char* palette(size_t i);

}  // namespace attn::viz
