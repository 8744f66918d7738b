#include "test_support.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace jobmarket::testing {

std::filesystem::path source_dir() { return JOBMARKET_SOURCE_DIR; }
std::filesystem::path shared_dir() { return JOBMARKET_SHARED_DIR; }
bool have_shared() { return std::filesystem::is_directory(shared_dir() / "corpora"); }

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

RunResult run_jobmarket(const std::string& args, const std::string& stdin_data) {
  auto dir = std::filesystem::temp_directory_path() /
             ("jm-test-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
  std::filesystem::create_directories(dir);
  auto in = dir / "stdin", out = dir / "stdout", err = dir / "stderr";
  std::ofstream(in, std::ios::binary) << stdin_data;
  std::string cmd = std::string("'") + JOBMARKET_BINARY + "' " + args + " <'" + in.string() +
                    "' >'" + out.string() + "' 2>'" + err.string() + "'";
  int status = std::system(cmd.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(out);
  r.err = read_file(err);
  std::filesystem::remove_all(dir);
  return r;
}

}  // namespace jobmarket::testing
