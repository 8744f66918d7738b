#pragma once
// The classifier's answer for one posting, with the evidence behind it.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <jobmarket/model/posting.hpp>

namespace jobmarket::classify {

// Names follow ../shared/labeled/GUIDE.md so records and labels compare directly.
enum class Direction { research, engineering, other };
std::string_view direction_name(Direction d);  // "research", "engineering", "other"
std::optional<Direction> direction_from_name(std::string_view name);

struct Evidence {
  std::string rule;  // rule id in the rule table
  Field field;       // where it matched (title, text, ...)
  std::string text;  // the matched (normalized) text
};

struct Classification {
  Direction direction = Direction::other;
  double confidence = 0.0;        // 0..1
  std::vector<std::string> tags;  // GUIDE tag names, sorted, unique
  std::vector<Evidence> evidence; // in rule-table order, deterministic
};

}  // namespace jobmarket::classify
