#include <jobmarket/cli/app.hpp>

#include <CLI/CLI.hpp>

namespace jobmarket::cli {

int run(int argc, char** argv) {
  CLI::App app{"jobmarket: classify and summarize AI large-model job postings"};
  CLI11_PARSE(app, argc, argv);
  return kExitOk;
}

}  // namespace jobmarket::cli
