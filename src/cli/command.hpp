#pragma once
// The subcommand table: each command lives in src/cli/cmd_<name>.cpp with its help text
// and examples beside its code, and is listed once in commands.cpp.
#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace jobmarket::cli {

struct Globals {
  int verbose = 0;
  bool quiet = false;
  std::string log_file;
};

// Runs the command after parsing; returns the exit code.
using Run = std::function<int(const Globals&)>;

struct Command {
  const char* name;
  const char* summary;
  const char* examples;  // shown at the end of `jobmarket NAME --help`
  Run (*setup)(CLI::App& app);  // declares the command's options on `app`
};

const std::vector<Command>& commands();

// One declaration per command file.
Run setup_convert(CLI::App& app);
Run setup_inspect(CLI::App& app);
Run setup_rules(CLI::App& app);
Run setup_eval(CLI::App& app);
Run setup_classify(CLI::App& app);
Run setup_explain(CLI::App& app);
Run setup_barriers(CLI::App& app);
Run setup_match(CLI::App& app);
Run setup_salary(CLI::App& app);
Run setup_trends(CLI::App& app);
Run setup_report(CLI::App& app);
Run setup_merge(CLI::App& app);
Run setup_split(CLI::App& app);
Run setup_diff(CLI::App& app);
Run setup_completion(CLI::App& app);
Run setup_ingest(CLI::App& app);
Run setup_relabel(CLI::App& app);
Run setup_db(CLI::App& app);

}  // namespace jobmarket::cli
