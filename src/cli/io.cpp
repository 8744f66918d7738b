#include "io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>

#include <jobmarket/cli/app.hpp>
#include <jobmarket/render/escape.hpp>

#include "options.hpp"
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

void check_input_args(const InputArgs& a) {
  const std::string& f = a.input_format;
  const bool json = f == "json" || f == "ndjson" || f == "jsonl";
  const std::string format = "--input-format " + f;
  refuse_together(!a.delimiter.empty(), "--delimiter", json, format, "JSON has no delimiter");
  refuse_together(a.no_header, "--no-header", json, format, "JSON names its fields in every element");
  refuse_together(!a.delimiter.empty() && a.delimiter != "\\t" && a.delimiter != "tab" &&
                      a.delimiter != "\t",
                  "--delimiter '" + a.delimiter + "'", f == "tsv", format, "TSV is tab-separated");
  (void)to_read_options(a);  // the values themselves (--delimiter, --map)
}

std::vector<NamedFile> input_files(const InputArgs& a) {
  std::vector<NamedFile> out;
  for (const auto& f : a.files) out.push_back({"input", f});
  if (out.empty()) out.push_back({"input", "-"});
  return out;
}

void add_db_input_option(CLI::App& app, InputArgs& a) {
  app.add_option("--db", a.db, "Read the postings of a history store (jobmarket ingest) instead of files")
      ->type_name("STORE");
}

void check_db_input(const InputArgs& a) {
  if (a.db.empty()) return;
  auto refuse = [](const char* option) {
    throw UsageError{fmt::format("{}: not with --db (the store is the input; it was read with its own options at ingest)",
                                 option)};
  };
  if (!a.files.empty()) refuse("FILE");
  if (a.input_format != "auto") refuse("--input-format");
  if (!a.delimiter.empty()) refuse("--delimiter");
  if (a.no_header) refuse("--no-header");
  if (!a.encoding.empty()) refuse("--encoding");
  if (!a.maps.empty()) refuse("--map");
  if (a.strict) refuse("--strict");
}

read::ReadOptions to_read_options(const InputArgs& a) {
  read::ReadOptions o;
  o.format = *read::format_from_name(a.input_format == "auto" ? "auto" : a.input_format);
  if (!a.delimiter.empty()) {
    if (a.delimiter == "\\t" || a.delimiter == "tab") o.delimiter = '\t';
    else if (a.delimiter == "\t") o.delimiter = '\t';
    else if (a.delimiter.size() == 1 && a.delimiter != "\"" && a.delimiter != "\n" && a.delimiter != "\r")
      o.delimiter = a.delimiter[0];
    else
      throw UsageError{fmt::format("--delimiter '{}': expected one character other than a quote or a "
                                   "line break ('\\t' or 'tab' for a tab)",
                                   a.delimiter)};
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

namespace {

// Temporary files of outputs not yet committed, for the signal handler to remove: fixed
// slots of C strings, so the handler only reads atomics and calls unlink().
constexpr std::size_t kTempSlots = 2 * kMaxOutputs;
std::atomic<const char*> g_temps[kTempSlots];

void remember_temp(const char* path) {
  for (auto& slot : g_temps) {
    const char* empty = nullptr;
    if (slot.compare_exchange_strong(empty, path)) return;
  }
}

void forget_temp(const char* path) {
  for (auto& slot : g_temps) {
    const char* mine = path;
    slot.compare_exchange_strong(mine, nullptr);
  }
}

extern "C" void remove_temps_and_die(int sig) {
  for (auto& slot : g_temps)
    if (const char* p = slot.load()) ::unlink(p);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

// "/proc/PID/fd" or "/proc/PID/task/TID/fd" (what /dev/fd and /proc/self/fd resolve to):
// the PID, else 0.
long proc_fd_dir(std::string_view dir) {
  auto number = [&](std::size_t& i) {
    long v = 0;
    const std::size_t from = i;
    while (i < dir.size() && dir[i] >= '0' && dir[i] <= '9' && i - from < 9) v = v * 10 + (dir[i++] - '0');
    return i > from ? v : 0;
  };
  if (!dir.starts_with("/proc/")) return 0;
  std::size_t i = 6;
  const long pid = number(i);
  if (!pid) return 0;
  std::string_view rest = dir.substr(i);
  if (rest == "/fd") return pid;
  if (!rest.starts_with("/task/")) return 0;
  i += 6;
  if (!number(i)) return 0;
  return dir.substr(i) == "/fd" ? pid : 0;
}

// What an output path names once every symlink is followed.
struct OutputTarget {
  enum class Kind { file, in_place, descriptor } kind = Kind::file;
  std::string path;       // file: the real path to replace; in_place: the path to open
  int fd = -1;            // descriptor: this process's file descriptor
  bool exists = false;    // file: there is one to replace
  mode_t mode = 0644;     // file: its permissions, kept by the replacement
};

OutputTarget resolve_output(const std::string& path) {
  auto fail = [&](int err) {
    return UsageError{fmt::format("{}: cannot create output file: {}", path, std::strerror(err))};
  };
  std::string p = path;
  for (int hop = 0; hop < 40; ++hop) {
    const auto slash = p.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : p.substr(0, slash);
    const std::string base = slash == std::string::npos ? p : p.substr(slash + 1);
    if (base.empty() || base == "." || base == "..") throw fail(EISDIR);
    char* real = ::realpath(dir.c_str(), nullptr);
    if (!real) throw fail(errno);
    const std::string rdir = real;
    std::free(real);
    const std::string full = (rdir == "/" ? "" : rdir) + "/" + base;
    // /dev/stdout, /dev/fd/N, /proc/self/fd/N: a file descriptor, written as it is (the
    // shell's `>` or `>>` decides truncation), never a path to follow or replace.
    if (const long pid = proc_fd_dir(rdir)) {
      int fd = -1;
      auto [end, ec] = std::from_chars(base.data(), base.data() + base.size(), fd);
      if (pid == static_cast<long>(::getpid()) && ec == std::errc() && end == base.data() + base.size())
        return {OutputTarget::Kind::descriptor, full, fd};
      return {OutputTarget::Kind::in_place, full};
    }
    struct stat st {};
    if (::lstat(full.c_str(), &st) != 0) {
      if (errno == ENOENT) return {OutputTarget::Kind::file, full};
      throw fail(errno);
    }
    if (S_ISLNK(st.st_mode)) {
      // The link stays a link: its target is what gets written.
      std::string target(static_cast<std::size_t>(st.st_size > 0 ? st.st_size : PATH_MAX) + 1, '\0');
      const ssize_t n = ::readlink(full.c_str(), target.data(), target.size());
      if (n < 0) throw fail(errno);
      target.resize(static_cast<std::size_t>(n));
      p = target.starts_with('/') ? target : rdir + "/" + target;
      continue;
    }
    if (S_ISDIR(st.st_mode)) throw fail(EISDIR);
    if (S_ISREG(st.st_mode)) return {OutputTarget::Kind::file, full, -1, true, st.st_mode & 07777};
    return {OutputTarget::Kind::in_place, full};  // a device, FIFO or socket
  }
  throw fail(ELOOP);
}

mode_t new_file_mode() {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

}  // namespace

void install_signal_cleanup() {
  struct sigaction sa {};
  sa.sa_handler = remove_temps_and_die;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(sig, &sa, nullptr);
}

Output::Output(const std::string& path) : m_path(path) {
  if (path == "-" || path.empty()) {
    m_fd = STDOUT_FILENO;
    m_tty = ::isatty(STDOUT_FILENO) != 0;
    return;
  }
  // Resolved before any input is read: a directory or a missing one fails fast.
  const OutputTarget target = resolve_output(path);
  switch (target.kind) {
    case OutputTarget::Kind::descriptor:
      m_fd = ::fcntl(target.fd, F_DUPFD_CLOEXEC, 3);
      if (m_fd < 0)
        throw UsageError{fmt::format("{}: cannot open output: {}", path, std::strerror(errno))};
      m_device = true;
      m_tty = ::isatty(m_fd) != 0;
      return;
    case OutputTarget::Kind::in_place:
      // A device or FIFO (-o /dev/null, /dev/tty) is written in place: renaming a temporary
      // over it would replace the device node itself when running as root.
      m_fd = ::open(target.path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
      if (m_fd < 0)
        throw UsageError{fmt::format("{}: cannot open output: {}", path, std::strerror(errno))};
      m_device = true;
      m_tty = ::isatty(m_fd) != 0;
      return;
    case OutputTarget::Kind::file:
      break;
  }
  m_target = target.path;
  m_tmp = m_target + ".tmp-XXXXXX";
  m_fd = ::mkstemp(m_tmp.data());
  if (m_fd < 0)
    throw UsageError{fmt::format("{}: cannot create output file: {}", path, std::strerror(errno))};
  remember_temp(m_tmp.c_str());
  ::fchmod(m_fd, target.exists ? target.mode : new_file_mode());
}

Output::~Output() {
  if (m_device) ::close(m_fd);
  if (!m_tmp.empty() && !m_committed) {
    ::close(m_fd);
    forget_temp(m_tmp.c_str());
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
  // Forgotten first: once renamed, the name is the output's, which a signal must not remove.
  forget_temp(m_tmp.c_str());
  if (::rename(m_tmp.c_str(), m_target.c_str()) != 0)
    throw UsageError{fmt::format("{}: cannot replace: {}", m_path, std::strerror(errno))};
  m_committed = true;
  // Make the rename itself durable.
  auto slash = m_target.find_last_of('/');
  std::string dir = m_target.substr(0, slash + 1);
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
  // File names and reasons quote the input (column names, bytes): shown, never obeyed.
  std::string where = render::visible(r.line ? fmt::format("{}:{}", r.file, r.line) : r.file);
  if (m_strict) {
    fmt::print(stderr, "jobmarket: error: {}: {}\n", where, render::visible(r.reason));
    return false;
  }
  if (!m_quiet && m_count <= kMaxWarnings) {
    fmt::print(stderr, "jobmarket: warning: {}: {}{}\n", where, render::visible(r.reason),
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
  fmt::print(stderr, "jobmarket: {}\n", render::visible(text));
}

int Diagnostics::exit_code() const { return m_count ? kExitDataErrors : kExitOk; }

bool use_color(const std::string& mode, bool stdout_is_tty) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  return stdout_is_tty && !(no_color && *no_color);
}

std::string read_text_file(const std::string& path, std::size_t limit) {
  // Whole-file reads are for small files: a rules table, an FX table, a report. A cap
  // keeps `--rules /dev/zero` or a mistaken 10 GB path from eating all memory.
  const bool is_stdin = path == "-";
  std::ifstream file;
  if (!is_stdin) {
    file.open(path, std::ios::binary);
    if (!file) throw UsageError{fmt::format("{}: cannot open: {}", path, std::strerror(errno))};
  }
  std::istream& in = is_stdin ? std::cin : file;
  std::string out;
  char buf[1 << 16];
  while (in) {
    in.read(buf, sizeof buf);
    out.append(buf, static_cast<std::size_t>(in.gcount()));
    if (out.size() > limit)
      throw UsageError{fmt::format("{}: larger than {} MiB, too large for this kind of file",
                                   is_stdin ? "<stdin>" : path, limit >> 20)};
  }
  if (in.bad()) throw UsageError{fmt::format("{}: cannot read: {}", path, std::strerror(errno))};
  return out;
}

}  // namespace jobmarket::cli
