#include <jobmarket/model/posting.hpp>

namespace jobmarket {

namespace {
constexpr std::array<std::string_view, kFieldCount> kNames = {
    "id", "title", "company", "location", "salary", "posted", "education", "experience", "text"};
}

std::string_view field_name(Field f) { return kNames[static_cast<std::size_t>(f)]; }

std::optional<Field> field_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<Field>(i);
  }
  return std::nullopt;
}

}  // namespace jobmarket
