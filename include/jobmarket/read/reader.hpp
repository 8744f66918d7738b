#pragma once
// Streaming readers: files in, raw records and mapped postings out, with every row
// accounted for (a record, or a reject with file, line and reason).
#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <jobmarket/model/posting.hpp>
#include <jobmarket/read/column_map.hpp>
#include <jobmarket/util/expected.hpp>

namespace jobmarket::read {

enum class Format { automatic, csv, tsv, json, ndjson };
std::string_view format_name(Format f);
std::optional<Format> format_from_name(std::string_view name);

// Bytes [start, end) of a file as asked for (--range); end = max: to the end of the file.
// The plan's form (START:END@LINE:ROW, from `jobmarket split --parts`) says that START and
// END are record starts and which line and row the first record has: nothing before START
// is scanned, so a part costs its own bytes only.
struct ByteRange {
  std::uint64_t start = 0;
  std::uint64_t end = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t line = 0, row = 0;  // the plan's form; 0: find the boundaries
  bool exact() const { return line > 0; }
};

// A range moved to record boundaries (read/split.hpp): bytes [start, end) of the file hold
// exactly the records that start inside the range asked for.
struct RecordRange {
  std::uint64_t start = 0, end = 0;
  std::uint64_t first_line = 1;   // physical line of the first record owned
  std::uint64_t first_row = 1;    // the reader's row number of that record
  std::uint64_t rows = 0;         // records owned
  std::uint64_t content_end = 0;  // JSON arrays: just past the last element owned
  bool owns_file_start = true;    // the range that starts the file: header, file-level errors
  std::string sha256;             // of bytes [start, end), when computed (split plans)
};

struct ReadOptions {
  Format format = Format::automatic;      // automatic: from the extension, then the content
  std::optional<char> delimiter;          // CSV/TSV: default from the format or sniffed
  bool header = true;                     // false: columns are named 1, 2, 3...
  std::string encoding;                   // "" = UTF-8, validated; else converted with iconv
  std::vector<MapOverride> map;           // --map field=column[,column...]
  bool strict = false;                    // stop at the first rejected row
  bool digest = false;                    // compute each input's SHA-256 while reading
  std::optional<ByteRange> range;         // --range: only the records starting in these bytes
};

// Size and checksum of one input, complete once the input has been read to the end.
struct InputStats {
  std::atomic<std::uint64_t> bytes{0};  // read by the progress meter on another thread
  std::string sha256;  // lower-case hex; empty unless ReadOptions::digest
};

// A row that could not be read. `row` is 0 when the problem is not tied to one data row
// (an empty file, an unreadable header).
struct Reject {
  std::string file;
  std::uint64_t line = 0;
  std::uint64_t row = 0;
  std::string reason;
};

// A record as read: its fields in file order (JSON values that are not strings are kept
// as JSON text).
struct RawRecord {
  SourceRef source;
  std::vector<std::string> fields;
};

enum class Next { record, rejected, end };

// What `inspect` shows about one file.
struct FileInfo {
  std::string file;
  Format format = Format::csv;
  std::string encoding;  // "utf-8", "utf-8 (BOM)", or the --encoding used
  char delimiter = ',';
  std::vector<std::string> header;
  ColumnMap mapping;
  std::shared_ptr<const InputStats> stats;  // filled in as the input is read
  std::optional<RecordRange> range;  // --range: the part of the file read (stats count it only)
};

// Reads one file (or stdin for "-") record by record, in bounded memory.
class RecordReader {
 public:
  virtual ~RecordReader() = default;
  virtual const FileInfo& info() const = 0;
  // Fills `rec` (Next::record) or `reject` (Next::rejected); Next::end when done.
  virtual Next next(RawRecord& rec, Reject& reject) = 0;
};

// Opens one input; errors (missing file, unknown format) name the file.
Expected<std::unique_ptr<RecordReader>> open_records(const std::string& path,
                                                     const ReadOptions& options);

// Reads several inputs in order, concatenated, mapping each record to a Posting.
class PostingReader {
 public:
  // Opens every input up front so a missing file is reported before any output.
  static Expected<std::unique_ptr<PostingReader>> open(const std::vector<std::string>& paths,
                                                       const ReadOptions& options);
  Next next(Posting& out, Reject& reject);

  // Per-file details, available once the file has been opened (all are, after open()).
  const std::vector<FileInfo>& files() const;
  std::uint64_t rows_read() const { return m_rows; }  // records + rejected data rows
  std::uint64_t rejected() const { return m_rejected; }  // rejects, incl. file-level ones

  ~PostingReader();

 private:
  PostingReader() = default;
  std::vector<std::unique_ptr<RecordReader>> m_readers;
  std::vector<FileInfo> m_infos;
  std::vector<ColumnMap> m_maps;
  std::size_t m_current = 0;
  std::uint64_t m_rows = 0;
  std::uint64_t m_rejected = 0;
  RawRecord m_raw;
  ReadOptions m_options;
};

}  // namespace jobmarket::read
