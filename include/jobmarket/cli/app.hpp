#pragma once

namespace jobmarket::cli {

// Exit codes, documented in README.md and --help.
enum ExitCode : int {
  kExitOk = 0,          // success; every input row accounted for and none rejected
  kExitDataErrors = 1,  // rows rejected (lenient), --strict stopped, or a --fail-if held
  kExitUsage = 2,       // bad options, unreadable input, invalid rules file, unwritable output
};

// Entry point of the jobmarket executable: parses arguments, runs one subcommand,
// turns any escaping error into `jobmarket: error: ...` on stderr and an exit code.
int run(int argc, char** argv);

// Parses and checks the command line exactly as run() does (every option's range, every
// contradiction, outputs against inputs) but runs nothing and opens no file: 0 when the
// command would run, else the exit code run() would return. For the option-parser fuzz
// target (tests/fuzz/fuzz_cli_options.cpp).
int check_command_line(int argc, char** argv);

}  // namespace jobmarket::cli
