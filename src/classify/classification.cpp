#include <jobmarket/classify/classification.hpp>

namespace jobmarket::classify {

std::string_view direction_name(Direction d) {
  switch (d) {
    case Direction::research:
      return "research";
    case Direction::engineering:
      return "engineering";
    case Direction::other:
      return "other";
  }
  return "other";
}

std::optional<Direction> direction_from_name(std::string_view name) {
  if (name == "research") return Direction::research;
  if (name == "engineering") return Direction::engineering;
  if (name == "other") return Direction::other;
  return std::nullopt;
}

}  // namespace jobmarket::classify
