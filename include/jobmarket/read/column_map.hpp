#pragma once
// Maps a file's columns to posting fields: automatically from header synonyms in English
// and Chinese, or as the user says with --map field=column.
#include <array>
#include <string>
#include <vector>

#include <jobmarket/model/posting.hpp>
#include <jobmarket/util/expected.hpp>

namespace jobmarket::read {

struct MapOverride {
  Field field;
  std::vector<std::string> columns;  // header names (or 1-based numbers) joined in order
};
// Parses "field=col[,col...]".
Expected<MapOverride> parse_map_override(std::string_view spec);

struct FieldMapping {
  std::vector<std::size_t> columns;  // indices into the header; several join with "\n"
  std::string why;                   // e.g. "header '职位名称' is a synonym of title"
};

struct ColumnMap {
  std::array<FieldMapping, kFieldCount> fields;
  const FieldMapping& get(Field f) const { return fields[static_cast<std::size_t>(f)]; }
};

// Builds the mapping for a header; an override naming a missing column is an error.
Expected<ColumnMap> map_columns(const std::vector<std::string>& header,
                                const std::vector<MapOverride>& overrides);

// Fills posting fields from a record's values (values like "NULL", "nan", "-1" in
// salary/date/education/experience columns count as empty).
void apply_map(const ColumnMap& map, const std::vector<std::string>& values, Posting& out);

}  // namespace jobmarket::read
