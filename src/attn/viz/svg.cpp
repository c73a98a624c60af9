#include "attn/viz/svg.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "attn/core/error.h"

namespace attn::viz {

namespace {
std::string style_attrs(const Style& s) {
  std::string out = fmt::format(R"( fill="{}" stroke="{}")", s.fill, s.stroke);
  if (s.stroke != "none") out += fmt::format(R"( stroke-width="{:g}")", s.stroke_width);
  if (s.opacity < 1.0) out += fmt::format(R"( opacity="{:g}")", s.opacity);
  if (!s.dash.empty()) out += fmt::format(R"( stroke-dasharray="{}")", s.dash);
  return out;
}
}  // namespace

std::string xml_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

const char* palette(size_t i) {
  static const char* kColors[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                  "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
  return kColors[i % 10];
}

Svg::Svg(double width, double height) : width_(width), height_(height) {}

void Svg::rect(double x, double y, double w, double h, const Style& style) {
  body_ += fmt::format(R"(<rect x="{:.2f}" y="{:.2f}" width="{:.2f}" height="{:.2f}"{}/>)", x, y, w, h,
                       style_attrs(style));
  body_ += '\n';
}

void Svg::circle(double cx, double cy, double r, const Style& style) {
  body_ += fmt::format(R"(<circle cx="{:.2f}" cy="{:.2f}" r="{:.2f}"{}/>)", cx, cy, r, style_attrs(style));
  body_ += '\n';
}

void Svg::line(double x1, double y1, double x2, double y2, const Style& style) {
  body_ += fmt::format(R"(<line x1="{:.2f}" y1="{:.2f}" x2="{:.2f}" y2="{:.2f}"{}/>)", x1, y1, x2, y2,
                       style_attrs(style));
  body_ += '\n';
}

void Svg::polyline(const std::vector<std::pair<double, double>>& points, const Style& style) {
  std::string pts;
  for (const auto& [x, y] : points) pts += fmt::format("{:.2f},{:.2f} ", x, y);
  if (!pts.empty()) pts.pop_back();
  body_ += fmt::format(R"(<polyline points="{}"{}/>)", pts, style_attrs(style));
  body_ += '\n';
}

void Svg::text(double x, double y, const std::string& text, const TextStyle& s) {
  std::string transform;
  if (s.rotate != 0)
    transform = fmt::format(R"svg( transform="rotate({:g} {:.2f} {:.2f})")svg", s.rotate, x, y);
  body_ += fmt::format(R"(<text x="{:.2f}" y="{:.2f}" font-size="{:g}" text-anchor="{}" fill="{}")"
                       R"( font-weight="{}"{}>{}</text>)",
                       x, y, s.size, s.anchor, s.fill, s.weight, transform, xml_escape(text));
  body_ += '\n';
}

void Svg::raw(const std::string& markup) { body_ += markup; }

std::string Svg::str() const {
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{:g}\" height=\"{:g}\" viewBox=\"0 0 {:g} {:g}\" "
      "font-family=\"DejaVu Sans, Noto Sans CJK KR, sans-serif\">\n{}</svg>\n",
      width_, height_, width_, height_, body_);
}

void Svg::save(const std::string& path) const {
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw_error(ErrorKind::Io, "{}: cannot open for writing: {}", tmp, std::strerror(errno));
  const std::string s = str();
  const bool ok = std::fwrite(s.data(), 1, s.size(), f) == s.size();
  std::fclose(f);
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw_error(ErrorKind::Io, "{}: cannot write SVG: {}", path, std::strerror(errno));
  }
}

}  // namespace attn::viz
