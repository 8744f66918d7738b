#pragma once
// Splitting one input across processes at record boundaries, as Hadoop's input splits do:
// a byte range START:END owns the records that start inside it, so ranges that tile a file
// hold every record exactly once, whatever offsets they were cut at. The boundaries come
// from one pass over the raw bytes with the readers' own state machines (CSV quotes:
// CsvRecordMachine; JSON strings and nesting: ElementScanner), so a split never cuts a
// quoted multi-line field or a JSON element. A CSV range is read with the file's header,
// a JSON array range as an array, and its rejects carry the file's own line numbers.
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <jobmarket/read/byte_source.hpp>
#include <jobmarket/read/reader.hpp>
#include <jobmarket/util/expected.hpp>

namespace jobmarket::read {

// "START:END", "START:" (to the end of the file) or ":END", in decimal bytes; START must
// not exceed END. END may lie past the end of the file.
Expected<ByteRange> parse_byte_range(std::string_view spec);
std::string format_byte_range(std::uint64_t start, std::uint64_t end);  // "START:END"

// How a file is cut: what the reader would sniff, and where records may start.
struct SplitLayout {
  std::string file;
  Format format = Format::csv;
  char delimiter = ',';
  bool header = true;     // CSV: the first non-blank record is the header
  std::string encoding;   // as FileInfo::encoding
  std::uint64_t bom = 0;  // bytes of a UTF-8 byte-order mark
  std::uint64_t file_bytes = 0;
  std::uint64_t header_end = 0;      // CSV: just past the first record (the header, or the
                                     // record that sets the number of columns)
  std::uint64_t array_open_end = 0;  // JSON array: just past its '['
};

// The layout of `path` (a regular file) read with `options`; an error naming the file
// when it cannot be split at byte level (stdin, a pipe, UTF-16, or an encoding whose
// multi-byte characters may hold a quote, delimiter or bracket byte).
Expected<SplitLayout> split_layout(const std::string& path, const ReadOptions& options);

// The records a range owns: the first starts at `start` (or none, start == end), the first
// record not owned starts at `end` (or end == the file size).
Expected<RecordRange> align_range(const SplitLayout& layout, ByteRange range);

// A file cut into ranges of about equal size at record boundaries.
struct SplitPlan {
  SplitLayout layout;
  std::uint64_t rows = 0;          // rows of the whole file (records, not the header)
  std::string sha256;              // of the whole file
  std::vector<RecordRange> parts;  // tiling the file, each with its rows and SHA-256
};

// At most `parts` ranges (fewer when records are larger than a part: empty ones are
// dropped), found in one pass; the SHA-256 of the whole file is computed on a second
// thread meanwhile, each part's after the pass.
Expected<SplitPlan> plan_split(const SplitLayout& layout, std::uint64_t parts);

// What to read for a range: the pieces of the file (the header of a CSV range, brackets
// around a JSON array range), the range's own bytes marked owned. `standalone`: what
// `jobmarket split --range` writes, a file valid on its own (no trailing comma before a
// JSON array's added ']').
std::vector<Segment> range_segments(const SplitLayout& layout, const RecordRange& range,
                                    bool standalone);

// Encodings a file can be split in at byte level (ASCII-compatible, and for CSV the
// multi-byte CJK encodings, whose bytes below 0x40 are always ASCII).
bool splittable_encoding(std::string_view encoding, Format format, char delimiter);

}  // namespace jobmarket::read
