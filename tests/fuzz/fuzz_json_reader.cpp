// The JSON array / NDJSON reader: any bytes in, never a crash, hang or unbounded recursion.
#include <cstdint>
#include <memory>

#include "read/json_reader.hpp"

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
  FileInfo info;
  info.file = "fuzz.json";
  info.format = (data[0] & 1) ? Format::json : Format::ndjson;
  auto reader = make_json_reader(std::make_unique<MemorySource>(data + 1, size - 1), info);
  RawRecord rec;
  Reject rej;
  while (reader->next(rec, rej) != Next::end) {
    if (rec.fields.size() > reader->info().header.size()) __builtin_trap();
  }
  return 0;
}
