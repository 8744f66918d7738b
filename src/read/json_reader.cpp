#include "json_reader.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <unordered_map>

#include <jobmarket/util/utf8.hpp>

namespace jobmarket::read {

namespace {

// Splits a JSON array or an NDJSON stream into top-level elements by scanning bytes
// (strings and escapes tracked), so no more than one element is held in memory.
class ElementScanner {
 public:
  // `first_line`, `first_offset`: where the source starts in the file (a --range).
  explicit ElementScanner(std::unique_ptr<io::ByteSourceBase> source, bool array,
                          std::uint64_t first_line = 1, std::uint64_t first_offset = 0)
      : m_source(std::move(source)), m_array(array), m_buf(1 << 16), m_base(first_offset),
        m_line(first_line) {}

  enum class Result { element, error, end };

  // Next element text in `out`, its first line in `line`. On error `message` says why;
  // scanning continues after the bad element where possible.
  Result next(std::string& out, std::uint64_t& line, std::string& message) {
    out.clear();
    if (m_abandoned) return Result::end;
    int depth = 0;
    bool in_string = false, escape = false, started = false, too_deep = false, too_big = false;
    std::uint64_t skipped = 0;
    for (;;) {
      int c = get();
      if (c < 0) {
        if (!started) {
          if (m_array && !m_closed && m_opened) {
            message = "unterminated JSON array: input ends before the closing ']'";
            m_closed = true;
            line = m_line;
            return Result::error;
          }
          if (m_array && !m_opened && !m_empty_reported) {
            m_empty_reported = true;
          }
          return Result::end;
        }
        if (!m_array && !in_string && depth == 0) {  // NDJSON: the last line needs no newline
          m_end = offset();
          break;
        }
        message = in_string ? "unterminated string: input ends inside a JSON string"
                            : "unterminated JSON value: input ends inside an element";
        m_closed = true;
        return Result::error;
      }
      auto ch = static_cast<char>(c);
      if (!started) {
        if (ch == '\n') {
          ++m_line;
          continue;
        }
        if (ch == ' ' || ch == '\t' || ch == '\r') continue;
        if (m_array) {
          if (!m_opened) {
            if (ch != '[') {
              message = "expected a JSON array ('[') at the start of the input";
              m_closed = true;
              line = m_line;
              drain();
              return Result::error;
            }
            m_opened = true;
            m_open_end = offset();
            continue;
          }
          if (m_closed) {
            message = "unexpected data after the closing ']' of the JSON array";
            line = m_line;
            drain();
            return Result::error;
          }
          if (ch == ',') continue;
          if (ch == ']') {
            m_closed = true;
            continue;
          }
        }
        started = true;
        line = m_line;
        m_start = offset() - 1;
      }
      if (ch == '\n') {
        ++m_line;
        if (!m_array && !in_string) {  // NDJSON: a newline ends the element
          if (depth == 0) {
            m_end = offset() - 1;
            break;
          }
          message = "incomplete JSON on this line (NDJSON needs one complete value per line)";
          return finish_error(out, too_big);
        }
      }
      if (!too_big) {
        if (out.size() >= kMaxRecordBytes) too_big = true;
        else out += ch;
      } else if (++skipped > kMaxSkipBytes) {
        // An element that never ends (`< /dev/zero`): the input ends here.
        m_abandoned = true;
        message = "JSON element longer than the 16 MiB limit, still not ended after 256 MiB; the "
                  "input is not read further";
        return Result::error;
      }
      if (in_string) {
        if (escape) escape = false;
        else if (ch == '\\') escape = true;
        else if (ch == '"') in_string = false;
        continue;
      }
      if (ch == '"') in_string = true;
      else if (ch == '{' || ch == '[') {
        if (++depth > kMaxJsonDepth) too_deep = true;
      } else if (ch == '}' || ch == ']') {
        if (m_array && depth == 0) {  // the array's own closing bracket after a scalar
          out.pop_back();
          m_closed = true;
          m_end = offset() - 1;
          break;
        }
        --depth;
        if (depth == 0 && m_array) {
          m_end = offset();
          break;
        }
      } else if (ch == ',' && depth == 0 && m_array) {
        out.pop_back();
        m_end = offset() - 1;
        break;
      }
    }
    if (too_deep) {
      message = fmt::format("JSON nested deeper than {} levels", kMaxJsonDepth);
      return Result::error;
    }
    if (too_big) {
      message = "JSON element longer than the 16 MiB limit; skipped";
      return Result::error;
    }
    return Result::element;
  }

  std::uint64_t line() const { return m_line; }
  bool opened() const { return m_opened; }
  // Byte offsets in the file of the last element (or error) returned: its first byte, and
  // just past its last; of a JSON array, just past its '['.
  std::uint64_t start_offset() const { return m_start; }
  std::uint64_t end_offset() const { return m_end; }
  std::uint64_t open_end() const { return m_open_end; }

 private:
  Result finish_error(std::string& out, bool) {
    out.clear();
    return Result::error;
  }
  int get() {
    if (m_pos == m_len) {
      int r = m_source->read(m_buf.data(), static_cast<int>(m_buf.size()));
      if (r <= 0) return -1;
      m_base += m_len;
      m_pos = 0;
      m_len = static_cast<std::size_t>(r);
    }
    return static_cast<unsigned char>(m_buf[m_pos++]);
  }
  // Reads the rest of a file that cannot be split (so its size and digest are whole), up
  // to kMaxSkipBytes.
  void drain() {
    for (std::uint64_t n = 0; n <= kMaxSkipBytes && get() >= 0; ++n) {}
    m_abandoned = true;
  }
  std::uint64_t offset() const { return m_base + m_pos; }  // of the next byte

  std::unique_ptr<io::ByteSourceBase> m_source;
  bool m_array;
  std::vector<char> m_buf;
  std::size_t m_pos = 0, m_len = 0;
  std::uint64_t m_base = 0;  // file offset of m_buf[0]
  std::uint64_t m_line = 1;
  std::uint64_t m_start = 0, m_end = 0, m_open_end = 0;
  bool m_opened = false, m_closed = false, m_empty_reported = false;
  bool m_abandoned = false;  // the rest of the input is not read
};

// Not rows: errors about the file's structure rather than one element.
bool is_structure_error(const std::string& message) {
  return message.rfind("unterminated JSON array", 0) == 0 ||
         message.rfind("expected a JSON array", 0) == 0 ||
         message.rfind("unexpected data after", 0) == 0;
}

class JsonReader final : public RecordReader {
 public:
  JsonReader(std::unique_ptr<io::ByteSourceBase> source, FileInfo info)
      : m_info(std::move(info)),
        m_scanner(std::move(source), m_info.format == Format::json, first(m_info).first_line) {
    // A range's elements carry the file's own line and row numbers (read/split.hpp).
    m_row = first(m_info).first_row - 1;
  }

  const FileInfo& info() const override { return m_info; }

  // Parses ahead to the first object so the header (its keys) is known up front.
  void prime() { m_primed = read_one(m_first, m_first_reject); }

  Next next(RawRecord& rec, Reject& reject) override {
    if (m_primed) {
      m_primed = false;
      if (m_first.has_value()) {
        rec = std::move(*m_first);
        m_first.reset();
        pad(rec);
        return Next::record;
      }
      reject = m_first_reject;
      return Next::rejected;
    }
    std::optional<RawRecord> r;
    Reject rj;
    if (!read_one(r, rj)) return Next::end;
    if (r) {
      rec = std::move(*r);
      pad(rec);
      return Next::record;
    }
    reject = rj;
    return Next::rejected;
  }

 private:
  static RecordRange first(const FileInfo& info) {
    return info.range && !info.range->owns_file_start ? *info.range : RecordRange{};
  }

  // Fields of records read before a new key appeared are shorter than the header.
  void pad(RawRecord& rec) { rec.fields.resize(m_info.header.size()); }

  // false at end of input.
  bool read_one(std::optional<RawRecord>& rec, Reject& reject) {
    std::string message;
    std::uint64_t line = 0;
    auto res = m_scanner.next(m_text, line, message);
    if (res == ElementScanner::Result::end) return false;
    if (res == ElementScanner::Result::error) {
      ++m_row;
      reject = {m_info.file, line, m_row, message};
      if (is_structure_error(message)) reject.row = 0;  // not a row: the file's structure
      if (reject.row == 0) --m_row;
      return true;
    }
    ++m_row;
    if (auto bad = utf8::first_invalid(m_text)) {
      reject = {m_info.file, line, m_row,
                fmt::format("invalid UTF-8 (byte 0x{:02X} at offset {} of the element); if "
                            "the file is GBK/GB18030 or Windows-1252, pass --encoding",
                            static_cast<unsigned char>(m_text[*bad]), *bad)};
      return true;
    }
    nlohmann::ordered_json value;
    try {
      value = nlohmann::ordered_json::parse(m_text);
    } catch (const nlohmann::json::exception& e) {
      // parse_error, and out_of_range for a number too large (1E400): the row, not the run.
      std::string what = e.what();
      auto pos = what.find("] ");  // drop nlohmann's "[json.exception.parse_error.101] "
      reject = {m_info.file, line, m_row,
                "invalid JSON: " + (pos == std::string::npos ? what : what.substr(pos + 2))};
      return true;
    }
    if (!value.is_object()) {
      reject = {m_info.file, line, m_row,
                fmt::format("expected a JSON object per posting, found {}", value.type_name())};
      return true;
    }
    RawRecord out;
    out.fields.resize(m_info.header.size());
    for (auto& [key, v] : value.items()) {
      auto it = m_index.find(key);
      std::size_t col;
      if (it == m_index.end()) {
        col = m_info.header.size();
        m_index.emplace(key, col);
        m_info.header.push_back(key);
        out.fields.resize(col + 1);
      } else {
        col = it->second;
      }
      if (v.is_string()) out.fields[col] = v.get<std::string>();
      else if (!v.is_null()) out.fields[col] = v.dump();
    }
    out.source = SourceRef{m_info.file, m_row, line};
    rec = std::move(out);
    return true;
  }

  FileInfo m_info;
  ElementScanner m_scanner;
  std::string m_text;
  std::unordered_map<std::string, std::size_t> m_index;
  std::uint64_t m_row = 0;
  bool m_primed = false;
  std::optional<RawRecord> m_first;
  Reject m_first_reject;
};

}  // namespace

std::unique_ptr<RecordReader> make_json_reader(std::unique_ptr<io::ByteSourceBase> source,
                                               FileInfo info) {
  auto reader = std::make_unique<JsonReader>(std::move(source), std::move(info));
  reader->prime();
  return reader;
}

struct JsonElements::Scanner : ElementScanner {
  using ElementScanner::ElementScanner;
};

JsonElements::JsonElements(std::unique_ptr<io::ByteSourceBase> source, bool array,
                           std::uint64_t first_offset)
    : m_scanner(std::make_unique<Scanner>(std::move(source), array, 1, first_offset)) {}

JsonElements::~JsonElements() = default;

bool JsonElements::next(Element& element) {
  for (;;) {
    std::uint64_t line = 0;
    auto r = m_scanner->next(m_text, line, m_message);
    if (r == ElementScanner::Result::end) return false;
    if (r == ElementScanner::Result::error && is_structure_error(m_message)) continue;
    element = {m_scanner->start_offset(), m_scanner->end_offset(), line};
    return true;
  }
}

std::uint64_t JsonElements::open_end() const { return m_scanner->open_end(); }

}  // namespace jobmarket::read
