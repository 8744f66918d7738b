#pragma once
// Escaping for the output formats; shared by every renderer.
#include <string>
#include <string_view>

namespace jobmarket::render {

// Appends `s` as a JSON string literal (with quotes). Control characters are escaped;
// non-ASCII UTF-8 is kept as is.
void append_json_string(std::string& out, std::string_view s);

// Writes the JSON escape of one byte that needs it (a control character, '"' or '\\';
// scan::find_json_special finds them) to `out`, which has room for 6; returns its length.
std::size_t write_json_escape(unsigned char c, char* out);

// Appends `s` as one CSV cell: quoted when it contains the delimiter, a quote, CR or LF.
// With formula_guard, a cell starting with = + - @ TAB or CR that is not a plain number
// gets a leading apostrophe so spreadsheets show it as text instead of evaluating it.
void append_csv_cell(std::string& out, std::string_view s, char delimiter, bool formula_guard);

// Control characters shown visibly, so text from postings, file names and rule tables can
// never drive a terminal (clear it, retitle it, recolor it): C0 and DEL as \x1b (tab,
// newline and CR as \t \n \r), C1 (U+0080..U+009F) as \u009b. Everything else, including
// a backslash, is kept as is. Every human-readable format (tables, explain, Markdown,
// diagnostics on stderr) goes through this; JSON escapes control characters itself.
std::string visible(std::string_view s);
void append_visible(std::string& out, std::string_view s);
// The same with newlines kept, for text that is several lines on purpose (notes, messages).
std::string visible_lines(std::string_view s);
// True when `s` holds a character visible() would rewrite.
bool has_control(std::string_view s);

// Escapes | and newlines for a Markdown table cell (control characters as visible());
// & < > " for HTML (control characters as visible(), newlines kept).
std::string markdown_cell(std::string_view s);
std::string html_escape(std::string_view s);

}  // namespace jobmarket::render
