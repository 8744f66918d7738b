#include "progress.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

namespace jobmarket::cli {

std::uint64_t total_input_bytes(const std::vector<std::string>& paths) {
  std::uint64_t total = 0;
  for (const auto& p : paths) {
    struct stat st {};
    if (p == "-" || ::stat(p.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return 0;
    total += static_cast<std::uint64_t>(st.st_size);
  }
  return total;
}

Progress::Progress(bool enabled, std::uint64_t total_bytes)
    : m_enabled(enabled && ::isatty(STDERR_FILENO)), m_total(total_bytes),
      m_start(std::chrono::steady_clock::now()), m_last(m_start) {}

Progress::~Progress() { finish(); }

void Progress::tick(std::uint64_t rows, const std::vector<read::FileInfo>& files) {
  if (!m_enabled || (rows & 4095) != 0) return;
  auto now = std::chrono::steady_clock::now();
  if (now - m_last < std::chrono::milliseconds(250)) return;
  m_last = now;
  std::uint64_t bytes = 0;
  for (const auto& f : files)
    if (f.stats) bytes += f.stats->bytes.load(std::memory_order_relaxed);
  double secs = std::chrono::duration<double>(now - m_start).count();
  double mbps = secs > 0 ? static_cast<double>(bytes) / 1048576.0 / secs : 0;
  std::string eta;
  if (m_total && bytes && bytes < m_total && mbps > 0)
    eta = fmt::format(", ETA {:.0f}s", static_cast<double>(m_total - bytes) / 1048576.0 / mbps);
  fmt::print(stderr, "\r\x1b[Kjobmarket: {} rows, {:.0f} MB, {:.0f} MB/s{}", rows,
             static_cast<double>(bytes) / 1048576.0, mbps, eta);
  m_drawn = true;
}

void Progress::finish() {
  if (m_drawn) fmt::print(stderr, "\r\x1b[K");
  m_drawn = false;
}

}  // namespace jobmarket::cli
