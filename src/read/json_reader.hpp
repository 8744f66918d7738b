#pragma once
// JSON array and NDJSON records, streamed: one element in memory at a time.
#include <cstdint>
#include <memory>
#include <string>

#include <jobmarket/read/byte_source.hpp>
#include <jobmarket/read/reader.hpp>

namespace jobmarket::read {

// Objects become records whose columns are the keys (in order of first appearance across
// the file); string values as is, null as empty, other values as JSON text.
std::unique_ptr<RecordReader> make_json_reader(std::unique_ptr<io::ByteSourceBase> source,
                                               FileInfo info);

// Where the elements of a JSON array or NDJSON stream start and end in the file, for the
// splitter (read/split.hpp): the reader's own scanner, so both see the same elements.
class JsonElements {
 public:
  struct Element {
    std::uint64_t start = 0, end = 0;  // file offsets: its first byte, just past its last
    std::uint64_t line = 1;
  };
  // `source` starts at `first_offset` of the file (after a byte-order mark).
  JsonElements(std::unique_ptr<io::ByteSourceBase> source, bool array, std::uint64_t first_offset);
  ~JsonElements();
  // The next element, or bad element (a row too); false at the end of the input.
  bool next(Element& element);
  std::uint64_t open_end() const;  // JSON arrays: just past the '[' (0 before it is read)

 private:
  struct Scanner;
  std::unique_ptr<Scanner> m_scanner;
  std::string m_text, m_message;
};

// Elements deeper than this are rejected before parsing (no stack exhaustion).
inline constexpr int kMaxJsonDepth = 512;

}  // namespace jobmarket::read
