#include <jobmarket/read/byte_source.hpp>

#include <fcntl.h>
#include <iconv.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace jobmarket::read {

// ---------------------------------------------------------------- FileSource

FileSource::FileSource(const std::string& path) {
  if (path == "-") {
    m_fd = STDIN_FILENO;
  } else {
    m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (m_fd < 0) throw std::system_error(errno, std::generic_category(), path);
    m_owned = true;
  }
}

FileSource::~FileSource() {
  if (m_owned) ::close(m_fd);
}

namespace {
// read() that retries on EINTR and fills as much as it can; 0 at end of input.
std::size_t read_fully(int fd, char* buf, std::size_t n) {
  std::size_t got = 0;
  while (got < n) {
    ssize_t r = ::read(fd, buf + got, n - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "read");
    }
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  return got;
}
}  // namespace

std::string_view FileSource::peek(std::size_t n) {
  if (m_peeked.size() - m_peek_pos < n && !m_eof) {
    std::size_t have = m_peeked.size();
    m_peeked.resize(m_peek_pos + n);
    std::size_t got = read_fully(m_fd, m_peeked.data() + have, m_peeked.size() - have);
    if (have + got < m_peeked.size()) m_eof = true;
    m_peeked.resize(have + got);
  }
  return std::string_view(m_peeked).substr(m_peek_pos, n);
}

void FileSource::skip(std::size_t n) {
  peek(n);
  m_peek_pos += std::min(n, m_peeked.size() - m_peek_pos);
}

int FileSource::read(char* buffer, int size) {
  auto want = static_cast<std::size_t>(size);
  std::size_t got = 0;
  if (m_peek_pos < m_peeked.size()) {
    got = std::min(want, m_peeked.size() - m_peek_pos);
    std::memcpy(buffer, m_peeked.data() + m_peek_pos, got);
    m_peek_pos += got;
    if (m_peek_pos == m_peeked.size()) {
      m_peeked.clear();
      m_peeked.shrink_to_fit();
      m_peek_pos = 0;
    }
  }
  if (got < want && !m_eof) {
    std::size_t r = read_fully(m_fd, buffer + got, want - got);
    if (r < want - got) m_eof = true;
    got += r;
  }
  return static_cast<int>(got);
}

// ---------------------------------------------------------------- IconvSource

IconvSource::IconvSource(std::unique_ptr<io::ByteSourceBase> inner, const std::string& encoding)
    : m_inner(std::move(inner)), m_in(1 << 16) {
  m_cd = ::iconv_open("UTF-8", encoding.c_str());
  if (m_cd == reinterpret_cast<void*>(-1))
    throw std::invalid_argument("unknown encoding '" + encoding + "'");
}

IconvSource::~IconvSource() { ::iconv_close(static_cast<iconv_t>(m_cd)); }

int IconvSource::read(char* buffer, int size) {
  auto* out = buffer;
  std::size_t out_left = static_cast<std::size_t>(size);
  while (out_left >= 8) {
    if (m_in_len < 16 && !m_inner_eof) {
      int r = m_inner->read(m_in.data() + m_in_len, static_cast<int>(m_in.size() - m_in_len));
      if (r <= 0) m_inner_eof = true;
      else m_in_len += static_cast<std::size_t>(r);
    }
    if (m_in_len == 0) break;
    char* in = m_in.data();
    std::size_t in_left = m_in_len;
    std::size_t rc = ::iconv(static_cast<iconv_t>(m_cd), &in, &in_left, &out, &out_left);
    int err = rc == static_cast<std::size_t>(-1) ? errno : 0;
    std::size_t consumed = m_in_len - in_left;
    std::memmove(m_in.data(), m_in.data() + consumed, in_left);
    m_in_len = in_left;
    if (err == EILSEQ || (err == EINVAL && m_inner_eof)) {
      // Invalid (or truncated at end of input) sequence: poison one byte and go on.
      *out++ = kPoisonByte;
      --out_left;
      std::memmove(m_in.data(), m_in.data() + 1, m_in_len - 1);
      --m_in_len;
      ++m_invalid;
    } else if (err == E2BIG) {
      break;
    } else if (consumed == 0 && m_inner_eof) {
      break;
    }
  }
  return static_cast<int>(out - buffer);
}

// ---------------------------------------------------------------- QuoteMaskSource

QuoteMaskSource::QuoteMaskSource(std::unique_ptr<io::ByteSourceBase> inner, char delimiter,
                                 std::shared_ptr<MaskEvents> events)
    : m_inner(std::move(inner)), m_delim(delimiter), m_events(std::move(events)), m_buf(1 << 16) {}

int QuoteMaskSource::read(char* buffer, int size) {
  // The same state machine as the CSV splitter (csv_reader.cpp): a quote only opens a
  // quoted field at the start of a field, as in RFC 4180 and Python's csv module.
  std::size_t out = 0;
  const auto cap = static_cast<std::size_t>(size);
  while (out < cap) {
    if (m_pos == m_len) {
      if (m_eof) break;
      int r = m_inner->read(m_buf.data(), static_cast<int>(m_buf.size()));
      if (r <= 0) {
        m_eof = true;
        if (m_skipping || m_record_bytes > 0) {
          // End of input: close an over-long record that never ended.
          if (m_skipping) {
            std::lock_guard lock(m_events->mutex);
            m_events->long_records.back().physical_lines = m_record_newlines + 1;
            m_events->long_records.back().unterminated_quote =
                m_state == State::in_quoted;
          }
        }
        break;
      }
      m_pos = 0;
      m_len = static_cast<std::size_t>(r);
    }
    char c = m_buf[m_pos++];
    if (c == '\0' || c == kMaskedNewline) c = kPoisonByte;
    bool record_end = false;
    switch (m_state) {
      case State::start_field:
        if (c == '"') m_state = State::in_quoted;
        else if (c == '\n') record_end = true;
        else if (c != m_delim) m_state = State::in_field;
        break;
      case State::in_field:
        if (c == m_delim) m_state = State::start_field;
        else if (c == '\n') record_end = true;
        break;
      case State::in_quoted:
        if (c == '"') m_state = State::quote_in_quoted;
        else if (c == '\n') {
          c = kMaskedNewline;
          ++m_record_newlines;
        }
        break;
      case State::quote_in_quoted:
        if (c == '"') m_state = State::in_quoted;
        else if (c == m_delim) m_state = State::start_field;
        else if (c == '\n') record_end = true;
        else m_state = State::in_field;
        break;
    }
    if (record_end) {
      m_state = State::start_field;
      if (m_skipping) {
        std::lock_guard lock(m_events->mutex);
        m_events->long_records.back().physical_lines = m_record_newlines + 1;
        m_skipping = false;
        m_record_bytes = 0;
        m_record_newlines = 0;
        continue;  // the truncated line was already ended
      }
      buffer[out++] = '\n';
      ++m_logical_line;
      m_record_bytes = 0;
      m_record_newlines = 0;
      continue;
    }
    if (m_skipping) {
      if (c == kMaskedNewline) {}  // counted above
      continue;
    }
    if (++m_record_bytes > kMaxRecordBytes) {
      // End the line here so LineReader never sees more than its limit; drop the rest of
      // the record and tell the reader which line to reject.
      {
        std::lock_guard lock(m_events->mutex);
        m_events->long_records.push_back({m_logical_line, 0, false});
      }
      buffer[out++] = '\n';
      ++m_logical_line;
      m_skipping = true;
      continue;
    }
    buffer[out++] = c;
  }
  return static_cast<int>(out);
}

}  // namespace jobmarket::read
