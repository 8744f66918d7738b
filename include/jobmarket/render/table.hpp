#pragma once
// Tables for people (aligned terminal text, Markdown) and for tools (CSV/TSV), from one
// description of rows and columns.
#include <string>
#include <vector>

namespace jobmarket::render {

enum class Align { left, right };

struct Table {
  std::string title;                   // printed above the table ("" for none)
  std::vector<std::string> columns;
  std::vector<Align> align;            // per column; missing = left
  std::vector<std::vector<std::string>> rows;
  std::string note;                    // printed below ("" for none)
};

struct Style {
  bool color = false;  // ANSI bold headers and dim notes
};

// Aligned columns (CJK counts two cells wide), header underlined with '─'.
std::string to_text(const Table& t, const Style& style = {});
std::string to_markdown(const Table& t);
std::string to_csv(const Table& t, char delimiter = ',', bool formula_guard = true);

}  // namespace jobmarket::render
