#include <jobmarket/normalize/text.hpp>

#include <utf8proc.h>

#include <cstdlib>
#include <jobmarket/util/utf8.hpp>

namespace jobmarket::normalize {

namespace {

bool is_space_cp(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
         cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200D) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 ||
         cp == 0xFEFF || cp == 0x2060;
}

void push_space(std::string& out) {
  if (!out.empty() && out.back() != ' ') out += ' ';
}

// Folds one run of "slow" (non-ASCII, non-CJK) text through utf8proc.
void fold_slow(std::string_view run, std::string& out) {
  utf8proc_uint8_t* mapped = nullptr;
  auto options = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                                UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                                UTF8PROC_IGNORE);
  utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(run.data()),
                                    static_cast<utf8proc_ssize_t>(run.size()), &mapped, options);
  if (n < 0) {  // invalid UTF-8 in the run: replace code point by code point
    for (std::size_t i = 0; i < run.size();) {
      std::size_t start = i;
      char32_t cp = utf8::decode(run, i);
      if (cp == 0xFFFD && !utf8::is_valid(run.substr(start, i - start))) {
        utf8::append(out, 0xFFFD);
      } else {
        fold_slow(run.substr(start, i - start), out);
      }
    }
    return;
  }
  std::string_view m(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(n));
  for (std::size_t i = 0; i < m.size();) {
    std::size_t start = i;
    char32_t cp = utf8::decode(m, i);
    if (is_space_cp(cp)) {
      push_space(out);
    } else {
      out.append(m.substr(start, i - start));
    }
  }
  std::free(mapped);
}

}  // namespace

void fold_into(std::string_view s, std::string& out) {
  out.reserve(out.size() + s.size());
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      if (c <= ' ' || c == 0x7F) {
        if (c == ' ' || (c >= '\t' && c <= '\r')) push_space(out);
        // other control characters are dropped
      } else {
        out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      }
      ++i;
      continue;
    }
    // CJK unified ideographs (and Ext. A): lead bytes E4..E9 cover U+4000..U+9FFF, which
    // NFKC leaves alone and which have no case.
    if (c >= 0xE4 && c <= 0xE9 && i + 2 < n && (p[i + 1] & 0xC0) == 0x80 &&
        (p[i + 2] & 0xC0) == 0x80) {
      out.append(s.substr(i, 3));
      i += 3;
      continue;
    }
    // A slow run: up to the next ASCII byte or CJK ideograph. Include the preceding
    // ASCII letter so a combining mark composes with it (e + U+0301 -> é).
    std::size_t start = i;
    if (start > 0 && p[start - 1] < 0x80 && p[start - 1] > ' ' && !out.empty() &&
        static_cast<unsigned char>(out.back()) < 0x80 && out.back() != ' ') {
      --start;
      out.pop_back();
    }
    do {
      ++i;  // always consumes the byte that sent us here, so the loop cannot stall
    } while (i < n && p[i] >= 0x80 && !(p[i] >= 0xE4 && p[i] <= 0xE9));
    fold_slow(s.substr(start, i - start), out);
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
}

std::string fold(std::string_view utf8) {
  std::string out;
  fold_into(utf8, out);
  return out;
}

}  // namespace jobmarket::normalize
