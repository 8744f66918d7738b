#pragma once
// Reading optional sections of a report JSON without exceptions: a missing key anywhere
// on the path gives null, which renderers show as "-" and checks treat as no data.
#include <initializer_list>

#include <nlohmann/json.hpp>

namespace jobmarket::util {

inline const nlohmann::ordered_json& json_at(const nlohmann::ordered_json& j,
                                             std::initializer_list<const char*> path) {
  static const nlohmann::ordered_json null_json;
  const nlohmann::ordered_json* cur = &j;
  for (const char* k : path) {
    if (!cur->is_object() || !cur->contains(k)) return null_json;
    cur = &(*cur)[k];
  }
  return *cur;
}

}  // namespace jobmarket::util
