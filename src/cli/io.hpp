#pragma once
// The CLI's edges: input options shared by every command that reads postings, the output
// sink (stdout or an atomically replaced file), and reject diagnostics on stderr.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <jobmarket/read/reader.hpp>

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
  std::string range;  // --range START:END (read/split.hpp)
};
void add_input_options(CLI::App& app, InputArgs& args);
read::ReadOptions to_read_options(const InputArgs& args);  // throws UsageError
std::unique_ptr<read::PostingReader> open_postings(const InputArgs& args);  // throws UsageError

// Writes to stdout ("-") or to a file that appears atomically on commit(): a temporary
// file in the same directory, fsync, rename. Without commit() the temporary is removed and
// any previous file stays intact. An existing device or FIFO is written directly.
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
  std::string m_path;
  std::string m_tmp;
  int m_fd = -1;
  bool m_tty = false;
  bool m_committed = false;
  bool m_device = false;
  std::string m_buf;
};

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
// naming the file when it cannot be read.
std::string read_text_file(const std::string& path);

// Whether to use color on stdout: --color always|never|auto (auto: stdout is a TTY and
// NO_COLOR is unset).
bool use_color(const std::string& mode, bool stdout_is_tty);

}  // namespace jobmarket::cli
