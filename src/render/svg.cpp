#include <jobmarket/render/svg.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include <jobmarket/render/escape.hpp>
#include <jobmarket/util/utf8.hpp>

namespace jobmarket::render {

namespace {

constexpr const char* kPalette[] = {"#2b6cb0", "#d69e2e", "#718096", "#38a169", "#e53e3e",
                                    "#805ad5", "#dd6b20", "#319795"};
constexpr int kFont = 12;  // px, every label; titles are 14 bold

std::string value_text(double v, bool percent) {
  if (percent) return fmt::format("{:.1f}%", v * 100);
  if (std::fabs(v) >= 1e6) return fmt::format("{:.2f}M", v / 1e6);
  if (std::fabs(v) >= 1e4) return fmt::format("{:.0f}k", v / 1e3);
  if (v == std::floor(v)) return fmt::format("{:.0f}", v);
  return fmt::format("{:.2f}", v);
}

std::string header(int height, const std::string& title) {
  // width 100%: the chart takes the page's width; the viewBox keeps its proportions.
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" viewBox=\"0 0 {0} {1}\" "
      "role=\"img\" aria-label=\"{2}\" font-family=\"sans-serif\" font-size=\"{3}\">"
      "<rect width=\"{0}\" height=\"{1}\" fill=\"#ffffff\"/>"
      "<text x=\"8\" y=\"18\" font-size=\"14\" font-weight=\"bold\">{2}</text>",
      kSvgWidth, height, html_escape(title), kFont);
}

// A "nice" upper bound for an axis.
double nice_max(double v) {
  if (v <= 0) return 1;
  double p = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * p >= v) return m * p;
  return 10 * p;
}

double max_width(const std::vector<std::string>& texts, double size) {
  double w = 0;
  for (const auto& t : texts) w = std::max(w, text_width(t, size));
  return w;
}

}  // namespace

double text_width(std::string_view text, double size, bool bold) {
  // Advance widths of DejaVu Sans (Debian's default sans-serif, among the widest) in
  // em; narrower fonts only leave more room.
  static constexpr std::string_view kLower = "abcdefghijklmnopqrstuvwxyz";
  static constexpr double kLowerEm[] = {0.613, 0.635, 0.550, 0.635, 0.615, 0.352, 0.635,
                                        0.634, 0.278, 0.278, 0.579, 0.278, 0.974, 0.634,
                                        0.612, 0.635, 0.635, 0.411, 0.521, 0.392, 0.634,
                                        0.592, 0.818, 0.592, 0.592, 0.525};
  double em = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const std::size_t start = i;
      const char32_t cp = utf8::decode(text, i);
      if (i == start) ++i;
      em += utf8::display_width(text.substr(start, i - start)) >= 2 || cp >= 0x2E80 ? 1.0 : 0.8;
      continue;
    }
    ++i;
    if (auto k = kLower.find(static_cast<char>(c)); k != std::string_view::npos) em += kLowerEm[k];
    else if (c >= '0' && c <= '9') em += 0.636;
    else if (c == 'M' || c == 'W' || c == '%' || c == '@') em += 1.0;
    else if (c >= 'A' && c <= 'Z') em += 0.76;
    else if (c == ' ' || c == '.' || c == ',' || c == ':' || c == ';' || c == '/' || c == '|' ||
             c == '\'' || c == '!' || c == 'i')
      em += 0.34;
    else if (c == '-' || c == '(' || c == ')' || c == '[' || c == ']') em += 0.40;
    else em += 0.84;  // = + < > & and the rest: wide ones
  }
  return em * size * (bold ? 1.12 : 1.0) * 1.04;  // a little room for kerning and hinting
}

std::string svg_bar_chart(const std::string& title, const std::vector<Bar>& bars, bool as_percent) {
  const int row = 22, top = 30;
  double max = 0;
  for (const auto& b : bars) max = std::max(max, b.value);
  max = as_percent ? std::max(max, 0.01) : nice_max(max);
  // Room for the longest label on the left and the longest value text on the right.
  std::vector<std::string> labels, values;
  for (const auto& b : bars) {
    labels.push_back(b.label);
    values.push_back(value_text(b.value, as_percent) + (b.note.empty() ? "" : " (" + b.note + ")"));
  }
  const int label_w = static_cast<int>(std::ceil(max_width(labels, kFont))) + 14;
  const int right = static_cast<int>(std::ceil(max_width(values, kFont))) + 14;
  const int height = top + row * static_cast<int>(bars.size()) + 10;
  std::string s = header(height, title);
  const double span = std::max(40.0, double(kSvgWidth - label_w - right));
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const auto& b = bars[i];
    int y = top + row * static_cast<int>(i);
    double w = std::clamp(b.value / max * span, 0.0, span);
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", label_w - 6, y + 14,
                     html_escape(b.label));
    s += fmt::format("<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"16\" fill=\"{}\"/>",
                     label_w, y + 2, w, kPalette[i % 8]);
    s += fmt::format("<text x=\"{:.1f}\" y=\"{}\">{}</text>", label_w + w + 6, y + 14, html_escape(values[i]));
  }
  return s + "</svg>";
}

std::string svg_line_chart(const std::string& title, const std::vector<std::string>& x,
                           const std::vector<Series>& series, bool as_percent) {
  const int top = 30, plot_h = 170;
  double max = 0;
  for (const auto& sr : series)
    for (const auto& v : sr.values)
      if (v) max = std::max(max, *v);
  max = as_percent ? std::min(1.0, nice_max(std::max(max, 0.01))) : nice_max(max);
  std::vector<std::string> ticks;
  for (int k = 0; k <= 4; ++k) ticks.push_back(value_text(max * k / 4, as_percent));
  // Margins wide enough for the y labels, and for half the first and last x labels,
  // which are centered on their points.
  const double first_w = x.empty() ? 0 : text_width(x.front(), kFont);
  const double last_w = x.empty() ? 0 : text_width(x.back(), kFont);
  const int left = static_cast<int>(std::ceil(std::max(max_width(ticks, kFont) + 8, first_w / 2 + 4)));
  const int right = static_cast<int>(std::ceil(std::max(16.0, last_w / 2 + 4)));
  const double pw = kSvgWidth - left - right;
  // Every step-th x label: as many as fit side by side with a gap.
  const double label_w = max_width(x, kFont) + 10;
  std::size_t step = 1;
  if (x.size() > 1)
    while (step < x.size() && pw * static_cast<double>(step) / static_cast<double>(x.size() - 1) < label_w) ++step;
  // The legend flows in rows under the axis labels.
  struct Item {
    double x;
    int row;
  };
  std::vector<Item> legend;
  double lx = 8;
  int rows = series.empty() ? 0 : 1;
  for (const auto& sr : series) {
    const double w = 16 + text_width(sr.name, kFont) + 18;
    if (lx > 8 && lx + w > kSvgWidth - 8) {
      lx = 8;
      ++rows;
    }
    legend.push_back({lx, rows - 1});
    lx += w;
  }
  const int axis_y = top + plot_h;
  const int legend_top = axis_y + 30;
  const int height = legend_top + 18 * rows + 6;
  auto px = [&](std::size_t i) {
    return x.size() <= 1 ? left + pw / 2 : left + pw * static_cast<double>(i) / static_cast<double>(x.size() - 1);
  };
  auto py = [&](double v) { return top + plot_h - v / max * plot_h; };
  std::string s = header(height, title);
  for (int k = 0; k <= 4; ++k) {  // horizontal grid with values
    double v = max * k / 4;
    s += fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#e2e8f0\"/>", left,
                     kSvgWidth - right, py(v), py(v));
    s += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>", left - 4, py(v) + 4,
                     ticks[static_cast<std::size_t>(k)]);
  }
  // Every step-th label, and always the last (where the series ends matters most); one
  // that would touch the last is left out.
  auto x_label = [&](std::size_t i) {
    s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>", px(i), axis_y + 20,
                     html_escape(x[i]));
  };
  for (std::size_t i = 0; i < x.size(); i += step)
    if (i + 1 == x.size() || px(x.size() - 1) - px(i) >= label_w) x_label(i);
  if (!x.empty() && (x.size() - 1) % step != 0) x_label(x.size() - 1);
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
                          py(std::clamp(*series[k].values[i], 0.0, max)));
      pen_down = true;
    }
    s += fmt::format("<path class=\"series\" d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>",
                     path, kPalette[k % 8]);
    const int ly = legend_top + 18 * legend[k].row;
    s += fmt::format("<rect x=\"{:.1f}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>"
                     "<text x=\"{:.1f}\" y=\"{}\">{}</text>",
                     legend[k].x, ly, kPalette[k % 8], legend[k].x + 16, ly + 10, html_escape(series[k].name));
  }
  return s + "</svg>";
}

std::string svg_box_chart(const std::string& title, const std::vector<BoxStats>& boxes,
                          const std::string& unit) {
  const int row = 30, top = 34;
  double max = 0;
  for (const auto& b : boxes) max = std::max(max, b.p90);
  max = nice_max(max);
  std::vector<std::string> labels, ticks;
  for (const auto& b : boxes) labels.push_back(b.label + (b.note.empty() ? "" : " (" + b.note + ")"));
  for (int k = 0; k <= 4; ++k) ticks.push_back(value_text(max * k / 4, false));
  labels.push_back(unit);  // written under the labels, left of the axis
  const int label_w = static_cast<int>(std::ceil(std::max(max_width(labels, kFont), max_width(ticks, kFont) / 2))) + 14;
  const int right = static_cast<int>(std::ceil(max_width(ticks, kFont) / 2)) + 8;
  const int height = top + row * static_cast<int>(boxes.size()) + 30;
  const double span = std::max(40.0, double(kSvgWidth - label_w - right));
  auto px = [&](double v) { return label_w + std::clamp(v, 0.0, max) / max * span; };
  std::string s = header(height, title);
  for (int k = 0; k <= 4; ++k) {
    double v = max * k / 4;
    s += fmt::format("<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#e2e8f0\"/>"
                     "<text x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>",
                     px(v), top, height - 26, height - 12, ticks[static_cast<std::size_t>(k)]);
  }
  s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", label_w - 6, height - 12,
                   html_escape(unit));
  for (std::size_t i = 0; i < boxes.size(); ++i) {
    const auto& b = boxes[i];
    int y = top + row * static_cast<int>(i);
    const char* color = kPalette[i % 8];
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", label_w - 6, y + 16,
                     html_escape(labels[i]));
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
