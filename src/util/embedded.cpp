#include <jobmarket/util/embedded.hpp>

namespace jobmarket {

std::optional<std::string_view> builtin_file(std::string_view name) {
  for (std::size_t i = 0; i < embedded::builtin_data_count; ++i) {
    if (embedded::builtin_data[i].name == name) return embedded::builtin_data[i].bytes;
  }
  return std::nullopt;
}

}  // namespace jobmarket
