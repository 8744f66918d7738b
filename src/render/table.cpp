#include <jobmarket/render/table.hpp>

#include <algorithm>

#include <jobmarket/render/escape.hpp>
#include <jobmarket/util/utf8.hpp>

namespace jobmarket::render {

namespace {
std::string pad(const std::string& s, std::size_t width, Align a) {
  std::size_t w = utf8::display_width(s);
  std::string fill(width > w ? width - w : 0, ' ');
  return a == Align::right ? fill + s : s + fill;
}
// What a cell shows: its first line, control characters made visible.
std::string first_line(const std::string& s) {
  auto nl = s.find('\n');
  return visible(nl == std::string::npos ? s : s.substr(0, nl) + " …");
}
}  // namespace

std::string to_text(const Table& t, const Style& style) {
  const std::size_t n = t.columns.size();
  std::vector<std::size_t> width(n, 0);
  for (std::size_t c = 0; c < n; ++c) width[c] = utf8::display_width(first_line(t.columns[c]));
  for (const auto& row : t.rows)
    for (std::size_t c = 0; c < n && c < row.size(); ++c)
      width[c] = std::max(width[c], utf8::display_width(first_line(row[c])));
  auto align = [&](std::size_t c) { return c < t.align.size() ? t.align[c] : Align::left; };
  std::string out;
  if (!t.title.empty()) {
    const std::string title = visible_lines(t.title);
    out += style.color ? "\x1b[1m" + title + "\x1b[0m\n" : title + "\n";
  }
  std::string line;
  for (std::size_t c = 0; c < n; ++c) {
    if (c) line += "  ";
    line += pad(first_line(t.columns[c]), width[c], align(c));
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  out += style.color ? "\x1b[1m" + line + "\x1b[0m\n" : line + "\n";
  std::size_t total = 0;
  for (std::size_t c = 0; c < n; ++c) total += width[c] + (c ? 2 : 0);
  for (std::size_t i = 0; i < total; ++i) out += "─";
  out += '\n';
  for (const auto& row : t.rows) {
    line.clear();
    for (std::size_t c = 0; c < n; ++c) {
      if (c) line += "  ";
      line += pad(c < row.size() ? first_line(row[c]) : "", width[c], align(c));
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + '\n';
  }
  if (!t.note.empty()) {
    const std::string note = visible_lines(t.note);
    out += style.color ? "\x1b[2m" + note + "\x1b[0m\n" : note + "\n";
  }
  return out;
}

std::string to_markdown(const Table& t) {
  std::string out;
  if (!t.title.empty()) {
    out += "### ";
    out += visible(t.title);
    out += "\n\n";
  }
  out += "|";
  for (auto& c : t.columns) {
    out += ' ';
    out += markdown_cell(c);
    out += " |";
  }
  out += "\n|";
  for (std::size_t c = 0; c < t.columns.size(); ++c)
    out += (c < t.align.size() && t.align[c] == Align::right) ? " ---: |" : " --- |";
  out += '\n';
  for (const auto& row : t.rows) {
    out += "|";
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      out += ' ';
      out += markdown_cell(c < row.size() ? row[c] : "");
      out += " |";
    }
    out += '\n';
  }
  if (!t.note.empty()) {
    out += '\n';
    out += visible_lines(t.note);
    out += '\n';
  }
  return out;
}

std::string to_csv(const Table& t, char delimiter, bool formula_guard) {
  std::string out;
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    if (c) out += delimiter;
    append_csv_cell(out, t.columns[c], delimiter, formula_guard);
  }
  out += '\n';
  for (const auto& row : t.rows) {
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      if (c) out += delimiter;
      append_csv_cell(out, c < row.size() ? row[c] : "", delimiter, formula_guard);
    }
    out += '\n';
  }
  return out;
}

}  // namespace jobmarket::render
