#include <jobmarket/normalize/text.hpp>

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <jobmarket/util/utf8.hpp>

namespace jobmarket::normalize {

namespace {

bool is_space_cp(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
         cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200D) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 ||
         cp == 0xFEFF || cp == 0x2060;
}

// Appends into a string sized ahead of the writes: the fast paths store bytes through a
// pointer instead of growing the string one byte at a time. `ensure(n)` guarantees room for
// n more bytes (capacity grows geometrically; resize zero-fills only the new bytes).
class Writer {
 public:
  explicit Writer(std::string& s) : m_s(s), m_w(s.size()) {}
  void ensure(std::size_t n) {
    if (m_w + n <= m_s.size()) return;
    if (m_w + n > m_s.capacity()) m_s.reserve(std::max(m_w + n, 2 * m_s.capacity()));
    m_s.resize(m_w + n);
  }
  char* at() { return m_s.data() + m_w; }
  void advance(std::size_t n) { m_w += n; }
  void put(char c) { m_s[m_w++] = c; }  // after ensure()
  void append(std::string_view v) {
    ensure(v.size());
    std::memcpy(m_s.data() + m_w, v.data(), v.size());
    m_w += v.size();
  }
  bool empty() const { return m_w == 0; }
  std::size_t size() const { return m_w; }
  char back() const { return m_s[m_w - 1]; }
  void pop_back() { --m_w; }
  // Whitespace runs become one space; none at the start.
  void space() {
    if (m_w > 0 && m_s[m_w - 1] != ' ') {
      ensure(1);
      m_s[m_w++] = ' ';
    }
  }
  void finish() { m_s.resize(m_w); }

 private:
  std::string& m_s;
  std::size_t m_w;
};

constexpr auto kFoldOptions = static_cast<utf8proc_option_t>(
    UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);

// Appends utf8proc's mapping of a run, with whitespace collapsed.
void emit_mapped(std::string_view m, Writer& out) {
  for (std::size_t i = 0; i < m.size();) {
    std::size_t start = i;
    char32_t cp = utf8::decode(m, i);
    if (is_space_cp(cp))
      out.space();
    else
      out.append(m.substr(start, i - start));
  }
}

// NFKC folds a circled list number to its bare digit, so "①3年以上" would read "13年以上"
// (13 years), and a full-stop one to "1." ("⒈3年" as 1.3 years). Taken as the parenthesized
// form first (⑴, which NFKC folds to "(1)"), it stays a list marker: ①..⑳ and ⒈..⒛ become
// ⑴..⒇ before folding.
utf8proc_int32_t list_number_as_parenthesized(utf8proc_int32_t cp, void*) {
  if (cp >= 0x2460 && cp <= 0x2473) return cp - 0x2460 + 0x2474;  // ①..⑳
  if (cp >= 0x2488 && cp <= 0x249B) return cp - 0x2488 + 0x2474;  // ⒈..⒛
  return cp;
}

// A control character folding drops (whitespace ones become a space).
bool is_dropped_control(unsigned char c) { return (c < ' ' && !(c >= '\t' && c <= '\r')) || c == 0x7F; }

// Folds one run of "slow" (non-ASCII, non-CJK) text through utf8proc.
void fold_slow(std::string_view run, Writer& out) {
  utf8proc_uint8_t* mapped = nullptr;
  utf8proc_ssize_t n = utf8proc_map_custom(
      reinterpret_cast<const utf8proc_uint8_t*>(run.data()), static_cast<utf8proc_ssize_t>(run.size()),
      &mapped, kFoldOptions, list_number_as_parenthesized, nullptr);
  if (n < 0) {
    // Invalid UTF-8 in the run: fold each valid stretch whole, so combining marks still
    // compose with their base as they will when the output is folded again (folding is
    // idempotent), and replace each bad sequence with U+FFFD.
    std::size_t valid = 0;  // start of the current valid stretch
    auto flush = [&](std::size_t end) {
      if (end == valid) return;
      // A stretch utf8proc still refuses as a whole would recurse forever: U+FFFD.
      if (valid == 0 && end == run.size())
        out.append("\xEF\xBF\xBD");
      else
        fold_slow(run.substr(valid, end - valid), out);
    };
    for (std::size_t i = 0; i < run.size();) {
      std::size_t start = i;
      utf8::decode(run, i);
      if (utf8::is_valid(run.substr(start, i - start))) continue;
      flush(start);
      out.append("\xEF\xBF\xBD");
      valid = i;
    }
    flush(run.size());
    return;
  }
  emit_mapped(std::string_view(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(n)),
              out);
  std::free(mapped);
}

// CJK punctuation (U+3000..U+303F) and full-width forms (U+FF00..U+FFEF) fill Chinese
// text (，：（）。、) and each one used to cost a utf8proc_map call (an allocation). The
// table holds only characters that cannot interact with their neighbours: those folding to
// printable ASCII (Ａ -> a, ， -> ,), to themselves (。、「」), or to a space (U+3000), and
// never a combining mark. Anything else (half-width kana and jamo, which compose with the
// next character; ignorable ones) stays on the slow path. The foldings come from utf8proc
// itself, so the two paths cannot disagree.
struct Punct {
  std::array<char, 3> bytes{};
  std::uint8_t size = 0;  // 0 and !space: not in the table
  bool space = false;     // folds to whitespace (U+3000)
};

struct PunctTable {
  std::array<Punct, 0x40> cjk;    // U+3000 + i
  std::array<Punct, 0xF0> forms;  // U+FF00 + i
  PunctTable() {
    auto fill = [](char32_t cp, Punct& e) {
      std::string in;
      utf8::append(in, cp);
      utf8proc_uint8_t* mapped = nullptr;
      auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(in.data()),
                            static_cast<utf8proc_ssize_t>(in.size()), &mapped, kFoldOptions);
      if (n < 0) return;
      std::string_view m(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(n));
      std::size_t i = 0;
      char32_t to = m.empty() ? 0 : utf8::decode(m, i);
      if (!m.empty() && i == m.size()) {
        if (is_space_cp(to)) {
          e.space = true;
        } else if (((to > 0x20 && to < 0x7F) || to == cp) && m.size() <= 3 &&
                   utf8proc_get_property(static_cast<utf8proc_int32_t>(to))->combining_class == 0) {
          for (std::size_t k = 0; k < m.size(); ++k) e.bytes[k] = m[k];
          e.size = static_cast<std::uint8_t>(m.size());
        }
      }
      std::free(mapped);
    };
    for (char32_t i = 0; i < cjk.size(); ++i) fill(0x3000 + i, cjk[i]);
    for (char32_t i = 0; i < forms.size(); ++i) fill(0xFF00 + i, forms[i]);
  }
  // The entry for the 3-byte sequence at p, or nullptr.
  const Punct* find(const unsigned char* p) const {
    const Punct* e = nullptr;
    if (p[0] == 0xE3 && p[1] == 0x80 && (p[2] & 0xC0) == 0x80) {
      e = &cjk[p[2] & 0x3F];
    } else if (p[0] == 0xEF && p[1] >= 0xBC && p[1] <= 0xBF && (p[2] & 0xC0) == 0x80) {
      std::size_t k = (static_cast<std::size_t>(p[1] - 0xBC) << 6) | (p[2] & 0x3F);
      if (k >= forms.size()) return nullptr;
      e = &forms[k];
    } else {
      return nullptr;
    }
    return e->size || e->space ? e : nullptr;
  }
};

const PunctTable& punct_table() {
  static const PunctTable table;
  return table;
}

bool is_cjk_ideograph(const unsigned char* p, std::size_t avail) {
  return p[0] >= 0xE4 && p[0] <= 0xE9 && avail >= 3 && (p[1] & 0xC0) == 0x80 &&
         (p[2] & 0xC0) == 0x80;
}

}  // namespace

namespace {

// fold_into, and when `lines` is given, the offsets where a line after a line break starts.
void fold_impl(std::string_view s, std::string& str, std::vector<std::uint32_t>* lines) {
  Writer out(str);
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  const PunctTable& punct = punct_table();
  out.ensure(n);
  std::size_t i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
#if defined(__SSE2__)
      // 16 bytes of ASCII at once: lowercased and stored whole, kept up to the first byte
      // that needs the scalar path (a control or non-ASCII byte, a space after a space or
      // at the start). Keeping the good prefix matters: retrying the block one byte later
      // would load and test the same bytes again for every byte before the bad one.
      // Room: the output never runs ahead of the input here (ensure(n - i) holds).
      if (i + 16 <= n) {
        __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
        __m128i printable = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(0x1F)),
                                          _mm_cmplt_epi8(v, _mm_set1_epi8(0x7F)));
        unsigned sp =
            static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' '))));
        bool after_space = out.empty() || out.back() == ' ';
        unsigned bad = (~static_cast<unsigned>(_mm_movemask_epi8(printable)) & 0xFFFFu) |
                       (sp & (sp << 1)) | (after_space ? (sp & 1u) : 0u);
        std::size_t good = bad == 0 ? 16 : static_cast<std::size_t>(__builtin_ctz(bad));
        if (good > 0) {
          __m128i upper = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('A' - 1)),
                                        _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));
          v = _mm_add_epi8(v, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
          _mm_storeu_si128(reinterpret_cast<__m128i*>(out.at()), v);
          out.advance(good);
          i += good;
          continue;
        }
      }
#endif
      if (c <= ' ' || c == 0x7F) {
        if (c == ' ' || (c >= '\t' && c <= '\r')) out.space();
        // other control characters are dropped
        if (c == '\n' && lines && !out.empty()) {
          // The next line starts after the space the break became (blank lines repeat it).
          const auto at = static_cast<std::uint32_t>(out.size());
          if (lines->empty() || lines->back() != at) lines->push_back(at);
        }
      } else {
        out.put(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
      }
      ++i;
      continue;
    }
    // CJK unified ideographs (and Ext. A): lead bytes E4..E9 cover U+4000..U+9FFF, which
    // NFKC leaves alone and which have no case.
    if (is_cjk_ideograph(p + i, n - i)) {
      std::size_t j = i + 3;  // ideographs come in runs: find its end, copy it once
      while (j < n && is_cjk_ideograph(p + j, n - j)) j += 3;
      std::memcpy(out.at(), p + i, j - i);
      out.advance(j - i);
      i = j;
      continue;
    }
    // Table punctuation, when what follows cannot combine with it (ASCII, an ideograph,
    // more table punctuation or the end): a combining mark after it would compose (Ａ +
    // U+0301 -> á), which only utf8proc on the whole run gets right.
    if (i + 3 <= n) {
      if (const Punct* e = punct.find(p + i)) {
        std::size_t next = i + 3;
        bool safe = next == n || p[next] < 0x80 || is_cjk_ideograph(p + next, n - next) ||
                    (next + 3 <= n && punct.find(p + next));
        if (safe) {
          if (e->space) {
            out.space();
          } else if (e->size) {
            std::memcpy(out.at(), e->bytes.data(), e->size);
            out.advance(e->size);
          }
          i = next;
          continue;
        }
      }
    }
    // A slow run: up to the next ASCII byte or CJK ideograph. The last ASCII character
    // written goes with it, so a combining mark composes with it (e + U+0301 -> é). It is
    // taken from the output, not the input: a control character dropped in between must
    // not keep them apart, or folding the output again would compose them (idempotence).
    std::size_t start = i;
    char carried = 0;
    if (!out.empty() && static_cast<unsigned char>(out.back()) < 0x80 && out.back() != ' ') {
      carried = out.back();
      out.pop_back();
    }
    // The run goes on over control characters, which are dropped: combining marks on both
    // sides of one meet in the output, so they must be ordered by one utf8proc call now,
    // as folding the output again would.
    bool controls = false;
    do {
      ++i;  // always consumes the byte that sent us here, so the loop cannot stall
      controls = controls || (i < n && is_dropped_control(p[i]));
    } while (i < n && ((p[i] >= 0x80 && !(p[i] >= 0xE4 && p[i] <= 0xE9)) || is_dropped_control(p[i])));
    if (controls) {
      std::string run;
      if (carried != 0) run += carried;
      for (std::size_t k = start; k < i; ++k)
        if (!is_dropped_control(p[k])) run += static_cast<char>(p[k]);
      fold_slow(run, out);
    } else if (carried != 0 && start > 0 && p[start - 1] == static_cast<unsigned char>(carried)) {
      fold_slow(s.substr(start - 1, i - start + 1), out);  // contiguous in the input: no copy
    } else if (carried != 0) {
      std::string run(1, carried);
      run.append(s.substr(start, i - start));
      fold_slow(run, out);
    } else {
      fold_slow(s.substr(start, i - start), out);
    }
    out.ensure(n - i);
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  out.finish();
  // A break at the end starts no line.
  while (lines && !lines->empty() && lines->back() >= str.size()) lines->pop_back();
}

}  // namespace

void fold_into(std::string_view s, std::string& str) { fold_impl(s, str, nullptr); }

void fold_lines_into(std::string_view s, std::string& str, std::vector<std::uint32_t>& line_starts) {
  fold_impl(s, str, &line_starts);
}

std::string fold(std::string_view utf8) {
  std::string out;
  fold_into(utf8, out);
  return out;
}

}  // namespace jobmarket::normalize
