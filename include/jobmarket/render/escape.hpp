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

// Escapes | and newlines for a Markdown table cell; & < > for HTML.
std::string markdown_cell(std::string_view s);
std::string html_escape(std::string_view s);

}  // namespace jobmarket::render
