#pragma once
// Inline charts for terminals: one block character per value (▁▂▃▄▅▆▇█).
#include <optional>
#include <string>
#include <vector>

namespace jobmarket::render {

// Scales values from 0 (or the minimum, when negative) to the maximum; the lowest level
// is ▁, so a zero still shows. All-equal non-zero values draw as █. Empty input gives "".
std::string sparkline(const std::vector<double>& values);
// Missing values (nullopt) draw as a space; the others scale as above.
std::string sparkline(const std::vector<std::optional<double>>& values);

}  // namespace jobmarket::render
