// The command-line parser and every option check (ranges, contradictions, outputs against
// inputs: cli::check_command_line) on arbitrary argument vectors, one argument per line
// of the input. Checking must never crash, throw past the top level, or create a file: the
// target runs in an empty directory that must stay empty. Exit codes are 0 or 2 only.
#include <dirent.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <jobmarket/cli/app.hpp>

namespace {
std::string g_dir;

bool dir_is_empty() {
  DIR* d = ::opendir(g_dir.c_str());
  if (!d) return false;
  int entries = 0;
  while (const dirent* e = ::readdir(d)) entries += e->d_name[0] != '.';
  ::closedir(d);
  return entries == 0;
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  char tmpl[] = "/tmp/jobmarket-fuzz-cli-XXXXXX";
  const char* made = ::mkdtemp(tmpl);
  if (!made || ::chdir(made) != 0) std::abort();
  g_dir = made;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> args{"jobmarket"};
  std::string cur;
  for (std::size_t i = 0; i < size && args.size() < 64; ++i) {
    const char c = static_cast<char>(data[i]);
    if (c == '\n') {
      args.push_back(cur);
      cur.clear();
    } else if (c != '\0') {  // argv strings cannot hold NUL
      cur += c;
    }
  }
  if (!cur.empty()) args.push_back(cur);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int code = jobmarket::cli::check_command_line(static_cast<int>(args.size()), argv.data());
  if (code != 0 && code != 2) __builtin_trap();
  if (!dir_is_empty()) __builtin_trap();  // checking wrote a file
  return 0;
}
