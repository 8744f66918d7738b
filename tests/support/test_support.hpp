#pragma once
// Helpers shared by the unit tests: paths to the sources and the shared data, and
// skipping cleanly when ../shared is absent (a user's clone has no shared/).
#include <filesystem>
#include <string>

namespace jobmarket::testing {

std::filesystem::path source_dir();
std::filesystem::path shared_dir();
bool have_shared();
std::string read_file(const std::filesystem::path& path);

// Runs the jobmarket binary with a shell command line (arguments after the program
// name); returns exit status and captured stdout/stderr.
struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
RunResult run_jobmarket(const std::string& args, const std::string& stdin_data = "");

}  // namespace jobmarket::testing

// Skips the current test with a message when ../shared is not present.
#define JOBMARKET_REQUIRE_SHARED()                                                   \
  do {                                                                               \
    if (!::jobmarket::testing::have_shared())                                        \
      GTEST_SKIP() << "../shared not present: skipping test on real corpora/labels"; \
  } while (0)
