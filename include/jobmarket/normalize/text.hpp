#pragma once
// Text normalization, done once per posting before any rule is matched.
#include <string>
#include <string_view>
#include <vector>
#include <cstdint>

namespace jobmarket::normalize {

// Unicode NFKC with case folding (full-width `ＲＡＧ` and `Rag` both become `rag`),
// whitespace runs (including newlines and zero-width spaces) collapsed to one ASCII space,
// leading/trailing space trimmed. Invalid UTF-8 bytes become U+FFFD. ASCII and common CJK
// take a table-driven fast path; everything else goes through utf8proc.
std::string fold(std::string_view utf8);

// Appends fold(utf8) to out (reuses out's capacity on the hot path).
void fold_into(std::string_view utf8, std::string& out);

// fold_into(utf8, out), line by line, with the offsets in `out` where a line that followed
// a line break starts appended to `line_starts`: folding collapses the breaks, and a line
// break is where a heading or a list item ends. The folded text is the same.
void fold_lines_into(std::string_view utf8, std::string& out, std::vector<std::uint32_t>& line_starts);

// True for bytes that make a Latin "word" character (ASCII letters and digits). Word
// boundaries for Latin terms are checked with this ASCII rule after a match, never with
// Unicode word classes (those are slow in large alternations and wrong for CJK).
inline bool is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace jobmarket::normalize
