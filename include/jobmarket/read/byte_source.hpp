#pragma once
// Byte sources that feed fast-cpp-csv-parser's LineReader. They are stacked:
//   FileSource (file or stdin, with a peek buffer for sniffing)
//   -> IconvSource (optional: --encoding, or a UTF-16 BOM) converts to UTF-8
//   -> QuoteMaskSource (CSV/TSV only) hides newlines inside quoted fields.
// LineReader splits on every '\n'; a quoted multi-line field would be cut in two and
// fail with "Escaped string was not closed". QuoteMaskSource replaces each in-quote '\n'
// with kMaskedNewline (0xFF, a byte that never occurs in UTF-8) so each logical record
// reaches LineReader as one line; the CSV splitter restores the newlines.
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <libfccp/csv.h>

#include <jobmarket/read/reader.hpp>
#include <jobmarket/util/scan.hpp>

namespace jobmarket::read {

inline constexpr char kMaskedNewline = '\xFF';
// Raw bytes that would be mistaken for markers (0xFF) or end a C string early (NUL) are
// replaced by 0xFE, which is invalid UTF-8, so the row is rejected, never misread.
inline constexpr char kPoisonByte = '\xFE';
// LineReader refuses lines of 2^24 bytes or more; records longer than this are skipped
// by QuoteMaskSource and reported.
inline constexpr std::size_t kMaxRecordBytes = (std::size_t{1} << 24) - 1024;
// An over-long record is skipped to its end, but not beyond this many bytes: an endless
// one (`< /dev/zero`) would keep the run busy forever. The input ends there, reported.
inline constexpr std::uint64_t kMaxSkipBytes = std::uint64_t{1} << 28;

// SHA-256 of `bytes` as lower-case hex, the digest FileSource computes of an input.
std::string sha256_hex(std::string_view bytes);

// A piece of what FileSource reads: bytes [start, end) of the file, or `literal` text.
// Only `owned` pieces count as the input's (bytes, SHA-256): a range of a file reads its
// header too, which belongs to the range that starts the file.
struct Segment {
  std::uint64_t start = 0, end = 0;
  std::string literal;
  bool owned = true;
  std::uint64_t size() const { return literal.empty() ? end - start : literal.size(); }
};

// Reads a file (or stdin for "-") and lets the first bytes be inspected before reading.
class FileSource : public io::ByteSourceBase {
 public:
  // Throws std::system_error naming the file when it cannot be opened. `stats` receives
  // the byte count (and the SHA-256 when `digest`) as the input is read.
  FileSource(const std::string& path, std::shared_ptr<InputStats> stats, bool digest);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  // Up to `n` bytes from the start of the input, without consuming them.
  std::string_view peek(std::size_t n);
  // Drops the first n bytes (a byte-order mark) before reading.
  void skip(std::size_t n);
  int read(char* buffer, int size) override;

  // From now on reads only these pieces, in order (a --range: the header, then the
  // records the range owns), from their start: what was peeked is dropped and the byte
  // count and digest start again. Regular files only (pread).
  void select(std::vector<Segment> segments);

 private:
  std::size_t raw_read(char* buffer, std::size_t n);
  void account(const char* data, std::size_t n);
  void start_digest();
  int m_fd = -1;
  bool m_owned = false;
  std::shared_ptr<InputStats> m_stats;
  void* m_sha = nullptr;  // EVP_MD_CTX while digesting
  std::string m_peeked;
  std::size_t m_peek_pos = 0;
  bool m_eof = false;
  bool m_selected = false;
  std::vector<Segment> m_segments;
  std::size_t m_segment = 0;      // the piece being read
  std::uint64_t m_segment_pos = 0;  // bytes of it already read
};

// Converts from `encoding` to UTF-8 with iconv. A byte sequence that is invalid in the
// source encoding becomes kPoisonByte so its row is rejected.
class IconvSource : public io::ByteSourceBase {
 public:
  IconvSource(std::unique_ptr<io::ByteSourceBase> inner, const std::string& encoding);
  ~IconvSource() override;
  IconvSource(const IconvSource&) = delete;
  IconvSource& operator=(const IconvSource&) = delete;
  int read(char* buffer, int size) override;
  std::uint64_t invalid_sequences() const { return m_invalid; }

 private:
  std::unique_ptr<io::ByteSourceBase> m_inner;
  void* m_cd;
  std::vector<char> m_in;
  std::size_t m_in_len = 0;
  bool m_inner_eof = false;
  std::uint64_t m_invalid = 0;
};

// Facts QuoteMaskSource learns while streaming, read by the CSV reader on its own thread
// (LineReader reads ahead on a worker thread), hence the mutex.
struct MaskEvents {
  struct LongRecord {
    std::uint64_t logical_line;  // LineReader's line number of the truncated line
    std::uint64_t physical_lines;  // physical lines the whole record spanned
    bool unterminated_quote;     // the record ran to end of input inside quotes
    bool first = false;          // the first record (the header): the input ends there
    bool endless = false;        // skipped for kMaxSkipBytes: the input ends there
  };
  std::mutex mutex;
  std::deque<LongRecord> long_records;
};

// The RFC 4180 record state machine over raw bytes, shared by QuoteMaskSource (which hides
// the newlines inside quotes from LineReader) and the splitter (read/split.hpp), so both
// see the same record boundaries. A quote opens a quoted field only at the start of a
// field, as in Python's csv module; a quote inside an unquoted field is data.
class CsvRecordMachine {
 public:
  enum class Event : std::uint8_t { none, record_end, quoted_newline };
  explicit CsvRecordMachine(char delimiter) : m_delim(delimiter) {}

  // How many bytes of p[0, n) cannot change the state (a plain run inside or outside
  // quotes), found with SSE2; 0 when p[0] may matter. NUL and 0xFF end a run too, for
  // QuoteMaskSource to poison them.
  // `skipping`: bytes that are dropped, never written, so NUL and 0xFF need no stop there.
  std::size_t plain_run(const char* p, std::size_t n, bool skipping = false) const {
    if (m_state != State::in_quoted && m_state != State::in_field) return 0;
    // Inside quotes the delimiter means nothing (and commas are frequent in descriptions).
    const char stop = m_state == State::in_quoted ? '"' : m_delim;
    return skipping ? scan::find_any_of5(p, n, '"', '\n', stop, '"', '"')
                    : scan::find_any_of5(p, n, '"', '\n', stop, '\0', kMaskedNewline);
  }

  // Advances over one byte: record_end for a newline outside quotes (the machine is then
  // at the start of the next record), quoted_newline for one inside quotes.
  Event step(char c) {
    switch (m_state) {
      case State::start_field:
        if (c == '"') m_state = State::in_quoted;
        else if (c == '\n') return Event::record_end;
        else if (c != m_delim) m_state = State::in_field;
        break;
      case State::in_field:
        if (c == m_delim) m_state = State::start_field;
        else if (c == '\n') return end_record();
        break;
      case State::in_quoted:
        if (c == '"') m_state = State::quote_in_quoted;
        else if (c == '\n') return Event::quoted_newline;
        break;
      case State::quote_in_quoted:
        if (c == '"') m_state = State::in_quoted;
        else if (c == m_delim) m_state = State::start_field;
        else if (c == '\n') return end_record();
        else m_state = State::in_field;
        break;
    }
    return Event::none;
  }

  bool in_quotes() const { return m_state == State::in_quoted; }

 private:
  enum class State : std::uint8_t { start_field, in_field, in_quoted, quote_in_quoted };
  Event end_record() {
    m_state = State::start_field;
    return Event::record_end;
  }
  char m_delim;
  State m_state = State::start_field;
};

class QuoteMaskSource : public io::ByteSourceBase {
 public:
  QuoteMaskSource(std::unique_ptr<io::ByteSourceBase> inner, char delimiter,
                  std::shared_ptr<MaskEvents> events);
  int read(char* buffer, int size) override;

 private:
  // Rewrites buf[w, end) in place; returns the new end of the output.
  std::size_t process(char* buf, std::size_t w, std::size_t end);
  // Ends the input inside an over-long record skipped for kMaxSkipBytes.
  std::size_t give_up(std::size_t w);

  std::unique_ptr<io::ByteSourceBase> m_inner;
  std::shared_ptr<MaskEvents> m_events;
  CsvRecordMachine m_machine;
  bool m_eof = false;
  std::uint64_t m_logical_line = 1;   // line LineReader will number the current record
  std::uint64_t m_record_bytes = 0;
  std::uint64_t m_record_newlines = 0;
  bool m_skipping = false;            // inside an over-long record
  std::uint64_t m_skipped = 0;        // bytes of it skipped so far
  bool m_had_record = false;          // a non-empty record has ended (the header is read)
  bool m_after_newline = false;       // the last byte read was '\n' (ends a physical line)
};

}  // namespace jobmarket::read
