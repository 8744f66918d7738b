#pragma once
// JSON array and NDJSON records, streamed: one element in memory at a time.
#include <memory>

#include <jobmarket/read/byte_source.hpp>
#include <jobmarket/read/reader.hpp>

namespace jobmarket::read {

// Objects become records whose columns are the keys (in order of first appearance across
// the file); string values as is, null as empty, other values as JSON text.
std::unique_ptr<RecordReader> make_json_reader(std::unique_ptr<io::ByteSourceBase> source,
                                               FileInfo info);

// Elements deeper than this are rejected before parsing (no stack exhaustion).
inline constexpr int kMaxJsonDepth = 512;

}  // namespace jobmarket::read
