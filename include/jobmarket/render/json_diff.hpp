#pragma once
// What changed between two reports: every number, string and list under the same path in
// both, with absolute and relative change. Pure: JSON in, rows out.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <jobmarket/util/expected.hpp>

namespace jobmarket::render {

struct Change {
  std::string path;   // dotted path, array items by their "tag"/"direction"/"bucket"/"claim" key
  std::string before; // "" when absent
  std::string after;
  std::optional<double> delta;     // after - before for numbers
  std::optional<double> relative;  // delta / |before| when before != 0
};

// Changed leaves only (unchanged ones are left out). Paths under `ignore` prefixes (e.g.
// "inputs", "jobmarket_version") are skipped.
std::vector<Change> diff_json(const nlohmann::ordered_json& before,
                              const nlohmann::ordered_json& after,
                              const std::vector<std::string>& ignore = {});

// The value at a dotted path (same naming as Change::path), or nullptr.
const nlohmann::ordered_json* find_path(const nlohmann::ordered_json& doc, const std::string& path);

// A threshold such as "overview.directions.engineering.share < 0.5": PATH OP NUMBER with
// OP one of < <= > >= == !=, PATH dotted names without spaces or empty parts, NUMBER a
// finite decimal number. At most kMaxConditionLength bytes.
struct Condition {
  std::string path;
  std::string op;
  double number = 0;
};
inline constexpr std::size_t kMaxConditionLength = 1000;
// The syntax alone (checked before any report is read), or an error naming the problem.
Expected<Condition> parse_condition(const std::string& condition);

// Whether the condition holds on `doc`; a path not found from the root is tried under
// "overview.directions" ("engineering.share < 0.5"). An error names the problem (bad
// syntax, no such path, not a number).
Expected<bool> evaluate_condition(const nlohmann::ordered_json& doc, const std::string& condition);

}  // namespace jobmarket::render
