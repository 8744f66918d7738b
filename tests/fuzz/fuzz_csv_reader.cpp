// The CSV reader with the quote-masking byte source: any bytes in, records or rejects out,
// never a crash or a hang, and every row accounted for.
#include <cstdint>
#include <memory>
#include <string>

#include "read/csv_reader.hpp"

namespace {
class MemorySource : public io::ByteSourceBase {
 public:
  MemorySource(const std::uint8_t* data, std::size_t size) : m_data(data), m_size(size) {}
  int read(char* buffer, int size) override {
    auto n = std::min(static_cast<std::size_t>(size), m_size - m_pos);
    std::copy(m_data + m_pos, m_data + m_pos + n, buffer);
    m_pos += n;
    return static_cast<int>(n);
  }

 private:
  const std::uint8_t* m_data;
  std::size_t m_size, m_pos = 0;
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace jobmarket::read;
  if (size == 0) return 0;
  // The first byte picks the delimiter, so TSV/semicolon paths are fuzzed too.
  const char delimiters[] = {',', '\t', ';', '|'};
  FileInfo info;
  info.file = "fuzz.csv";
  info.delimiter = delimiters[data[0] % 4];
  ReadOptions options;
  options.header = (data[0] & 4) == 0;
  auto reader = make_csv_reader(std::make_unique<MemorySource>(data + 1, size - 1), info, options);
  RawRecord rec;
  Reject rej;
  std::uint64_t last_row = 0;
  for (;;) {
    auto n = reader->next(rec, rej);
    if (n == Next::end) break;
    std::uint64_t row = n == Next::record ? rec.source.row : rej.row;
    if (row != 0 && row != last_row + 1) __builtin_trap();  // rows are never skipped
    if (row) last_row = row;
    if (n == Next::record && rec.fields.size() != reader->info().header.size()) __builtin_trap();
  }
  return 0;
}
