#include "io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include <jobmarket/cli/app.hpp>
#include <jobmarket/read/split.hpp>

namespace jobmarket::cli {

void add_input_options(CLI::App& app, InputArgs& a) {
  app.add_option("files", a.files, "Input files (CSV, TSV, JSON array, NDJSON); '-' or none reads stdin")
      ->type_name("FILE");
  app.add_option("--input-format", a.input_format, "Input format: auto|csv|tsv|json|ndjson")
      ->check(CLI::IsMember({"auto", "csv", "tsv", "json", "ndjson", "jsonl"}))
      ->default_str("auto");
  app.add_option("-d,--delimiter", a.delimiter, "CSV field delimiter (default: sniffed; '\\t' for tab)");
  app.add_flag("--no-header", a.no_header, "The first row is data; columns are named 1, 2, 3...");
  app.add_option("--encoding", a.encoding,
                 "Input encoding when not UTF-8: gb18030, gbk, cp1252, latin1, utf-16...");
  app.add_option("--map", a.maps, "Map a posting field to column(s): FIELD=COLUMN[,COLUMN...] (repeatable)")
      ->type_name("FIELD=COL");
  app.add_flag("--strict", a.strict, "Stop at the first bad row with exit code 1");
  app.add_option("--range", a.range,
                 "Only the records that start in bytes START:END of the one input file, with its "
                 "header and line numbers (a part of `jobmarket split`)")
      ->type_name("START:END");
}

read::ReadOptions to_read_options(const InputArgs& a) {
  read::ReadOptions o;
  o.format = *read::format_from_name(a.input_format == "auto" ? "auto" : a.input_format);
  if (!a.delimiter.empty()) {
    if (a.delimiter == "\\t" || a.delimiter == "tab") o.delimiter = '\t';
    else if (a.delimiter.size() == 1 && a.delimiter != "\"" && a.delimiter != "\n")
      o.delimiter = a.delimiter[0];
    else throw UsageError{fmt::format("--delimiter '{}': expected one character", a.delimiter)};
  }
  o.header = !a.no_header;
  o.encoding = a.encoding;
  for (const auto& m : a.maps) {
    auto parsed = read::parse_map_override(m);
    if (!parsed) throw UsageError{parsed.error()};
    o.map.push_back(*parsed);
  }
  o.strict = a.strict;
  if (!a.range.empty()) {
    auto range = read::parse_byte_range(a.range);
    if (!range) throw UsageError{range.error()};
    o.range = *range;
  }
  return o;
}

std::unique_ptr<read::PostingReader> open_postings(const InputArgs& a) {
  auto files = a.files.empty() ? std::vector<std::string>{"-"} : a.files;
  auto r = read::PostingReader::open(files, to_read_options(a));
  if (!r) throw UsageError{r.error()};
  return std::move(*r);
}

// ---------------------------------------------------------------- Output

Output::Output(const std::string& path) : m_path(path) {
  if (path == "-" || path.empty()) {
    m_fd = STDOUT_FILENO;
    m_tty = ::isatty(STDOUT_FILENO) != 0;
    return;
  }
  struct stat st {};
  const bool exists = ::stat(path.c_str(), &st) == 0;
  // A directory is refused before any input is read, not at the final rename.
  if (exists && S_ISDIR(st.st_mode))
    throw UsageError{fmt::format("{}: cannot create output file: Is a directory", path)};
  // A device or FIFO (-o /dev/stdout, /dev/null) is written in place: renaming a temporary
  // over it would replace the device node itself when running as root.
  if (exists && !S_ISREG(st.st_mode)) {
    m_fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (m_fd < 0)
      throw UsageError{fmt::format("{}: cannot open output: {}", path, std::strerror(errno))};
    m_device = true;
    return;
  }
  m_tmp = path + ".tmp-XXXXXX";
  m_fd = ::mkstemp(m_tmp.data());
  if (m_fd < 0)
    throw UsageError{fmt::format("{}: cannot create output file: {}", path, std::strerror(errno))};
  ::fchmod(m_fd, 0644);
}

Output::~Output() {
  if (m_device) ::close(m_fd);
  if (!m_tmp.empty() && !m_committed) {
    ::close(m_fd);
    ::unlink(m_tmp.c_str());
  }
}

void Output::write(std::string_view s) {
  m_buf.append(s);
  if (m_buf.size() >= (1 << 16)) flush();
}

void Output::flush() {
  std::size_t off = 0;
  while (off < m_buf.size()) {
    ssize_t n = ::write(m_fd, m_buf.data() + off, m_buf.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EPIPE) throw BrokenPipe{};
      throw UsageError{fmt::format("{}: write failed: {}",
                                   m_fd == STDOUT_FILENO ? "<stdout>" : m_path,
                                   std::strerror(errno))};
    }
    off += static_cast<std::size_t>(n);
  }
  m_buf.clear();
}

void Output::commit() {
  flush();
  if (m_tmp.empty()) return;
  if (::fsync(m_fd) != 0 || ::close(m_fd) != 0)
    throw UsageError{fmt::format("{}: write failed: {}", m_path, std::strerror(errno))};
  if (::rename(m_tmp.c_str(), m_path.c_str()) != 0)
    throw UsageError{fmt::format("{}: cannot replace: {}", m_path, std::strerror(errno))};
  m_committed = true;
  // Make the rename itself durable.
  auto slash = m_path.find_last_of('/');
  std::string dir = slash == std::string::npos ? "." : m_path.substr(0, slash + 1);
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

// ---------------------------------------------------------------- Diagnostics

std::string reason_category(const std::string& reason) {
  auto cut = reason.find_first_of("(:;");
  std::string c = reason.substr(0, cut);
  while (!c.empty() && c.back() == ' ') c.pop_back();
  return c;
}

namespace {
constexpr std::uint64_t kMaxWarnings = 20;
}

bool Diagnostics::reject(const read::Reject& r) {
  ++m_count;
  ++(r.row ? m_reasons : m_input_reasons)[reason_category(r.reason)];
  std::string where = r.line ? fmt::format("{}:{}", r.file, r.line) : r.file;
  if (m_strict) {
    fmt::print(stderr, "jobmarket: error: {}: {}\n", where, r.reason);
    return false;
  }
  if (!m_quiet && m_count <= kMaxWarnings) {
    fmt::print(stderr, "jobmarket: warning: {}: {}{}\n", where, r.reason,
               r.row ? fmt::format(" (row {} skipped)", r.row) : "");
    if (m_count == kMaxWarnings)
      fmt::print(stderr, "jobmarket: warning: further rejected rows are counted, not shown\n");
  }
  return true;
}

void Diagnostics::summary(std::uint64_t rows_read) const {
  if (m_count == 0 || m_quiet) return;
  auto list = [](const std::map<std::string, std::uint64_t>& reasons, std::uint64_t& total) {
    std::string s;
    for (const auto& [reason, n] : reasons) {
      s += fmt::format("{}{} {}", s.empty() ? "" : "; ", n, reason);
      total += n;
    }
    return s;
  };
  std::uint64_t rows = 0, inputs = 0;
  std::string row_reasons = list(m_reasons, rows), input_reasons = list(m_input_reasons, inputs);
  // Problems with a whole input (empty file, unreadable header, JSON array never closed)
  // are not rows: "1 of 0 rows rejected" would break the account rows = records + rejects.
  std::string text = rows ? fmt::format("{} of {} rows rejected ({})", rows, rows_read, row_reasons)
                          : fmt::format("{} rows read, none rejected", rows_read);
  if (inputs)
    text = fmt::format("{} input error{} ({}); {}", inputs, inputs == 1 ? "" : "s", input_reasons,
                       text);
  fmt::print(stderr, "jobmarket: {}\n", text);
}

int Diagnostics::exit_code() const { return m_count ? kExitDataErrors : kExitOk; }

bool use_color(const std::string& mode, bool stdout_is_tty) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  return stdout_is_tty && !(no_color && *no_color);
}

std::string read_text_file(const std::string& path) {
  std::ostringstream ss;
  if (path == "-") {
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError{fmt::format("{}: cannot open: {}", path, std::strerror(errno))};
  ss << in.rdbuf();
  if (in.bad()) throw UsageError{fmt::format("{}: cannot read: {}", path, std::strerror(errno))};
  return ss.str();
}

}  // namespace jobmarket::cli
