#pragma once
#include <string>

namespace jobmarket::cli {
// "jobmarket X.Y.Z\nrules: <classifier rule-table version>\n"
std::string version_text();
}  // namespace jobmarket::cli
