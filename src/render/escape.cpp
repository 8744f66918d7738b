#include <jobmarket/render/escape.hpp>

#include <jobmarket/util/scan.hpp>

namespace jobmarket::render {

std::size_t write_json_escape(unsigned char c, char* out) {
  char short_form = 0;
  switch (c) {
    case '"': short_form = '"'; break;
    case '\\': short_form = '\\'; break;
    case '\n': short_form = 'n'; break;
    case '\r': short_form = 'r'; break;
    case '\t': short_form = 't'; break;
    case '\b': short_form = 'b'; break;
    case '\f': short_form = 'f'; break;
    default: break;
  }
  out[0] = '\\';
  if (short_form) {
    out[1] = short_form;
    return 2;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out[1] = 'u';
  out[2] = '0';
  out[3] = '0';
  out[4] = kHex[c >> 4];
  out[5] = kHex[c & 0xF];
  return 6;
}

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t run = scan::find_json_special(s.data() + i, s.size() - i);
    out.append(s.data() + i, run);
    i += run;
    if (i == s.size()) break;
    char esc[6];
    out.append(esc, write_json_escape(static_cast<unsigned char>(s[i++]), esc));
  }
  out += '"';
}

namespace {
bool looks_numeric(std::string_view s) {
  if (s.empty()) return false;
  std::size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  bool digit = false;
  for (; i < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9') digit = true;
    else if (s[i] != '.' && s[i] != ',' && s[i] != 'e' && s[i] != 'E') return false;
  }
  return digit;
}
}  // namespace

void append_csv_cell(std::string& out, std::string_view s, char delimiter, bool formula_guard) {
  bool guard = formula_guard && !s.empty() &&
               (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
                s[0] == '\r') &&
               !looks_numeric(s);
  bool quote = guard || s.find_first_of(std::string{delimiter, '"', '\n', '\r'}) != std::string_view::npos;
  if (!quote) {
    out.append(s);
    return;
  }
  out += '"';
  if (guard) out += '\'';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

namespace {

// Length of the control character at s[i] (1 for C0 and DEL, 2 for C1 in UTF-8), 0 if none.
std::size_t control_at(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x20 || c == 0x7F) return 1;
  if (c == 0xC2 && i + 1 < s.size()) {
    const auto d = static_cast<unsigned char>(s[i + 1]);
    if (d >= 0x80 && d <= 0x9F) return 2;
  }
  return 0;
}

void append_visible_impl(std::string& out, std::string_view s, bool keep_newlines) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::size_t done = 0;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = control_at(s, i);
    if (n == 0 || (keep_newlines && s[i] == '\n')) {
      ++i;
      continue;
    }
    out.append(s.data() + done, i - done);
    const auto c = static_cast<unsigned char>(n == 1 ? s[i] : s[i + 1]);
    if (n == 2) out += "\\u00";
    else if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else out += "\\x";
    if (n == 2 || (c != '\t' && c != '\n' && c != '\r')) {
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
    i += n;
    done = i;
  }
  out.append(s.data() + done, s.size() - done);
}

}  // namespace

bool has_control(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i)
    if (control_at(s, i)) return true;
  return false;
}

void append_visible(std::string& out, std::string_view s) { append_visible_impl(out, s, false); }

std::string visible(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_visible_impl(out, s, false);
  return out;
}

std::string visible_lines(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_visible_impl(out, s, true);
  return out;
}

std::string markdown_cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += "<br>";
    else if (c != '\r') out += c;
  }
  return visible(out);
}

std::string html_escape(std::string_view raw) {
  const std::string s = visible_lines(raw);
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace jobmarket::render
