#include <jobmarket/render/sparkline.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

namespace jobmarket::render {

namespace {

constexpr std::array<std::string_view, 8> kBlocks = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};

}  // namespace

std::string sparkline(const std::vector<std::optional<double>>& values) {
  // A zero baseline keeps counts honest: 90 vs 100 must not look like 0 vs 100.
  double lo = 0.0, hi = 0.0;
  for (const auto& v : values) {
    if (!v || !std::isfinite(*v)) continue;
    lo = std::min(lo, *v);
    hi = std::max(hi, *v);
  }
  std::string out;
  for (const auto& v : values) {
    if (!v || !std::isfinite(*v)) {
      out += ' ';
      continue;
    }
    std::size_t level = 0;
    if (hi > lo) {
      const double scaled = (*v - lo) / (hi - lo) * static_cast<double>(kBlocks.size() - 1);
      level = static_cast<std::size_t>(std::lround(scaled));
    }
    out += kBlocks[std::min(level, kBlocks.size() - 1)];
  }
  return out;
}

std::string sparkline(const std::vector<double>& values) {
  std::vector<std::optional<double>> v(values.begin(), values.end());
  return sparkline(v);
}

}  // namespace jobmarket::render
