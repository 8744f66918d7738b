#include <jobmarket/util/utf8.hpp>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace jobmarket::utf8 {

std::optional<std::size_t> first_invalid(std::string_view s) {
  // Branches ordered by frequency in postings: ASCII runs (16 bytes at a time), then
  // 3-byte sequences (CJK), then the rest. Checks follow RFC 3629 table 3.7.
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  auto cont = [&](std::size_t k) { return (p[k] & 0xC0) == 0x80; };
  while (i < n) {
#if defined(__SSE2__)
    while (i + 16 <= n) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      int mask = _mm_movemask_epi8(v);
      if (mask == 0) {
        i += 16;
        continue;
      }
      i += static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
      break;
    }
#endif
    if (i >= n) break;
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
    } else if (c >= 0xE0 && c <= 0xEF) {
      if (i + 2 >= n || !cont(i + 1) || !cont(i + 2)) return i;
      if ((c == 0xE0 && p[i + 1] < 0xA0) || (c == 0xED && p[i + 1] >= 0xA0)) return i;
      i += 3;
    } else if (c >= 0xC2 && c <= 0xDF) {
      if (i + 1 >= n || !cont(i + 1)) return i;
      i += 2;
    } else if (c >= 0xF0 && c <= 0xF4) {
      if (i + 3 >= n || !cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return i;
      if ((c == 0xF0 && p[i + 1] < 0x90) || (c == 0xF4 && p[i + 1] >= 0x90)) return i;
      i += 4;
    } else {
      return i;
    }
  }
  return std::nullopt;
}

char32_t decode(std::string_view s, std::size_t& i) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    ++i;
    return c;
  }
  std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  if (len == 1 || i + len > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = c & (0x3F >> (len - 1));
  for (std::size_t k = 1; k < len; ++k) {
    auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  i += len;
  return cp;
}

void append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

namespace {
// East Asian wide and full-width ranges (the common ones; enough for table alignment).
bool is_wide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
         (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
         (cp >= 0x20000 && cp <= 0x3FFFD);
}
bool is_zero_width(char32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) || cp == 0xFEFF;
}
}  // namespace

std::size_t display_width(std::string_view s) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = decode(s, i);
    w += is_zero_width(cp) ? 0 : is_wide(cp) ? 2 : 1;
  }
  return w;
}

std::string_view truncate_to_width(std::string_view s, std::size_t width) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t start = i;
    char32_t cp = decode(s, i);
    std::size_t cw = is_zero_width(cp) ? 0 : is_wide(cp) ? 2 : 1;
    if (w + cw > width) return s.substr(0, start);
    w += cw;
  }
  return s;
}

}  // namespace jobmarket::utf8
