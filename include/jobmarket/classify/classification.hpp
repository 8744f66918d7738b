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
  // The rule's id, pointing into the rule table of the classifier or extractor that found
  // it (valid while that lives): copying ids was the costliest part of classification, as
  // every posting writes a dozen of them into recycled, cache-cold strings.
  std::string_view rule;
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
