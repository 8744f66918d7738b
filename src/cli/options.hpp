#pragma once
// Checks every subcommand shares so that no option value crashes the program or silently
// gives nonsense (docs/robustness.md, "Options"). The pattern, for every command:
//
//   app.add_option("--window", a->window, "...")->check(in_range(1, 1000));
//   on_parsed(app, [a] {
//     check_input_args(a->input);                        // shared option groups
//     refuse_together(a->partial, "--partial", a->format == "html", "--format html",
//                     "a partial report is JSON");
//     claim_files({{"input", ...}}, {{"-o", a->output}});  // outputs vs inputs
//   });
//
// in_range() checks the text before CLI11 converts it, so "-1" never wraps around in an
// unsigned variable. on_parsed() runs once the command line is parsed, before the command
// reads or writes anything; its checks throw UsageError (exit 2, the options named).
// tests/fuzz/fuzz_cli_options.cpp runs the parser with every on_parsed check.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace jobmarket::cli {

// A validator for integer options: decimal digits (a leading '-' only when lo < 0), the
// value in [lo, hi]. Message: "expected an integer from 1 to 1000, not '-1'".
CLI::Validator in_range(std::int64_t lo, std::int64_t hi);

// Runs `check` after a successful parse of `app` (CLI11's final callback, one per app).
void on_parsed(CLI::App& app, std::function<void()> check);

// Throws UsageError "A and B contradict each other: WHY" when both are given.
void refuse_together(bool a_given, std::string_view a, bool b_given, std::string_view b,
                     std::string_view why);

// --rules-mode replace without --rules would replace the built-in table with nothing.
void check_rules_mode(const std::string& mode, const std::string& rules_file);

// A file named on the command line and the option that names it ("-o", "--rules",
// "input"). "-" is stdin for an input, stdout for an output.
struct NamedFile {
  std::string option;
  std::string path;
};

// At most this many outputs (-o repeated) in one run.
inline constexpr std::size_t kMaxOutputs = 16;

// Refuses, before anything is read or written: an output that is one of the inputs (same
// device and inode, through any symlink or /dev/fd path: "-o in.csv: output would
// overwrite input in.csv"), two outputs that are the same file, more than kMaxOutputs
// outputs. Remembers the files for check_log_file().
void claim_files(const std::vector<NamedFile>& inputs, const std::vector<NamedFile>& outputs);
// Forgets what claim_files() remembered (at the start of each parse).
void reset_claims();
// --log-file appends to FILE: it must not be an input or output of the command, and its
// directory must exist (spdlog would create it).
void check_log_file(const std::string& path);

// Whether two paths name the same existing file (device and inode).
bool same_file(const std::string& a, const std::string& b);

}  // namespace jobmarket::cli
