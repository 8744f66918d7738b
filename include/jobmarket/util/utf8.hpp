#pragma once
// UTF-8 validation and small helpers; no dependencies.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace jobmarket::utf8 {

// Offset of the first byte that is not part of a valid UTF-8 sequence, or nullopt when
// the whole input is valid. Overlong forms, surrogates and values above U+10FFFF are
// invalid.
std::optional<std::size_t> first_invalid(std::string_view s);
inline bool is_valid(std::string_view s) { return !first_invalid(s).has_value(); }

// Number of terminal columns the string takes (CJK and full-width count 2).
std::size_t display_width(std::string_view s);

// The longest prefix of `s` that fits in `width` columns, without splitting a character.
std::string_view truncate_to_width(std::string_view s, std::size_t width);

// Decodes one code point at s[i], advancing i; returns U+FFFD on a bad sequence.
char32_t decode(std::string_view s, std::size_t& i);
void append(std::string& out, char32_t cp);

}  // namespace jobmarket::utf8
