#include <jobmarket/read/byte_source.hpp>

#include <fcntl.h>
#include <iconv.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace jobmarket::read {

// ---------------------------------------------------------------- FileSource

FileSource::FileSource(const std::string& path, std::shared_ptr<InputStats> stats, bool digest)
    : m_stats(std::move(stats)) {
  if (digest) {
    m_sha = EVP_MD_CTX_new();
    start_digest();
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

void FileSource::start_digest() {
  EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(m_sha), EVP_sha256(), nullptr);
}

namespace {
std::string finish_hex(EVP_MD_CTX* ctx) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}
}  // namespace

std::string sha256_hex(std::string_view bytes) {
  auto* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  EVP_DigestUpdate(ctx, bytes.data(), bytes.size());
  std::string out = finish_hex(ctx);
  EVP_MD_CTX_free(ctx);
  return out;
}

void FileSource::account(const char* data, std::size_t n) {
  if (n == 0) {  // end of input: finish the digest
    if (m_sha && m_stats->sha256.empty())
      m_stats->sha256 = finish_hex(static_cast<EVP_MD_CTX*>(m_sha));
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

// The same at a file offset.
std::size_t pread_fully(int fd, char* buf, std::size_t n, std::uint64_t offset) {
  std::size_t got = 0;
  while (got < n) {
    ssize_t r = ::pread(fd, buf + got, n - got, static_cast<off_t>(offset + got));
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

std::size_t FileSource::raw_read(char* buffer, std::size_t n) {
  if (m_eof) return 0;
  std::size_t got = 0;
  if (!m_selected) {
    got = read_fully(m_fd, buffer, n);
    account(buffer, got);
  } else {
    while (got < n && m_segment < m_segments.size()) {
      const auto& seg = m_segments[m_segment];
      const auto want =
          static_cast<std::size_t>(std::min<std::uint64_t>(n - got, seg.size() - m_segment_pos));
      std::size_t k = want;
      if (!seg.literal.empty()) std::memcpy(buffer + got, seg.literal.data() + m_segment_pos, k);
      else k = pread_fully(m_fd, buffer + got, want, seg.start + m_segment_pos);
      if (seg.owned) account(buffer + got, k);
      got += k;
      m_segment_pos += k;
      if (m_segment_pos == seg.size() || k < want) {  // done, or the file is shorter
        ++m_segment;
        m_segment_pos = 0;
      }
    }
  }
  if (got < n) {
    m_eof = true;
    account(nullptr, 0);
  }
  return got;
}

std::string_view FileSource::peek(std::size_t n) {
  if (m_peeked.size() - m_peek_pos < n && !m_eof) {
    std::size_t have = m_peeked.size();
    m_peeked.resize(m_peek_pos + n);
    m_peeked.resize(have + raw_read(m_peeked.data() + have, m_peeked.size() - have));
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
  if (got < want) got += raw_read(buffer + got, want - got);
  return static_cast<int>(got);
}

void FileSource::select(std::vector<Segment> segments) {
  m_segments = std::move(segments);
  m_selected = true;
  m_segment = 0;
  m_segment_pos = 0;
  m_peeked.clear();
  m_peek_pos = 0;
  m_eof = false;
  m_stats->bytes = 0;
  m_stats->sha256.clear();
  if (m_sha) start_digest();
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
    : m_inner(std::move(inner)), m_events(std::move(events)), m_machine(delimiter) {}

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
        m_events->long_records.back().unterminated_quote = m_machine.in_quotes();
      }
      break;
    }
    out = process(buffer, out, out + static_cast<std::size_t>(r));
  }
  return static_cast<int>(out);
}

std::size_t QuoteMaskSource::process(char* buf, std::size_t w, std::size_t end) {
  std::size_t r = w;
  while (r < end) {
    // Plain text runs need no per-byte work: find the next byte that matters.
    std::size_t limit = end - r;
    if (!m_skipping) limit = std::min<std::size_t>(limit, kMaxRecordBytes - m_record_bytes);
    if (std::size_t k = m_machine.plain_run(buf + r, limit, m_skipping)) {
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
    char c = buf[r++];
    m_after_newline = c == '\n';
    if (c == '\0' || c == kMaskedNewline) c = kPoisonByte;
    const auto event = m_machine.step(c);
    if (event == CsvRecordMachine::Event::quoted_newline) {
      c = kMaskedNewline;
      ++m_record_newlines;
    } else if (event == CsvRecordMachine::Event::record_end) {
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
