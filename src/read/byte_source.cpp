#include <jobmarket/read/byte_source.hpp>

#include <fcntl.h>
#include <iconv.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include <jobmarket/util/scan.hpp>

namespace jobmarket::read {

// ---------------------------------------------------------------- FileSource

FileSource::FileSource(const std::string& path, std::shared_ptr<InputStats> stats, bool digest)
    : m_stats(std::move(stats)) {
  if (digest) {
    auto* ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
    m_sha = ctx;
  }
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
  if (m_sha) EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(m_sha));
}

void FileSource::account(const char* data, std::size_t n) {
  if (n == 0) {  // end of input: finish the digest
    if (m_sha && m_stats->sha256.empty()) {
      unsigned char md[EVP_MAX_MD_SIZE];
      unsigned len = 0;
      EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(m_sha), md, &len);
      static const char* hex = "0123456789abcdef";
      for (unsigned i = 0; i < len; ++i) {
        m_stats->sha256 += hex[md[i] >> 4];
        m_stats->sha256 += hex[md[i] & 15];
      }
    }
    return;
  }
  m_stats->bytes += n;
  if (m_sha) EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(m_sha), data, n);
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
    account(m_peeked.data() + have, got);
    if (have + got < m_peeked.size()) {
      m_eof = true;
      account(nullptr, 0);
    }
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
    account(buffer + got, r);
    if (r < want - got) {
      m_eof = true;
      account(nullptr, 0);
    }
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
    : m_inner(std::move(inner)), m_delim(delimiter), m_events(std::move(events)) {}

int QuoteMaskSource::read(char* buffer, int size) {
  // Reads straight into LineReader's buffer and rewrites it in place (compacting when an
  // over-long record is dropped). LineReader needs full reads until end of input.
  const auto cap = static_cast<std::size_t>(size);
  std::size_t out = 0;
  while (out < cap && !m_eof) {
    int r = m_inner->read(buffer + out, static_cast<int>(cap - out));
    if (r <= 0) {
      m_eof = true;
      if (m_skipping) {  // the over-long record ran to the end of input
        std::lock_guard lock(m_events->mutex);
        // A final '\n' ends the last line rather than starting another one.
        m_events->long_records.back().physical_lines =
            m_record_newlines + (m_after_newline ? 0 : 1);
        m_events->long_records.back().unterminated_quote = m_state == State::in_quoted;
      }
      break;
    }
    out = process(buffer, out, out + static_cast<std::size_t>(r));
  }
  return static_cast<int>(out);
}

std::size_t QuoteMaskSource::process(char* buf, std::size_t w, std::size_t end) {
  // The same state machine as the CSV splitter (csv_reader.cpp): a quote only opens a
  // quoted field at the start of a field, as in RFC 4180 and Python's csv module.
  std::size_t r = w;
  while (r < end) {
    if (m_state == State::in_quoted || m_state == State::in_field) {
      // Plain text runs need no per-byte work: find the next byte that matters.
      std::size_t limit = end - r;
      if (!m_skipping) limit = std::min<std::size_t>(limit, kMaxRecordBytes - m_record_bytes);
      // Inside quotes the delimiter means nothing (and commas are frequent in descriptions).
      const char delim = m_state == State::in_quoted ? '"' : m_delim;
      // Skipped bytes are never written, so NUL and 0xFF need no rewriting there.
      std::size_t k = m_skipping ? scan::find_any_of5(buf + r, limit, '"', '\n', delim, '"', '"')
                                 : scan::find_any_of5(buf + r, limit, '"', '\n', delim, '\0', kMaskedNewline);
      if (k) {
        m_after_newline = false;
        if (!m_skipping) {
          if (w != r) std::memmove(buf + w, buf + r, k);
          w += k;
          m_record_bytes += k;
        } else if ((m_skipped += k) > kMaxSkipBytes) {
          return give_up(w);
        }
        r += k;
        continue;
      }
    }
    char c = buf[r++];
    m_after_newline = c == '\n';
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
        m_skipping = false;  // the truncated line was already ended
      } else {
        buf[w++] = '\n';
        ++m_logical_line;
        if (m_record_bytes > 0) m_had_record = true;
      }
      m_record_bytes = 0;
      m_record_newlines = 0;
      continue;
    }
    if (m_skipping) {
      if (++m_skipped > kMaxSkipBytes) return give_up(w);
      continue;
    }
    if (++m_record_bytes > kMaxRecordBytes) {
      // End the line here so LineReader never sees more than its limit; drop the rest of
      // the record and tell the reader which line to reject.
      // A header this long leaves nothing readable (`report - < /dev/zero`): the input
      // ends here rather than being skipped to an end that may never come.
      const bool first = !m_had_record;
      {
        std::lock_guard lock(m_events->mutex);
        m_events->long_records.push_back({m_logical_line, first ? m_record_newlines + 1 : 0, false, first});
      }
      buf[w++] = '\n';
      ++m_logical_line;
      if (first) {
        m_eof = true;
        return w;
      }
      m_skipping = true;
      m_skipped = 0;
      continue;
    }
    buf[w++] = c;
  }
  return w;
}

std::size_t QuoteMaskSource::give_up(std::size_t w) {
  std::lock_guard lock(m_events->mutex);
  auto& record = m_events->long_records.back();
  record.physical_lines = m_record_newlines + 1;
  record.endless = true;
  m_eof = true;
  return w;
}

}  // namespace jobmarket::read
