#include <jobmarket/render/svg.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include <jobmarket/render/escape.hpp>

namespace jobmarket::render {

namespace {

constexpr const char* kPalette[] = {"#2b6cb0", "#d69e2e", "#718096", "#38a169", "#e53e3e",
                                    "#805ad5", "#dd6b20", "#319795"};
constexpr int kWidth = 720;

std::string value_text(double v, bool percent) {
  if (percent) return fmt::format("{:.1f}%", v * 100);
  if (std::fabs(v) >= 1e6) return fmt::format("{:.2f}M", v / 1e6);
  if (std::fabs(v) >= 1e4) return fmt::format("{:.0f}k", v / 1e3);
  if (v == std::floor(v)) return fmt::format("{:.0f}", v);
  return fmt::format("{:.2f}", v);
}

std::string header(int height, const std::string& title) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "role=\"img\" aria-label=\"{2}\" font-family=\"sans-serif\" font-size=\"12\">"
      "<rect width=\"{0}\" height=\"{1}\" fill=\"#ffffff\"/>"
      "<text x=\"8\" y=\"18\" font-size=\"14\" font-weight=\"bold\">{2}</text>",
      kWidth, height, html_escape(title));
}

// A "nice" upper bound for an axis.
double nice_max(double v) {
  if (v <= 0) return 1;
  double p = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * p >= v) return m * p;
  return 10 * p;
}

}  // namespace

std::string svg_bar_chart(const std::string& title, const std::vector<Bar>& bars, bool as_percent) {
  const int row = 22, top = 30, label_w = 200, right = 130;
  const int height = top + row * static_cast<int>(bars.size()) + 10;
  double max = 0;
  for (const auto& b : bars) max = std::max(max, b.value);
  max = as_percent ? std::max(max, 0.01) : nice_max(max);
  std::string s = header(height, title);
  const double span = kWidth - label_w - right;
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const auto& b = bars[i];
    int y = top + row * static_cast<int>(i);
    double w = std::max(0.0, b.value / max * span);
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", label_w - 6, y + 14,
                     html_escape(b.label));
    s += fmt::format("<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"16\" fill=\"{}\"/>",
                     label_w, y + 2, w, kPalette[i % 8]);
    s += fmt::format("<text x=\"{:.1f}\" y=\"{}\">{}{}</text>", label_w + w + 6, y + 14,
                     value_text(b.value, as_percent), b.note.empty() ? "" : " (" + html_escape(b.note) + ")");
  }
  return s + "</svg>";
}

std::string svg_line_chart(const std::string& title, const std::vector<std::string>& x,
                           const std::vector<Series>& series, bool as_percent) {
  const int height = 260, left = 56, right = 16, top = 30, bottom = 60;
  double max = 0;
  for (const auto& sr : series)
    for (const auto& v : sr.values)
      if (v) max = std::max(max, *v);
  max = as_percent ? std::min(1.0, nice_max(std::max(max, 0.01))) : nice_max(max);
  const double pw = kWidth - left - right, ph = height - top - bottom;
  auto px = [&](std::size_t i) {
    return x.size() <= 1 ? left + pw / 2 : left + pw * static_cast<double>(i) / static_cast<double>(x.size() - 1);
  };
  auto py = [&](double v) { return top + ph - v / max * ph; };
  std::string s = header(height, title);
  for (int k = 0; k <= 4; ++k) {  // horizontal grid with values
    double v = max * k / 4;
    s += fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#e2e8f0\"/>", left,
                     kWidth - right, py(v), py(v));
    s += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>", left - 4, py(v) + 4,
                     value_text(v, as_percent));
  }
  const std::size_t step = std::max<std::size_t>(1, (x.size() + 11) / 12);
  for (std::size_t i = 0; i < x.size(); i += step)
    s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>", px(i), height - bottom + 16,
                     html_escape(x[i]));
  for (std::size_t k = 0; k < series.size(); ++k) {
    // A missing value lifts the pen: the line resumes with a move at the next value.
    std::string path;
    bool pen_down = false;
    for (std::size_t i = 0; i < series[k].values.size() && i < x.size(); ++i) {
      if (!series[k].values[i]) {
        pen_down = false;
        continue;
      }
      path += fmt::format("{}{}{:.1f},{:.1f}", path.empty() ? "" : " ", pen_down ? "L" : "M", px(i),
                          py(*series[k].values[i]));
      pen_down = true;
    }
    s += fmt::format("<path class=\"series\" d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>",
                     path, kPalette[k % 8]);
    int lx = left + static_cast<int>(k) * 150;
    s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>"
                     "<text x=\"{}\" y=\"{}\">{}</text>",
                     lx, height - 22, kPalette[k % 8], lx + 16, height - 12, html_escape(series[k].name));
  }
  return s + "</svg>";
}

std::string svg_box_chart(const std::string& title, const std::vector<BoxStats>& boxes,
                          const std::string& unit) {
  const int row = 30, top = 34, label_w = 140, right = 40;
  const int height = top + row * static_cast<int>(boxes.size()) + 30;
  double max = 0;
  for (const auto& b : boxes) max = std::max(max, b.p90);
  max = nice_max(max);
  const double span = kWidth - label_w - right;
  auto px = [&](double v) { return label_w + v / max * span; };
  std::string s = header(height, title);
  for (int k = 0; k <= 4; ++k) {
    double v = max * k / 4;
    s += fmt::format("<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#e2e8f0\"/>"
                     "<text x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>",
                     px(v), top, height - 26, height - 12, value_text(v, false));
  }
  s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", kWidth - 4, height - 12,
                   html_escape(unit));
  for (std::size_t i = 0; i < boxes.size(); ++i) {
    const auto& b = boxes[i];
    int y = top + row * static_cast<int>(i);
    const char* color = kPalette[i % 8];
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", label_w - 6, y + 16,
                     html_escape(b.label + (b.note.empty() ? "" : " (" + b.note + ")")));
    s += fmt::format("<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{}\" y2=\"{}\" stroke=\"{}\"/>", px(b.p10),
                     px(b.p90), y + 12, y + 12, color);
    s += fmt::format("<rect class=\"box\" x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"16\" fill=\"{}\" "
                     "fill-opacity=\"0.35\" stroke=\"{}\"/>",
                     px(b.p25), y + 4, std::max(1.0, px(b.p75) - px(b.p25)), color, color);
    s += fmt::format("<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"3\"/>",
                     px(b.p50), y + 2, y + 22, color);
  }
  return s + "</svg>";
}

}  // namespace jobmarket::render
