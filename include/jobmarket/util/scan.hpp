#pragma once
// Byte scanning on the hot path: SSE2 (baseline on x86-64) with a portable fallback.
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace jobmarket::scan {

// Index of the first byte in p[0, n) equal to any of a..e, or n.
inline std::size_t find_any_of5(const char* p, std::size_t n, char a, char b, char c, char d,
                                char e) {
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b), vc = _mm_set1_epi8(c),
                vd = _mm_set1_epi8(d), ve = _mm_set1_epi8(e);
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)),
                             _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, vc), _mm_cmpeq_epi8(v, vd)),
                                          _mm_cmpeq_epi8(v, ve)));
    if (int mask = _mm_movemask_epi8(m)) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  for (; i < n; ++i) {
    char x = p[i];
    if (x == a || x == b || x == c || x == d || x == e) return i;
  }
  return n;
}

// Bits set in a 16-bit mask (SWAR: x86-64's baseline has no POPCNT, and libgcc's fallback
// is a call).
inline unsigned popcount16(unsigned x) {
  x = x - ((x >> 1) & 0x5555u);
  x = (x & 0x3333u) + ((x >> 2) & 0x3333u);
  x = (x + (x >> 4)) & 0x0F0Fu;
  return (x + (x >> 8)) & 0x1Fu;
}

// Index of the first `stop` byte in p[0, n), or n; the `counted` bytes before it are added
// to `count` (a quoted field's run to its next quote, counting its newlines).
inline std::size_t find_counting(const char* p, std::size_t n, char stop, char counted,
                                 std::uint64_t& count) {
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i vs = _mm_set1_epi8(stop), vc = _mm_set1_epi8(counted);
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    auto ms = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, vs)));
    auto mc = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, vc)));
    if (ms) {
      count += popcount16(mc & ((ms & -ms) - 1));
      return i + static_cast<std::size_t>(__builtin_ctz(ms));
    }
    if (mc) count += popcount16(mc);
  }
#endif
  for (; i < n; ++i) {
    if (p[i] == stop) return i;
    if (p[i] == counted) ++count;
  }
  return n;
}

// The JSON-special bytes (< 0x20, '"', '\\') of an 8-byte word, 8 bytes at a time (SWAR):
// the high bit of each such byte is set in the result. Exact for the lowest special byte and
// for "is there any" (a borrow only runs on from a special byte); bytes above the lowest
// may be marked falsely.
inline std::uint64_t json_special_bytes(std::uint64_t w) {
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  auto has_zero = [&](std::uint64_t x) { return (x - ones) & ~x & highs; };
  return ((w - ones * 0x20) & ~w & highs) | has_zero(w ^ (ones * '"')) | has_zero(w ^ (ones * '\\'));
}

// Index of the first byte that JSON must escape (control, '"' or '\\'), or n. Most
// strings in a record are short (rule ids, tags, evidence), so the tails are vectorized
// too: an overlapping last 16-byte block, or 8 bytes at a time as a 64-bit word.
inline std::size_t find_json_special(const char* p, std::size_t n) {
  std::size_t i = 0;
#if defined(__SSE2__)
  if (n >= 16) {
    const __m128i ctl = _mm_set1_epi8(0x1F), quote = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');
    auto special = [&](std::size_t at) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at));
      __m128i is_ctl = _mm_cmpeq_epi8(_mm_max_epu8(v, ctl), ctl);  // v <= 0x1F, unsigned
      __m128i m = _mm_or_si128(is_ctl, _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bs)));
      return static_cast<unsigned>(_mm_movemask_epi8(m));
    };
    for (; i + 16 <= n; i += 16)
      if (unsigned mask = special(i)) return i + static_cast<std::size_t>(__builtin_ctz(mask));
    if (i == n) return n;
    // The last block overlaps bytes already checked; drop them from the mask.
    const std::size_t last = n - 16;
    unsigned mask = special(last) >> (i - last);
    return mask ? i + static_cast<std::size_t>(__builtin_ctz(mask)) : n;
  }
#endif
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (std::uint64_t m = json_special_bytes(w)) return i + static_cast<std::size_t>(__builtin_ctzll(m) / 8);
  }
  for (; i < n; ++i) {
    auto x = static_cast<unsigned char>(p[i]);
    if (x < 0x20 || x == '"' || x == '\\') return i;
  }
  return n;
}

// For n <= 16: copies p[0, n) to out and returns true when none of its bytes needs JSON
// escaping; returns false otherwise (out may then hold some of them: the caller writes it
// again). Most strings of a record are this short (rule ids, tags, evidence, ids), and a
// scan plus a memcpy call cost more than the string. Reads only p[0, n): two overlapping
// words of 8 (or 4) bytes, tested with json_special_bytes.
inline bool copy_plain_short(const char* p, std::size_t n, char* out) {
  if (n >= 8) {
    std::uint64_t a, b;
    std::memcpy(&a, p, 8);
    std::memcpy(&b, p + n - 8, 8);
    if (json_special_bytes(a) | json_special_bytes(b)) return false;
    std::memcpy(out, &a, 8);
    std::memcpy(out + n - 8, &b, 8);
    return true;
  }
  if (n >= 4) {
    std::uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    constexpr std::uint64_t pad = 0x6161616100000000ULL;  // "aaaa" above: never special
    if (json_special_bytes(pad | a) | json_special_bytes(pad | b)) return false;
    std::memcpy(out, &a, 4);
    std::memcpy(out + n - 4, &b, 4);
    return true;
  }
  for (std::size_t i = 0; i < n; ++i) {
    auto x = static_cast<unsigned char>(p[i]);
    if (x < 0x20 || x == '"' || x == '\\') return false;
    out[i] = p[i];
  }
  return true;
}

// Bytes that may end a clause for the barrier extractor: any of "!(?|" or 0x2A-0x3B
// ("*+,-./", digits, ":;") or 0xE2-0xE3 (lead bytes of "•●。【】"). A superset: the
// caller checks each byte it stops at.
inline bool is_clause_candidate(unsigned char x) {
  return (x >= 0x2A && x <= 0x3B) || x == 0xE2 || x == 0xE3 || x == '!' || x == '(' || x == '?' ||
         x == '|';
}

#if defined(__SSE2__)
// Bit k set when p[k] is a clause candidate, for the 16 bytes at p.
inline unsigned clause_candidate_mask16(const char* p) {
  const __m128i lo1 = _mm_set1_epi8(0x2A), span1 = _mm_set1_epi8(0x3B - 0x2A);
  const __m128i lo2 = _mm_set1_epi8(static_cast<char>(0xE2)), span2 = _mm_set1_epi8(1);
  const __m128i a = _mm_set1_epi8('!'), b = _mm_set1_epi8('('), c = _mm_set1_epi8('?'),
                d = _mm_set1_epi8('|');
  auto in_range = [](__m128i v, __m128i lo, __m128i span) {
    __m128i x = _mm_sub_epi8(v, lo);  // wraps: in range exactly when x <= span, unsigned
    return _mm_cmpeq_epi8(_mm_max_epu8(x, span), span);
  };
  __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  __m128i m = _mm_or_si128(_mm_or_si128(in_range(v, lo1, span1), in_range(v, lo2, span2)),
                           _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, a), _mm_cmpeq_epi8(v, b)),
                                        _mm_or_si128(_mm_cmpeq_epi8(v, c), _mm_cmpeq_epi8(v, d))));
  return static_cast<unsigned>(_mm_movemask_epi8(m));
}
#endif

// Index of the first clause candidate in p[0, n), or n.
inline std::size_t find_clause_candidate(const char* p, std::size_t n) {
  std::size_t i = 0;
#if defined(__SSE2__)
  for (; i + 16 <= n; i += 16)
    if (unsigned mask = clause_candidate_mask16(p + i))
      return i + static_cast<std::size_t>(__builtin_ctz(mask));
#endif
  for (; i < n; ++i)
    if (is_clause_candidate(static_cast<unsigned char>(p[i]))) return i;
  return n;
}

// Calls f(i) for every clause candidate in p[0, n), in order. Each 16-byte block is
// tested once and its candidates taken from the bit mask: text full of digits and
// commas made find_clause_candidate from each one test the same block again and again.
template <class F>
inline void for_each_clause_candidate(const char* p, std::size_t n, F&& f) {
  std::size_t i = 0;
#if defined(__SSE2__)
  for (; i + 16 <= n; i += 16)
    for (unsigned mask = clause_candidate_mask16(p + i); mask != 0; mask &= mask - 1)
      f(i + static_cast<std::size_t>(__builtin_ctz(mask)));
#endif
  for (; i < n; ++i)
    if (is_clause_candidate(static_cast<unsigned char>(p[i]))) f(i);
}

// Index of the first ASCII digit in p[0, n), or n (16 bytes at a time).
inline std::size_t find_digit(const char* p, std::size_t n) {
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i lo = _mm_set1_epi8('0'), span = _mm_set1_epi8(9);
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    __m128i x = _mm_sub_epi8(v, lo);  // a digit exactly when x <= 9, unsigned
    __m128i m = _mm_cmpeq_epi8(_mm_max_epu8(x, span), span);
    if (int mask = _mm_movemask_epi8(m)) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  for (; i < n; ++i)
    if (p[i] >= '0' && p[i] <= '9') return i;
  return n;
}

}  // namespace jobmarket::scan
