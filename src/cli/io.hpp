#pragma once
// The CLI's edges: input options shared by every command that reads postings, the output
// sink (stdout or an atomically replaced file), and reject diagnostics on stderr.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <jobmarket/read/reader.hpp>

#include "options.hpp"

namespace jobmarket::cli {

// Thrown when stdout's reader went away (`| head`): not an error, exit quietly.
struct BrokenPipe {};
// Thrown for errors that end the run with kExitUsage; the top-level catch prints it.
struct UsageError {
  std::string message;
};

struct InputArgs {
  std::vector<std::string> files;
  std::string input_format = "auto";
  std::string delimiter;
  bool no_header = false;
  std::string encoding;
  std::vector<std::string> maps;
  bool strict = false;
  std::string db;  // --db: read the history store instead of files (report, trends, classify)
  std::string range;  // --range START:END (read/split.hpp)
};
void add_input_options(CLI::App& app, InputArgs& args);
// The input options' contradictions (--delimiter or --no-header with JSON input, a
// --delimiter other than tab with TSV) and values; for the command's on_parsed check.
void check_input_args(const InputArgs& args);  // throws UsageError
// The inputs as claim_files() takes them: each file, or "-" (stdin) when none is given.
std::vector<NamedFile> input_files(const InputArgs& args);
// --db STORE for the commands that can read the history store (docs/store.md).
void add_db_input_option(CLI::App& app, InputArgs& args);
// With --db, the options that describe input files are refused (exit 2, option named).
void check_db_input(const InputArgs& args);
read::ReadOptions to_read_options(const InputArgs& args);  // throws UsageError
std::unique_ptr<read::PostingReader> open_postings(const InputArgs& args);  // throws UsageError

// Writes to stdout ("-") or to a file that appears atomically on commit(): a temporary
// file in the same directory, fsync, rename. Without commit() the temporary is removed and
// any previous file stays intact. Symlinks are followed: the file they lead to is
// replaced, the link stays. A device, FIFO or socket is written in place, and a file
// descriptor path (/dev/stdout, /dev/fd/N, /proc/self/fd/N) through the descriptor itself;
// none is ever renamed over (docs/robustness.md).
class Output {
 public:
  explicit Output(const std::string& path);  // throws UsageError when it cannot be created
  ~Output();
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  void write(std::string_view s);
  void commit();
  bool is_tty() const { return m_tty; }
  const std::string& path() const { return m_path; }

 private:
  void flush();
  std::string m_path;    // as given, for messages
  std::string m_target;  // the real path a temporary replaces on commit()
  std::string m_tmp;
  int m_fd = -1;
  bool m_tty = false;
  bool m_committed = false;
  bool m_device = false;
  std::string m_buf;
};

// On SIGINT, SIGTERM or SIGHUP, removes the temporaries of outputs not yet committed, then
// dies of the signal: an interrupted run leaves the previous files and nothing else.
void install_signal_cleanup();

// Reports rejected rows on stderr and keeps the account. Lenient: a warning per reject
// (the first 20, then only counted) and a summary; strict: the first reject is an error.
class Diagnostics {
 public:
  Diagnostics(bool strict, bool quiet) : m_strict(strict), m_quiet(quiet) {}
  // Returns false when processing must stop (strict mode).
  bool reject(const read::Reject& r);
  std::uint64_t rejected() const { return m_count; }
  // Reason categories of rejected rows, and of problems with a whole input (row 0).
  const std::map<std::string, std::uint64_t>& reasons() const { return m_reasons; }
  const std::map<std::string, std::uint64_t>& input_reasons() const { return m_input_reasons; }
  // The closing summary line ("3 of 10 rows rejected (...)", with "1 input error (...)"
  // first when a whole input failed); nothing when nothing was rejected.
  void summary(std::uint64_t rows_read) const;
  int exit_code() const;

 private:
  bool m_strict, m_quiet;
  std::uint64_t m_count = 0;
  std::map<std::string, std::uint64_t> m_reasons;
  std::map<std::string, std::uint64_t> m_input_reasons;
};

// Reason category used in summaries: the reject message up to the first '(' or ':'.
std::string reason_category(const std::string& reason);

// The whole of a small file ("-": stdin), e.g. a rules file or a report; throws UsageError
// naming the file when it cannot be read or holds more than `limit` bytes.
inline constexpr std::size_t kMaxTextFileBytes = std::size_t{64} << 20;
// Partial reports are larger: a deduplicated one carries about 350 bytes per unique
// posting (its index entry and facts), so a part of 1 GB of input is some 700 MB.
inline constexpr std::size_t kMaxPartialFileBytes = std::size_t{4} << 30;
std::string read_text_file(const std::string& path, std::size_t limit = kMaxTextFileBytes);

// Whether to use color on stdout: --color always|never|auto (auto: stdout is a TTY and
// NO_COLOR is unset).
bool use_color(const std::string& mode, bool stdout_is_tty);

}  // namespace jobmarket::cli
