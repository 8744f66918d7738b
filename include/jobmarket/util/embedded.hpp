#pragma once
// Files compiled into the binary at build time (cmake/Embed.cmake).
#include <cstddef>
#include <optional>
#include <string_view>

namespace jobmarket {

struct EmbeddedFile {
  std::string_view name;  // file name without directory, e.g. "classify.json"
  std::string_view bytes;
};

namespace embedded {
extern const EmbeddedFile builtin_data[];
extern const std::size_t builtin_data_count;
}  // namespace embedded

// The built-in data file with this name (rules, fx rates), or nullopt.
std::optional<std::string_view> builtin_file(std::string_view name);

}  // namespace jobmarket
