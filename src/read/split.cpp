#include <jobmarket/read/split.hpp>

#include <sys/stat.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <future>

#include "json_reader.hpp"
#include "sniff.hpp"

namespace jobmarket::read {

Expected<ByteRange> parse_byte_range(std::string_view spec) {
  const std::string_view whole = spec;
  auto bad = [&](std::string_view why) {
    return unexpected(
        fmt::format("--range '{}': {} (expected START:END in bytes, e.g. 0:1048576; "
                    "START: or :END for an open end; START:END@LINE:ROW as split plans it)",
                    whole, why));
  };
  std::string_view at_part;
  if (auto at = spec.find('@'); at != std::string_view::npos) {
    at_part = spec.substr(at + 1);
    spec = spec.substr(0, at);
  }
  auto colon = spec.find(':');
  if (colon == std::string_view::npos) return bad("no ':'");
  auto number = [](std::string_view s, std::uint64_t& out) {
    if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
  };
  ByteRange r;
  auto start = spec.substr(0, colon), end = spec.substr(colon + 1);
  if (start.empty() && end.empty()) return bad("no START and no END");
  if (!start.empty() && !number(start, r.start)) return bad("START is not a byte offset");
  if (!end.empty() && !number(end, r.end)) return bad("END is not a byte offset");
  if (r.start > r.end) return bad("START is after END");
  if (whole.find('@') != std::string_view::npos) {
    auto c = at_part.find(':');
    if (start.empty() || end.empty()) return bad("the plan's form needs START and END");
    if (c == std::string_view::npos || !number(at_part.substr(0, c), r.line) ||
        !number(at_part.substr(c + 1), r.row) || r.line == 0 || r.row == 0)
      return bad("LINE and ROW after '@' must be numbers from 1");
  }
  return r;
}

std::string format_byte_range(std::uint64_t start, std::uint64_t end) {
  return fmt::format("{}:{}", start, end);
}

bool splittable_encoding(std::string_view encoding, Format format, char delimiter) {
  std::string e(encoding);
  std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return std::tolower(c); });
  auto starts = [&](std::string_view p) { return e.rfind(p, 0) == 0; };
  // Every byte below 0x80 is the ASCII character: quotes, brackets, delimiters, newlines.
  if (e.empty() || starts("utf-8") || e == "utf8" || e == "ascii" || e == "us-ascii" ||
      e == "latin1" || starts("iso-8859-") || starts("iso8859-") || starts("cp125") ||
      starts("windows-125"))
    return true;
  if (format == Format::json || format == Format::ndjson) return false;
  // The CJK encodings' trail bytes are 0x40 and above: a quote, a newline or a delimiter
  // below 0x40 (, ; tab) is always that character, never part of one.
  static constexpr std::array<std::string_view, 15> cjk = {
      "gbk",       "gb2312", "gb18030", "cp936",  "euc-cn", "big5",  "big5-hkscs", "cp950",
      "shift_jis", "sjis",   "cp932",   "euc-jp", "euc-kr", "cp949", "uhc"};
  return static_cast<unsigned char>(delimiter) < 0x40 &&
         std::find(cjk.begin(), cjk.end(), e) != cjk.end();
}

namespace {

// Where a record starts and ends (just past its newline, or its closing bracket).
struct RecordAt {
  std::uint64_t start = 0, end = 0;
  std::uint64_t line = 1;
  std::uint64_t row = 0;  // 0: the CSV header
};

// The records of a file in order, as the reader will number them: blank CSV lines are
// not records, JSON errors about the file's structure are not rows.
class RecordScanner {
 public:
  explicit RecordScanner(const SplitLayout& layout)
      : m_layout(layout),
        m_file(std::make_unique<FileSource>(layout.file, std::make_shared<InputStats>(), false)),
        m_machine(layout.delimiter) {
    // The reader drops a byte-order mark before it reads anything.
    m_file->skip(layout.bom);
    m_offset = m_start = layout.bom;
    m_header_pending = layout.header && is_csv();
    if (!is_csv()) {
      m_json = std::make_unique<JsonElements>(std::move(m_file), layout.format == Format::json,
                                              layout.bom);
    } else {
      m_buf.resize(1 << 20);
    }
  }

  bool next(RecordAt& at) { return is_csv() ? next_csv(at) : next_json(at); }

  // JSON arrays: just past the '[' (0 until it has been read).
  std::uint64_t array_open_end() const { return m_json ? m_json->open_end() : 0; }

 private:
  bool is_csv() const { return m_layout.format == Format::csv || m_layout.format == Format::tsv; }

  bool next_csv(RecordAt& at) {
    for (;;) {
      if (m_pos == m_len) {
        m_len =
            static_cast<std::size_t>(m_file->read(m_buf.data(), static_cast<int>(m_buf.size())));
        m_pos = 0;
        if (m_len == 0) {
          // A last record without a newline.
          const bool last = m_content > 0 && !blank();
          m_content = 0;
          return last && emit(at, m_offset);
        }
      }
      const char* p = m_buf.data() + m_pos;
      // Inside quotes only a quote changes the state: skip to it, counting the newlines
      // (the most of a file's bytes are its quoted descriptions).
      std::size_t k = 0;
      if (m_machine.in_quotes()) {
        k = scan::find_counting(p, m_len - m_pos, '"', '\n', m_newlines);
      } else {
        k = m_machine.plain_run(p, m_len - m_pos);
      }
      if (k) {
        if (m_content == 0) m_first = p[0];
        m_content += k;
        m_pos += k;
        m_offset += k;
        continue;
      }
      const char c = *p;
      ++m_pos;
      ++m_offset;
      const auto event = m_machine.step(c);
      if (event == CsvRecordMachine::Event::record_end) {
        ++m_newlines;
        const bool was_blank = blank();
        bool out = false;
        if (!was_blank) out = emit(at, m_offset);
        m_start = m_offset;
        m_start_line = m_newlines + 1;
        m_content = 0;
        if (out) return true;
        continue;
      }
      if (event == CsvRecordMachine::Event::quoted_newline) ++m_newlines;
      if (m_content == 0) m_first = c;
      ++m_content;
    }
  }

  // The reader skips a line that is empty, or holds a lone '\r' (LineReader drops one).
  bool blank() const { return m_content == 0 || (m_content == 1 && m_first == '\r'); }

  bool emit(RecordAt& at, std::uint64_t end) {
    at = {m_start, end, m_start_line, m_header_pending ? 0 : ++m_rows};
    m_header_pending = false;
    return true;
  }

  bool next_json(RecordAt& at) {
    JsonElements::Element e;
    if (!m_json->next(e)) return false;
    at = {e.start, e.end, e.line, ++m_rows};
    return true;
  }

  const SplitLayout& m_layout;
  std::unique_ptr<FileSource> m_file;
  std::unique_ptr<JsonElements> m_json;
  CsvRecordMachine m_machine;
  std::vector<char> m_buf;
  std::size_t m_pos = 0, m_len = 0;
  std::uint64_t m_offset = 0;  // of the next byte
  std::uint64_t m_start = 0;   // where the current record started
  std::uint64_t m_start_line = 1;
  std::uint64_t m_newlines = 0;
  std::uint64_t m_content = 0;  // bytes of the current record before its newline
  char m_first = 0;
  std::uint64_t m_rows = 0;
  bool m_header_pending = false;
};

// SHA-256 (hex) of bytes [start, end) of a file, through FileSource's own digest.
std::string sha256_of(const std::string& path, std::uint64_t start, std::uint64_t end) {
  auto stats = std::make_shared<InputStats>();
  FileSource file(path, stats, true);
  file.select({Segment{start, end, {}, true}});
  std::vector<char> buf(1 << 20);
  while (file.read(buf.data(), static_cast<int>(buf.size())) > 0) {
  }
  return stats->sha256;
}

}  // namespace

Expected<SplitLayout> split_layout(const std::string& path, const ReadOptions& options) {
  if (path == "-")
    return unexpected(
        "<stdin>: a range needs a regular file (it is read at byte offsets), "
        "not standard input");
  ReadOptions plain = options;
  plain.digest = false;
  plain.range.reset();
  auto sniffed = sniff_input(path, plain);
  if (!sniffed) return unexpected(sniffed.error());
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    return unexpected(
        fmt::format("{}: a range needs a regular file (it is read at byte "
                    "offsets), not a pipe or device",
                    path));
  const auto& info = sniffed->info;
  SplitLayout layout;
  layout.file = path;
  layout.format = info.format;
  layout.delimiter = info.delimiter;
  layout.header = options.header;
  layout.encoding = info.encoding;
  layout.bom = sniffed->bom;
  layout.file_bytes = static_cast<std::uint64_t>(st.st_size);
  const std::string& enc = options.encoding;
  if (info.encoding.rfind("utf-16", 0) == 0 ||
      !splittable_encoding(enc, info.format, info.delimiter))
    return unexpected(fmt::format(
        "{}: cannot split {} at byte level: its characters may hold the bytes of a quote, "
        "bracket or delimiter; convert it to UTF-8 first (jobmarket convert{} {} --format {} "
        "-o FILE.utf8.{})",
        path, info.encoding, enc.empty() ? "" : " --encoding " + enc, path,
        info.format == Format::json     ? "json"
        : info.format == Format::ndjson ? "ndjson"
                                        : "csv",
        info.format == Format::json     ? "json"
        : info.format == Format::ndjson ? "ndjson"
                                        : "csv"));
  // Where the header ends (every CSV range reads it) and a JSON array opens.
  try {
    RecordScanner scan(layout);
    RecordAt at;
    const bool any = scan.next(at);
    // Without a header the file's first record still sets the number of columns.
    const bool csv = layout.format == Format::csv || layout.format == Format::tsv;
    if (any && csv) layout.header_end = at.end;
    layout.array_open_end = scan.array_open_end();
  } catch (const std::system_error& e) {
    return unexpected(fmt::format("{}: cannot read: {}", path, e.code().message()));
  }
  return layout;
}

namespace {

// Whether `offset` can be where a record starts: the start or the end of the file, or
// after a newline (CSV, NDJSON) or a JSON array's ',' or '[' (whitespace between). A
// check of the plan's form, which is not scanned for: it catches offsets that were not
// made by `split --parts` (a newline inside a quoted field would pass).
bool may_start_record(const SplitLayout& layout, std::uint64_t offset) {
  if (offset == 0 || offset >= layout.file_bytes) return true;
  FileSource file(layout.file, std::make_shared<InputStats>(), false);
  const std::uint64_t from = offset >= 64 ? offset - 64 : 0;
  file.select({Segment{from, offset, {}, true}});
  std::string before(static_cast<std::size_t>(offset - from), '\0');
  before.resize(static_cast<std::size_t>(file.read(before.data(), static_cast<int>(before.size()))));
  if (layout.format == Format::csv || layout.format == Format::tsv)
    return !before.empty() && before.back() == '\n';
  // JSON: an element starts after blanks, on a new line (NDJSON) or after ',' or '['.
  auto last = before.find_last_not_of(layout.format == Format::json ? " \t\r\n" : " \t\r");
  if (last == std::string::npos) return true;
  return layout.format == Format::json ? before[last] == ',' || before[last] == '['
                                       : before[last] == '\n';
}

}  // namespace

Expected<RecordRange> align_range(const SplitLayout& layout, ByteRange asked) {
  const std::uint64_t size = layout.file_bytes;
  if (asked.exact()) {
    if (asked.end > size)
      return unexpected(fmt::format("{}: range {}:{} ends after the file ({} bytes): it changed after "
                                    "it was split",
                                    layout.file, asked.start, asked.end, size));
    for (auto offset : {asked.start, asked.end})
      if (!may_start_record(layout, offset))
        return unexpected(fmt::format("{}: byte {} is not where a record starts: give the ranges of "
                                      "`jobmarket split --parts`, or START:END without '@' (the "
                                      "boundaries are found)",
                                      layout.file, offset));
    RecordRange r;
    r.start = asked.start;
    r.end = asked.end;
    r.first_line = asked.line;
    r.first_row = asked.row;
    r.owns_file_start = asked.start == 0;  // a plan's [0, 0) is the part of an empty file
    return r;
  }
  const std::uint64_t start = std::min(asked.start, size), end = std::min(asked.end, size);
  RecordRange r;
  // The range from 0 owns what precedes the first record too (the header, file errors).
  r.owns_file_start = asked.start == 0 && asked.end > 0;
  bool found = r.owns_file_start;
  r.start = found ? 0 : size;
  try {
    RecordScanner scan(layout);
    RecordAt at;
    std::uint64_t last_line = 1, rows_before = 0;
    r.end = size;
    while (scan.next(at)) {
      if (at.row == 0) continue;  // the header: read with every range, owned by none
      last_line = at.line;
      if (at.start >= end && end < size) {
        r.end = at.start;
        break;
      }
      if (!found && at.start >= start) {
        found = true;
        r.start = at.start;
      }
      if (found) {
        if (r.rows == 0) {
          r.first_line = at.line;
          r.first_row = at.row;
        }
        ++r.rows;
        r.content_end = at.end;
      } else {
        rows_before = at.row;
      }
    }
    if (!found) {  // no record starts in the range
      r.start = r.end;
      r.first_line = last_line;
      r.first_row = rows_before + 1;
    }
    if (r.start >= r.end) {
      r.start = r.end = std::max(r.start, r.end);
      r.rows = 0;
    }
    if (r.rows == 0) r.content_end = r.start;
    if (layout.format == Format::json && r.owns_file_start && r.rows == 0)
      r.content_end = layout.array_open_end;
  } catch (const std::system_error& e) {
    return unexpected(fmt::format("{}: cannot read: {}", layout.file, e.code().message()));
  }
  return r;
}

Expected<SplitPlan> plan_split(const SplitLayout& layout, std::uint64_t parts) {
  SplitPlan plan;
  plan.layout = layout;
  const std::uint64_t size = layout.file_bytes;
  parts = std::max<std::uint64_t>(1, parts);
  // The whole file's digest needs every byte in order: one more thread, meanwhile.
  auto whole = std::async(std::launch::async, [&] { return sha256_of(layout.file, 0, size); });
  try {
    RecordScanner scan(layout);
    RecordAt at;
    RecordRange current;  // from 0: owns the header and anything before the first record
    std::uint64_t k = 1;  // the next cut aims at k * size / parts
    auto target = [&](std::uint64_t i) {
      return size / parts * i + size % parts * i / parts;  // i * size / parts without overflow
    };
    while (scan.next(at)) {
      if (at.row == 0) continue;
      if (k < parts && at.start >= target(k) && current.rows > 0) {  // no part without rows
        current.end = at.start;
        plan.parts.push_back(current);
        current = RecordRange{};
        current.start = at.start;
        current.owns_file_start = false;
        while (k < parts && target(k) <= at.start) ++k;
      }
      if (current.rows == 0) {
        current.first_line = at.line;
        current.first_row = at.row;
      }
      ++current.rows;
      current.content_end = at.end;
      ++plan.rows;
    }
    current.end = size;
    if (current.rows == 0) current.content_end = current.start;
    if (layout.format == Format::json && current.start == 0 && current.rows == 0)
      current.content_end = layout.array_open_end;
    plan.parts.push_back(current);
    for (auto& part : plan.parts) part.sha256 = sha256_of(layout.file, part.start, part.end);
    plan.sha256 = whole.get();
  } catch (const std::system_error& e) {
    if (whole.valid()) whole.wait();
    return unexpected(fmt::format("{}: cannot read: {}", layout.file, e.code().message()));
  }
  return plan;
}

std::vector<Segment> range_segments(const SplitLayout& layout, const RecordRange& r,
                                    bool standalone) {
  std::vector<Segment> out;
  auto file = [&](std::uint64_t a, std::uint64_t b, bool owned) {
    out.push_back(Segment{a, b, {}, owned});
  };
  auto literal = [&](std::string text) { out.push_back(Segment{0, 0, std::move(text), false}); };
  switch (layout.format) {
    case Format::json: {
      // The range's elements between brackets. Standing alone, a range that does not end
      // the file stops after its last element: no separator before the added ']'.
      const bool last = r.end >= layout.file_bytes;
      if (!r.owns_file_start && r.start == r.end) {  // nothing of the array's own: no brackets
        if (standalone) literal("[]\n");
        break;
      }
      if (!r.owns_file_start) literal(standalone ? "[\n" : "[");
      file(r.start, last || !standalone ? r.end : r.content_end, true);
      if (!last) literal(standalone ? "\n]\n" : "]");
      break;
    }
    case Format::ndjson:
      file(r.start, r.end, true);
      break;
    default:
      // The header travels with every range; the range starting the file has it already.
      // Without a header the reader still needs the first record, for the number of
      // columns, but a part standing alone does not.
      if (!r.owns_file_start && layout.header_end > 0 && (layout.header || !standalone))
        file(0, layout.header_end, false);
      file(r.start, r.end, true);
      break;
  }
  return out;
}

}  // namespace jobmarket::read
