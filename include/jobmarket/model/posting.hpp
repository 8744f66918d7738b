#pragma once
// A job posting as the pipeline sees it after reading and column mapping.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jobmarket {

// Where a posting came from: every output record carries this, so each row can be
// traced back to its file. `row` is the 1-based data row (header excluded); `line` is the
// 1-based physical line on which the record starts.
struct SourceRef {
  std::string_view file;  // points into storage owned by the input set for the whole run
  std::uint64_t row = 0;
  std::uint64_t line = 0;
};

// The posting fields that columns are mapped to (read/column_map.hpp).
enum class Field : std::uint8_t {
  id,
  title,
  company,
  location,
  salary,
  posted,
  education,
  experience,
  text,  // description, responsibilities, requirements... joined with newlines
};
inline constexpr std::size_t kFieldCount = 9;

// Stable lower-case name used in JSON, `--map` and evidence ("title", "text", ...).
std::string_view field_name(Field f);
std::optional<Field> field_from_name(std::string_view name);

struct Posting {
  SourceRef source;
  std::array<std::string, kFieldCount> fields;

  const std::string& get(Field f) const { return fields[static_cast<std::size_t>(f)]; }
  std::string& get(Field f) { return fields[static_cast<std::size_t>(f)]; }
  const std::string& id() const { return get(Field::id); }
  const std::string& title() const { return get(Field::title); }
  const std::string& text() const { return get(Field::text); }
};

}  // namespace jobmarket
