#include "version.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <jobmarket/util/embedded.hpp>

namespace jobmarket::cli {

std::string version_text() {
  // Read only the version field: --version must stay fast, no rule compilation.
  std::string rules = "unknown";
  if (auto text = builtin_file("classify.json")) {
    auto j = nlohmann::json::parse(*text, nullptr, false);
    if (j.is_object() && j.contains("version") && j["version"].is_string())
      rules = j["version"].get<std::string>();
  }
  return fmt::format("jobmarket {}\nrules {}\n", JOBMARKET_VERSION, rules);
}

}  // namespace jobmarket::cli
