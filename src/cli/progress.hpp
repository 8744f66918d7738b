#pragma once
// Progress on stderr for long runs: rows, MB/s and ETA, redrawn in place at most 4 times
// a second, only when stderr is a terminal and not with -q. The clock lives here, at the
// edge, never in the core.
#include <chrono>
#include <cstdint>
#include <vector>

#include <jobmarket/read/reader.hpp>

namespace jobmarket::cli {

class Progress {
 public:
  // `total_bytes` 0 when unknown (stdin): no ETA then.
  Progress(bool enabled, std::uint64_t total_bytes);
  ~Progress();
  // Cheap to call per row: looks at the clock every 4096 rows only.
  void tick(std::uint64_t rows, const std::vector<read::FileInfo>& files);
  void finish();

 private:
  bool m_enabled;
  std::uint64_t m_total;
  std::chrono::steady_clock::time_point m_start, m_last;
  bool m_drawn = false;
};

// Sum of the sizes of regular files among `paths` (0 if any is stdin or not a file).
std::uint64_t total_input_bytes(const std::vector<std::string>& paths);

}  // namespace jobmarket::cli
