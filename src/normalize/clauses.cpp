#include <jobmarket/normalize/clauses.hpp>

#include <algorithm>
#include <array>

#include <jobmarket/normalize/text.hpp>
#include <jobmarket/util/scan.hpp>

namespace jobmarket::normalize {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool starts_with(std::string_view s, std::size_t at, std::string_view what) {
  return s.size() >= at + what.size() && s.compare(at, what.size(), what) == 0;
}

// Bytes that can start or end a clause below; every other byte (letters, spaces, CJK
// ideographs) is skipped with one table lookup instead of the whole chain of tests.
constexpr std::array<bool, 256> kClauseByte = [] {
  std::array<bool, 256> t{};
  for (unsigned char c : std::string_view(";!?|(:,*-.0123456789")) t[c] = true;
  t[0xE2] = t[0xE3] = true;  // • ● and 。【】
  return t;
}();

}  // namespace

void clause_starts(std::string_view t, std::vector<std::uint32_t>& starts) {
  static const std::vector<std::uint32_t> kNoLines;
  clause_starts(t, kNoLines, starts);
}

void clause_starts(std::string_view t, const std::vector<std::uint32_t>& line_starts,
                   std::vector<std::uint32_t>& starts) {
  starts.assign(1, 0);
  auto push = [&](std::size_t at) {
    if (at > starts.back() && at <= t.size()) starts.push_back(static_cast<std::uint32_t>(at));
  };
  const std::size_t n = t.size();
  // Every candidate byte in order; the tests below only look around it.
  scan::for_each_clause_candidate(t.data(), n, [&](std::size_t i) {
    const auto c = static_cast<unsigned char>(t[i]);
    if (!kClauseByte[c]) return;
    if (c == ';' || c == '!' || c == '?' || c == '|') {
      push(i + 1);
    } else if (c == '(') {
      push(i);  // an aside ("(PhD is a huge plus)") carries its own cue
    } else if (c == ':') {
      if (!(i + 1 < n && t[i + 1] == '/') && !(i > 0 && is_digit(t[i - 1]) && i + 1 < n && is_digit(t[i + 1])))
        push(i + 1);
    } else if (c == 0xE3 && i + 2 < n && static_cast<unsigned char>(t[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(t[i + 2]) == 0x82 ||   // 。
                static_cast<unsigned char>(t[i + 2]) == 0x90 ||   // 【
                static_cast<unsigned char>(t[i + 2]) == 0x91)) {  // 】
      push(i + 3);
    } else if (c == 0xE2 && i + 2 < n && static_cast<unsigned char>(t[i + 1]) == 0x80 &&
               static_cast<unsigned char>(t[i + 2]) == 0xA2) {  // •
      push(i + 3);
    } else if (c == 0xE2 && i + 2 < n && static_cast<unsigned char>(t[i + 1]) == 0x97 &&
               static_cast<unsigned char>(t[i + 2]) == 0x8F) {  // ●
      push(i + 3);
    } else if (c == ',') {
      bool cjk_prev = i > 0 && static_cast<unsigned char>(t[i - 1]) >= 0x80;
      std::size_t j = i + 1;
      while (j < n && t[j] == ' ') ++j;
      bool cjk_next = j < n && static_cast<unsigned char>(t[j]) >= 0x80;
      if (cjk_prev || cjk_next) push(i + 1);
    } else if (c == '*' && i + 1 < n && t[i + 1] == ' ') {
      push(i + 1);
    } else if (c == '-' && i + 1 < n && t[i + 1] == ' ' && i > 0 && t[i - 1] == ' ') {
      std::size_t j = i - 1;
      while (j > 0 && t[j] == ' ') --j;
      if (!is_digit(t[j])) push(i + 1);
    } else if (c == '.' && i + 1 < n && t[i + 1] == ' ') {
      // Sentence end, unless the word before has its own dot ("ph.d.", "e.g.") or is a
      // list number ("2. ", handled below as a marker start).
      std::size_t w = i;
      while (w > 0 && is_word_byte(static_cast<unsigned char>(t[w - 1]))) --w;
      bool dotted = w > 0 && t[w - 1] == '.';
      if (!dotted && i - w != 1) push(i + 1);
      if (i - w <= 2 && i > w && is_digit(t[w])) push(w);  // "2. " list marker
    } else if (is_digit(static_cast<char>(c)) && (i == 0 || !is_digit(t[i - 1]))) {
      // List markers "1、", "2.", "3)" start a clause.
      std::size_t j = i;
      while (j < n && is_digit(t[j])) ++j;
      if (j - i <= 2 && j < n) {
        bool marker = starts_with(t, j, "、") || t[j] == ')' ||
                      (t[j] == '.' && (j + 1 >= n || !is_digit(t[j + 1])));
        if (marker && (i == 0 || t[i - 1] == ' ' || static_cast<unsigned char>(t[i - 1]) >= 0x80 ||
                       t[i - 1] == '(' || t[i - 1] == ';' || t[i - 1] == '.'))
          push(i);
      }
    }
  });
  // push() keeps the starts strictly increasing; the line starts are too: merge them in,
  // from the back, in place.
  if (line_starts.empty()) return;
  const std::size_t own = starts.size(), lines = line_starts.size();
  starts.resize(own + lines);
  std::size_t i = own, j = lines, k = own + lines;
  while (j > 0) {
    if (i > 0 && starts[i - 1] > line_starts[j - 1]) starts[--k] = starts[--i];
    else starts[--k] = line_starts[--j];
  }
  // Drop repeats and line starts past the text (a start is a byte of it).
  std::size_t kept = 0;
  for (std::size_t r = 0; r < starts.size(); ++r) {
    const auto at = starts[r];
    if (at > t.size() || (kept > 0 && starts[kept - 1] == at)) continue;
    starts[kept++] = at;
  }
  starts.resize(kept);
}


std::uint32_t clause_of(const std::vector<std::uint32_t>& starts, std::uint32_t at) {
  return static_cast<std::uint32_t>(std::upper_bound(starts.begin(), starts.end(), at) -
                                    starts.begin() - 1);
}

namespace {

// The index of the last of s[from, to) at or before `at` (s[from] <= at, s sorted).
std::size_t last_at_or_before(const std::vector<std::uint32_t>& s, std::size_t from, std::size_t to,
                              std::uint32_t at) {
  const auto first = s.begin() + static_cast<std::ptrdiff_t>(from);
  const auto last = s.begin() + static_cast<std::ptrdiff_t>(to);
  return static_cast<std::size_t>(std::upper_bound(first, last, at) - s.begin()) - 1;
}

}  // namespace

std::uint32_t ClauseCursor::operator()(std::uint32_t at) {
  const auto& s = *m_starts;
  if (s.empty() || m_at >= s.size()) return clause_of(s, at);
  std::size_t c = m_at;
  if (s[c] <= at) {
    // Forward: the next match is most often in the same clause or a few later.
    for (int steps = 0; c + 1 < s.size() && s[c + 1] <= at; ++c) {
      if (++steps == 8) {
        c = last_at_or_before(s, c + 1, s.size(), at);
        break;
      }
    }
  } else {
    // Back (a match nested in or overlapping an earlier one): the answer is before c.
    c = last_at_or_before(s, 0, c, at);
  }
  m_at = c;
  return static_cast<std::uint32_t>(c);
}

bool is_heading(std::string_view text, std::uint32_t clause_start, std::uint32_t begin,
                std::uint32_t end) {
  for (std::size_t i = clause_start; i < begin;) {
    char ch = text[i];
    if (ch == ' ' || ch == '#' || ch == '*' || ch == '-' || ch == '[' || ch == '(' || ch == ')' ||
        ch == '.' || is_digit(ch)) {
      ++i;
    } else if (starts_with(text, i, "、") || starts_with(text, i, "【")) {
      i += 3;
    } else {
      // Not at the start of its clause: a heading only when a colon or markup follows.
      std::size_t e = end;
      while (e < text.size() && text[e] == ' ') ++e;
      return e < text.size() && (text[e] == ':' || text[e] == '*' || text[e] == '#' ||
                                 text[e] == ']' || starts_with(text, e, "】"));
    }
  }
  return true;
}

}  // namespace jobmarket::normalize
