#include "options.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "io.hpp"

namespace jobmarket::cli {

CLI::Validator in_range(std::int64_t lo, std::int64_t hi) {
  return CLI::Validator(
      [lo, hi](std::string& text) -> std::string {
        std::int64_t v = 0;
        const char* end = text.data() + text.size();
        const bool digits = !text.empty() && (std::isdigit(static_cast<unsigned char>(text[0])) ||
                                              (text[0] == '-' && lo < 0 && text.size() > 1));
        auto [p, ec] = std::from_chars(text.data(), end, v);
        if (!digits || ec != std::errc() || p != end || v < lo || v > hi)
          return fmt::format("expected an integer from {} to {}, not '{}'", lo, hi, text);
        return {};
      },
      fmt::format("in [{} - {}]", lo, hi));
}

void on_parsed(CLI::App& app, std::function<void()> check) { app.callback(std::move(check)); }

void refuse_together(bool a_given, std::string_view a, bool b_given, std::string_view b,
                     std::string_view why) {
  if (a_given && b_given)
    throw UsageError{fmt::format("{} and {} contradict each other: {}", a, b, why)};
}

void check_rules_mode(const std::string& mode, const std::string& rules_file) {
  if (mode == "replace" && rules_file.empty())
    throw UsageError{"--rules-mode replace needs --rules FILE: there is nothing to replace the built-in table with"};
}

namespace {

struct Identity {
  dev_t dev = 0;
  ino_t ino = 0;
  bool regular = false;
  bool operator==(const Identity& o) const { return dev == o.dev && ino == o.ino; }
};

// The file a path names now ("-": stdin or stdout), following every symlink.
std::optional<Identity> identity(const std::string& path, bool output) {
  struct stat st {};
  const int rc = path == "-" || path.empty() ? ::fstat(output ? STDOUT_FILENO : STDIN_FILENO, &st)
                                             : ::stat(path.c_str(), &st);
  if (rc != 0) return std::nullopt;
  return Identity{st.st_dev, st.st_ino, S_ISREG(st.st_mode)};
}

// Where a not yet existing output will be: its directory resolved, then its name.
std::string future_path(const std::string& path) {
  auto slash = path.find_last_of('/');
  std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  char* real = ::realpath(dir.c_str(), nullptr);
  if (!real) return path;
  std::string out = std::string(real) + "/" + path.substr(slash == std::string::npos ? 0 : slash + 1);
  std::free(real);
  return out;
}

// "-o report.json", "stdout", "in.csv", "stdin", "--rules my.json".
std::string label(const NamedFile& f, bool output) {
  if (f.path == "-" || f.path.empty()) return output ? "stdout" : "stdin";
  return f.option == "input" ? f.path : f.option + " " + f.path;
}

std::vector<NamedFile>& claimed() {
  static std::vector<NamedFile> files;  // the command line's inputs and outputs
  return files;
}

}  // namespace

bool same_file(const std::string& a, const std::string& b) {
  auto x = identity(a, false), y = identity(b, false);
  return x && y && *x == *y;
}

void claim_files(const std::vector<NamedFile>& inputs, const std::vector<NamedFile>& outputs) {
  if (outputs.size() > kMaxOutputs)
    throw UsageError{fmt::format("-o: at most {} outputs, not {}", kMaxOutputs, outputs.size())};
  std::vector<std::optional<Identity>> in;
  for (const auto& f : inputs) in.push_back(identity(f.path, false));
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    const auto& out = outputs[k];
    const auto id = identity(out.path, true);
    // Only a regular file can be replaced; a device or pipe named twice is written twice.
    if (id && id->regular) {
      for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (in[i] && *in[i] == *id)
          throw UsageError{fmt::format("{}: output would overwrite input {}", label(out, true),
                                       label(inputs[i], false))};
      }
    }
    for (std::size_t j = 0; j < k; ++j) {
      const auto& other = outputs[j];
      const auto other_id = identity(other.path, true);
      const bool same = id && other_id ? id->regular && *id == *other_id
                        : !id && !other_id && out.path != "-" && other.path != "-" &&
                              future_path(out.path) == future_path(other.path);
      if (same)
        throw UsageError{fmt::format("{} and {} are the same file: each output must be its own",
                                     label(other, true), label(out, true))};
    }
  }
  auto& all = claimed();
  all = inputs;
  all.insert(all.end(), outputs.begin(), outputs.end());
}

void reset_claims() { claimed().clear(); }

void check_log_file(const std::string& path) {
  if (path.empty()) return;
  for (const auto& f : claimed())
    if (f.path != "-" && !f.path.empty() &&
        (same_file(path, f.path) || future_path(path) == future_path(f.path)))
      throw UsageError{fmt::format("--log-file {}: it is also {} {}: the log would be appended to it",
                                   path, f.option, f.path)};
  auto slash = path.find_last_of('/');
  if (slash != std::string::npos) {
    struct stat st {};
    const std::string dir = slash == 0 ? "/" : path.substr(0, slash);
    if (::stat(dir.c_str(), &st) != 0)
      throw UsageError{fmt::format("--log-file {}: {}", path, std::strerror(errno))};
    if (!S_ISDIR(st.st_mode))
      throw UsageError{fmt::format("--log-file {}: {}", path, std::strerror(ENOTDIR))};
  }
}

}  // namespace jobmarket::cli
