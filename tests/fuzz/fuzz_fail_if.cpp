// diff --fail-if conditions on arbitrary bytes, against a small report: the parser either
// accepts PATH OP NUMBER (a path without spaces or empty parts, a finite number, a known
// operator) or says why; evaluation agrees with the parser; an accepted condition written
// back in canonical form parses to the same condition.
#include <cmath>
#include <cstdint>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <jobmarket/render/json_diff.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace jobmarket::render;
  static const nlohmann::ordered_json doc = nlohmann::ordered_json::parse(R"({
    "overview": {"records": 400, "directions": {"research": {"count": 85, "share": 0.2125},
                 "engineering": {"count": 164, "share": 0.41}}},
    "trends": {"tags": [{"tag": "rag", "series": [{"bucket": "2025-01", "share": 0.5}]}]},
    "salary": {"overall": {"insufficient": false, "annual_mid": {"median": 527000.5}}}})");
  const std::string condition(reinterpret_cast<const char*>(data), size);
  auto parsed = parse_condition(condition);
  auto held = evaluate_condition(doc, condition);
  if (!parsed) {
    if (parsed.error().empty() || held || held.error() != parsed.error()) __builtin_trap();
    return 0;
  }
  const auto& c = *parsed;
  if (c.path.empty() || c.path.find_first_of(" \t") != std::string::npos || c.path.front() == '.' ||
      c.path.back() == '.' || c.path.find("..") != std::string::npos || !std::isfinite(c.number))
    __builtin_trap();
  if (c.op != "<" && c.op != "<=" && c.op != ">" && c.op != ">=" && c.op != "==" && c.op != "!=")
    __builtin_trap();
  if (!held && held.error().empty()) __builtin_trap();
  // The canonical form round-trips (when the path itself holds no operator character).
  if (c.path.find_first_of("<>=!") == std::string::npos) {
    auto again = parse_condition(fmt::format("{} {} {:.17g}", c.path, c.op, c.number));
    if (!again || again->path != c.path || again->op != c.op || again->number != c.number) __builtin_trap();
  }
  return 0;
}
