#pragma once
// Small self-contained SVG charts for the HTML report (no scripts, no external files).
// Output is deterministic: fixed sizes, colors and number formatting.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jobmarket::render {

// Charts are laid out in a viewBox this wide and drawn at the page's width.
inline constexpr int kSvgWidth = 920;

// Width in px of `text` set in sans-serif at `size` px, estimated from the widest common
// sans-serif (DejaVu Sans) so that labels placed with it fit their chart.
double text_width(std::string_view text, double size, bool bold = false);

struct Bar {
  std::string label;
  double value = 0;
  std::string note;  // printed after the value, e.g. "n=120"
};
// Horizontal bars, one per item; `format` is printed beside each bar ("{:.0%}" style done
// by the caller: value_text overrides when not empty).
std::string svg_bar_chart(const std::string& title, const std::vector<Bar>& bars,
                          bool as_percent = false);

struct Series {
  std::string name;
  std::vector<std::optional<double>> values;  // one per x label; nullopt = gap
};
// Lines over shared x labels (time buckets), with a legend.
std::string svg_line_chart(const std::string& title, const std::vector<std::string>& x_labels,
                           const std::vector<Series>& series, bool as_percent = false);

struct BoxStats {
  std::string label;
  double p10, p25, p50, p75, p90;
  std::string note;
};
// Box-and-whisker rows (p10..p90 whiskers, p25..p75 box, median line) on a shared axis.
std::string svg_box_chart(const std::string& title, const std::vector<BoxStats>& boxes,
                          const std::string& unit);

}  // namespace jobmarket::render
