#include <jobmarket/util/utf8.hpp>

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <tmmintrin.h>
#define JOBMARKET_UTF8_SSSE3 1
#endif

namespace jobmarket::utf8 {

namespace {

// The byte-at-a-time check; it also names the offset of the first bad byte.
std::optional<std::size_t> first_invalid_scalar(std::string_view s) {
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
      // CJK text is runs of 3-byte sequences: stay here while they last rather than going
      // back through the 16-byte ASCII test for every character.
      do {
        const unsigned char l = p[i];
        if (i + 2 >= n || !cont(i + 1) || !cont(i + 2)) return i;
        if ((l == 0xE0 && p[i + 1] < 0xA0) || (l == 0xED && p[i + 1] >= 0xA0)) return i;
        i += 3;
      } while (i < n && (p[i] & 0xF0) == 0xE0);
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

#if defined(JOBMARKET_UTF8_SSSE3)
struct Utf8Blocks {
  __m128i byte1_high, byte1_low, byte2_high;  // the three tables
  __m128i prev;                               // the block before
  __m128i error;                              // non-zero: invalid somewhere
};

// One block: the table lookups on each byte and the byte before it, then the check that a
// continuation 2 (3) bytes after a 3- (4-) byte lead is there, the one legal place for two
// continuations in a row (it flips the kTwoConts bit there).
__attribute__((target("ssse3"), always_inline)) inline void check_block(Utf8Blocks& st,
                                                                         __m128i in) {
  const __m128i nibble = _mm_set1_epi8(0x0F);
  __m128i prev1 = _mm_alignr_epi8(in, st.prev, 15);
  __m128i b1h = _mm_shuffle_epi8(st.byte1_high, _mm_and_si128(_mm_srli_epi16(prev1, 4), nibble));
  __m128i b1l = _mm_shuffle_epi8(st.byte1_low, _mm_and_si128(prev1, nibble));
  __m128i b2h = _mm_shuffle_epi8(st.byte2_high, _mm_and_si128(_mm_srli_epi16(in, 4), nibble));
  __m128i special = _mm_and_si128(_mm_and_si128(b1h, b1l), b2h);
  __m128i third = _mm_subs_epu8(_mm_alignr_epi8(in, st.prev, 14), _mm_set1_epi8(0xE0 - 0x80));
  __m128i fourth = _mm_subs_epu8(_mm_alignr_epi8(in, st.prev, 13), _mm_set1_epi8(0xF0 - 0x80));
  __m128i must23 =
      _mm_and_si128(_mm_or_si128(third, fourth), _mm_set1_epi8(static_cast<char>(0x80)));
  st.error = _mm_or_si128(st.error, _mm_xor_si128(must23, special));
  st.prev = in;
}

// Validation 16 bytes at a time with table lookups (Keiser and Lemire, "Validating UTF-8 in
// less than one instruction per byte", 2021): the high and low nibble of each byte and the
// high nibble of the byte after it index three 16-entry tables whose AND is non-zero
// exactly on an invalid pair; a continuation must follow a 3- or 4-byte lead 2 or 3 bytes
// back. It only answers valid or not: the reader validates every field (a quarter of its
// time was this check on CJK text), and the scalar loop finds the offset of the rare bad one.
// SSSE3 (pshufb, palignr) is chosen at run time, so the binary still runs on plain x86-64.
__attribute__((target("ssse3"))) bool valid_ssse3(std::string_view s) {
  constexpr std::uint8_t kTooShort = 1 << 0;   // a lead, then no continuation
  constexpr std::uint8_t kTooLong = 1 << 1;    // ASCII, then a continuation
  constexpr std::uint8_t kOverlong3 = 1 << 2;  // E0 80..9F
  constexpr std::uint8_t kTooLarge = 1 << 3;   // F4 90.., F5..FF
  constexpr std::uint8_t kSurrogate = 1 << 4;  // ED A0..BF
  constexpr std::uint8_t kOverlong2 = 1 << 5;  // C0, C1
  constexpr std::uint8_t kTooLarge1000 = 1 << 6;  // F5..FF 80..8F (shares a bit)
  constexpr std::uint8_t kOverlong4 = 1 << 6;  // F0 80..8F
  constexpr std::uint8_t kTwoConts = 1 << 7;   // a continuation after a continuation
  constexpr std::uint8_t kCarry = kTooShort | kTooLong | kTwoConts;
  alignas(16) static constexpr std::uint8_t kByte1High[16] = {
      kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong,  // 0___
      kTwoConts, kTwoConts, kTwoConts, kTwoConts,                                      // 10__
      kTooShort | kOverlong2,                                                          // 1100
      kTooShort,                                                                       // 1101
      kTooShort | kOverlong3 | kSurrogate,                                             // 1110
      kTooShort | kTooLarge | kTooLarge1000 | kOverlong4};                             // 1111
  alignas(16) static constexpr std::uint8_t kByte1Low[16] = {
      kCarry | kOverlong3 | kOverlong2 | kOverlong4, kCarry | kOverlong2, kCarry, kCarry,
      kCarry | kTooLarge, kCarry | kTooLarge | kTooLarge1000,
      kCarry | kTooLarge | kTooLarge1000, kCarry | kTooLarge | kTooLarge1000,
      kCarry | kTooLarge | kTooLarge1000, kCarry | kTooLarge | kTooLarge1000,
      kCarry | kTooLarge | kTooLarge1000, kCarry | kTooLarge | kTooLarge1000,
      kCarry | kTooLarge | kTooLarge1000, kCarry | kTooLarge | kTooLarge1000 | kSurrogate,
      kCarry | kTooLarge | kTooLarge1000, kCarry | kTooLarge | kTooLarge1000};
  alignas(16) static constexpr std::uint8_t kByte2High[16] = {
      kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort,
      kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge1000 | kOverlong4,  // 1000
      kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge,                   // 1001
      kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge,                   // 1010
      kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge,                   // 1011
      kTooShort, kTooShort, kTooShort, kTooShort};                                  // 11__
  auto load = [](const std::uint8_t* t) {
    return _mm_load_si128(reinterpret_cast<const __m128i*>(t));
  };
  Utf8Blocks st{load(kByte1High), load(kByte1Low), load(kByte2High), _mm_setzero_si128(),
                _mm_setzero_si128()};
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t i = 0;
  for (; i + 16 <= s.size(); i += 16) {
    __m128i in = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    // An ASCII block after an ASCII block needs no lookups.
    if (_mm_movemask_epi8(_mm_or_si128(in, st.prev)) == 0) continue;
    check_block(st, in);
  }
  // The tail (0 to 15 bytes) padded with NUL: its last byte is always padding, so a
  // sequence cut short by the end of the string shows as a lead followed by ASCII.
  alignas(16) unsigned char tail[16] = {};
  std::memcpy(tail, p + i, s.size() - i);
  check_block(st, _mm_load_si128(reinterpret_cast<const __m128i*>(tail)));
  return _mm_movemask_epi8(_mm_cmpeq_epi8(st.error, _mm_setzero_si128())) == 0xFFFF;
}

bool have_ssse3() {
  static const bool yes = __builtin_cpu_supports("ssse3");
  return yes;
}
#endif

}  // namespace

std::optional<std::size_t> first_invalid(std::string_view s) {
#if defined(JOBMARKET_UTF8_SSSE3)
  // Below one block the scalar loop is as fast.
  if (s.size() >= 16 && have_ssse3()) {
    if (valid_ssse3(s)) return std::nullopt;
  }
#endif
  return first_invalid_scalar(s);
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
