#include "csv_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <set>

#include <jobmarket/util/utf8.hpp>

namespace jobmarket::read {

bool split_csv_line(std::string_view line, char delim, std::vector<std::string>& fields) {
  // Reuse the strings' capacity: this runs once per row.
  std::size_t n = 0;
  auto next_field = [&]() -> std::string& {
    if (n == fields.size()) fields.emplace_back();
    auto& f = fields[n++];
    f.clear();
    return f;
  };
  std::size_t i = 0;
  const std::size_t len = line.size();
  while (true) {
    std::string& f = next_field();
    if (i < len && line[i] == '"') {
      ++i;
      bool closed = false;
      while (i < len) {
        // copy the run up to the next quote in one go
        auto q = line.find('"', i);
        if (q == std::string_view::npos) q = len;
        f.append(line.substr(i, q - i));
        i = q;
        if (i == len) break;
        if (i + 1 < len && line[i + 1] == '"') {  // doubled quote
          f += '"';
          i += 2;
          continue;
        }
        ++i;  // closing quote
        closed = true;
        break;
      }
      if (!closed) {
        fields.resize(n);
        return false;
      }
      // Text after the closing quote up to the delimiter is kept (as Python's csv does).
      auto d = line.find(delim, i);
      if (d == std::string_view::npos) d = len;
      f.append(line.substr(i, d - i));
      i = d;
    } else {
      auto d = line.find(delim, i);
      if (d == std::string_view::npos) d = len;
      f.append(line.substr(i, d - i));
      i = d;
    }
    for (auto* m = static_cast<char*>(std::memchr(f.data(), kMaskedNewline, f.size())); m;
         m = static_cast<char*>(std::memchr(m + 1, kMaskedNewline, f.size() - static_cast<std::size_t>(m + 1 - f.data())))) {
      *m = '\n';
    }
    if (i >= len) break;
    ++i;  // skip the delimiter; a trailing delimiter yields a last empty field
    if (i == len) {
      next_field();
      break;
    }
  }
  fields.resize(n);
  return true;
}

std::vector<std::string> unique_header(std::vector<std::string> names) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::string base = names[i].empty() ? fmt::format("column_{}", i + 1) : names[i];
    std::string name = base;
    for (int k = 2; seen.count(name); ++k) name = fmt::format("{}_{}", base, k);
    seen.insert(name);
    names[i] = name;
  }
  return names;
}

namespace {

std::string encoding_hint(std::string_view encoding) {
  if (!encoding.empty() && encoding.rfind("utf-8", 0) != 0) return "";
  return "; if the file is GBK/GB18030 or Windows-1252, pass --encoding gb18030 or --encoding cp1252";
}

class CsvReader final : public RecordReader {
 public:
  CsvReader(std::unique_ptr<io::ByteSourceBase> source, FileInfo info, const ReadOptions& options)
      : m_info(std::move(info)), m_events(std::make_shared<MaskEvents>()) {
    auto masked = std::make_unique<QuoteMaskSource>(std::move(source), m_info.delimiter, m_events);
    m_lines = std::make_unique<io::LineReader>(m_info.file, std::move(masked));
    m_has_header = options.header;
  }

  const FileInfo& info() const override { return m_info; }

  // Reads the header (or the first row, to count columns, with --no-header). Returns a
  // reject when the file has no usable header.
  bool read_header(Reject& reject) {
    std::vector<std::string> fields;
    std::uint64_t line = 0;
    // A range that does not start the file begins with the file's first record: the
    // header, or without one the record that sets the number of columns (read/split.hpp).
    const bool first_record_prefixed = m_info.range && !m_info.range->owns_file_start;
    Status s = next_line(fields, line, reject);
    if (s == Status::end) {
      reject = {m_info.file, 1, 0, "empty file: no header row"};
      m_done = true;
      return false;
    }
    if (s == Status::rejected) {
      reject.row = 0;
      reject.reason = "unreadable header: " + reject.reason;
      m_done = true;
      return false;
    }
    if (m_has_header) {
      m_info.header = unique_header(std::move(fields));
      skip_to_range();
    } else {
      for (std::size_t i = 0; i < fields.size(); ++i) m_info.header.push_back(std::to_string(i + 1));
      if (first_record_prefixed) {
        skip_to_range();  // that record is another range's
      } else {
        m_pending = std::move(fields);
        m_pending_line = line;
        m_has_pending = true;
      }
    }
    return true;
  }

  Next next(RawRecord& rec, Reject& reject) override {
    if (m_done) return Next::end;
    std::uint64_t line = 0;
    if (m_has_pending) {
      rec.fields.swap(m_pending);
      line = m_pending_line;
      m_has_pending = false;
    } else {
      Status s = next_line(rec.fields, line, reject);
      if (s == Status::end) return Next::end;
      if (s == Status::rejected) {
        reject.row = ++m_row;
        return Next::rejected;
      }
    }
    ++m_row;
    if (rec.fields.size() != m_info.header.size()) {
      reject = {m_info.file, line, m_row,
                fmt::format("expected {} fields (as in the header), found {}",
                            m_info.header.size(), rec.fields.size())};
      return Next::rejected;
    }
    rec.source = SourceRef{m_info.file, m_row, line};
    return Next::record;
  }

 private:
  enum class Status { ok, rejected, end };

  // The next non-blank logical line split into fields; `line` receives its first
  // physical line number.
  Status next_line(std::vector<std::string>& fields, std::uint64_t& line, Reject& reject) {
    for (;;) {
      char* raw = m_lines->next_line();
      if (!raw) {
        m_done = true;
        return Status::end;
      }
      line = m_physical_line;
      std::uint64_t logical = m_lines->get_file_line();
      if (auto long_record = take_long_record(logical)) {
        m_physical_line += long_record->physical_lines;
        const auto n = long_record->physical_lines;
        const char* lines = n == 1 ? "line" : "lines";
        reject = {m_info.file, line, 0,
                  long_record->unterminated_quote
                      ? fmt::format("unterminated quoted field: the quote opened in this "
                                    "record is never closed (record runs to end of input, "
                                    "{} {})",
                                    n, lines)
                  : long_record->endless
                      ? fmt::format("record longer than the 16 MiB limit, still not ended after "
                                    "256 MiB ({} {}); the input is not read further",
                                    n, lines)
                  : long_record->first
                      ? fmt::format("record longer than the 16 MiB limit ({} {} before the "
                                    "limit); the input is not read further",
                                    n, lines)
                      : fmt::format("record longer than the 16 MiB limit ({} {})", n, lines)};
        return Status::rejected;
      }
      std::string_view sv(raw);
      std::uint64_t masked = 0;
      for (const void* m = std::memchr(sv.data(), kMaskedNewline, sv.size()); m;
           m = std::memchr(static_cast<const char*>(m) + 1, kMaskedNewline,
                           sv.size() - static_cast<std::size_t>(static_cast<const char*>(m) + 1 - sv.data())))
        ++masked;
      m_physical_line += 1 + masked;
      if (sv.empty()) continue;  // blank lines are not rows
      if (!split_csv_line(sv, m_info.delimiter, fields)) {
        reject = {m_info.file, line, 0,
                  "unterminated quoted field: the quote is never closed before the end of input"};
        return Status::rejected;
      }
      // Validate after the split: the masked line holds 0xFF markers, the fields do not.
      for (std::size_t c = 0; c < fields.size(); ++c) {
        if (auto off = utf8::first_invalid(fields[c])) {
          std::string col = c < m_info.header.size() ? m_info.header[c] : std::to_string(c + 1);
          // QuoteMaskSource turns NUL and 0xFF into 0xFE, IconvSource an invalid sequence:
          // name what the input may have held, not the 0xFE standing in for it.
          auto byte = static_cast<unsigned char>(fields[c][*off]);
          std::string what = fmt::format("byte 0x{:02X}", byte);
          if (fields[c][*off] == kPoisonByte)
            what = encoding_hint(m_info.encoding).empty()
                       ? fmt::format("byte 0x00 or a sequence invalid in {}", m_info.encoding)
                       : "byte 0x00, 0xFE or 0xFF";
          reject = {m_info.file, line, 0,
                    fmt::format("invalid UTF-8 in column '{}' ({} at offset {}){}", col, what, *off,
                                encoding_hint(m_info.encoding))};
          return Status::rejected;
        }
      }
      return Status::ok;
    }
  }

  // A range's records carry the file's own line and row numbers (read/split.hpp).
  void skip_to_range() {
    if (!m_info.range || m_info.range->owns_file_start) return;
    m_physical_line = m_info.range->first_line;
    m_row = m_info.range->first_row - 1;
  }

  std::optional<MaskEvents::LongRecord> take_long_record(std::uint64_t logical) {
    std::lock_guard lock(m_events->mutex);
    auto& q = m_events->long_records;
    if (q.empty() || q.front().logical_line != logical) return std::nullopt;
    auto r = q.front();
    q.pop_front();
    return r;
  }

  FileInfo m_info;
  std::shared_ptr<MaskEvents> m_events;
  std::unique_ptr<io::LineReader> m_lines;
  bool m_has_header = true;
  bool m_done = false;
  std::uint64_t m_row = 0;
  std::uint64_t m_physical_line = 1;
  std::vector<std::string> m_pending;
  std::uint64_t m_pending_line = 0;
  bool m_has_pending = false;
};

// Reports a file-level problem (no header) as one reject, then ends.
class FailedReader final : public RecordReader {
 public:
  FailedReader(FileInfo info, Reject reject) : m_info(std::move(info)), m_reject(std::move(reject)) {}
  const FileInfo& info() const override { return m_info; }
  Next next(RawRecord&, Reject& reject) override {
    if (m_done) return Next::end;
    m_done = true;
    reject = m_reject;
    return Next::rejected;
  }

 private:
  FileInfo m_info;
  Reject m_reject;
  bool m_done = false;
};

// A range of a file that holds no record.
class EmptyReader final : public RecordReader {
 public:
  explicit EmptyReader(FileInfo info) : m_info(std::move(info)) {}
  const FileInfo& info() const override { return m_info; }
  Next next(RawRecord&, Reject&) override { return Next::end; }

 private:
  FileInfo m_info;
};

}  // namespace

std::unique_ptr<RecordReader> make_csv_reader(std::unique_ptr<io::ByteSourceBase> source,
                                              FileInfo info, const ReadOptions& options) {
  auto reader = std::make_unique<CsvReader>(std::move(source), info, options);
  Reject reject;
  if (!reader->read_header(reject)) {
    // A file without a usable header is reported once, by the range that starts it.
    if (info.range && !info.range->owns_file_start) return std::make_unique<EmptyReader>(std::move(info));
    return std::make_unique<FailedReader>(std::move(info), reject);
  }
  return reader;
}

}  // namespace jobmarket::read
