#pragma once
// The clause structure of folded text, shared by the classifier (section headings, cue
// words such as "优先" or "nice to have" that weaken a term in their clause) and the
// barrier extractor (a requirement and its level live in one clause).
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace jobmarket::normalize {

// Byte offsets where clauses start in folded text (the first is 0). Clauses end at
// sentence ends, list markers, bullets, colons and commas beside CJK (fold turns "，" into
// ","; an English comma list stays one clause so "MS or PhD in CS, Math, or related field
// preferred" keeps its cue). Reuses the storage of `starts`.
void clause_starts(std::string_view folded, std::vector<std::uint32_t>& starts);

// The same, with the starts of the text's lines (fold_lines_into) as clause starts too: a
// heading or a list item on a line of its own is a clause.
void clause_starts(std::string_view folded, const std::vector<std::uint32_t>& line_starts,
                   std::vector<std::uint32_t>& starts);

// The clause holding byte `at`: an index into `starts`.
std::uint32_t clause_of(const std::vector<std::uint32_t>& starts, std::uint32_t at);

// clause_of for offsets that mostly grow, as matches ordered by end offset do: each call
// walks on from the previous answer (a few steps, then a binary search of the rest)
// instead of searching all of `starts`. Any order gives clause_of's answers.
class ClauseCursor {
 public:
  explicit ClauseCursor(const std::vector<std::uint32_t>& starts) : m_starts(&starts) {}
  std::uint32_t operator()(std::uint32_t at);

 private:
  const std::vector<std::uint32_t>* m_starts;
  std::size_t m_at = 0;  // the previous answer
};

// Whether a term at [begin, end) of the clause starting at `clause_start` is written as a
// heading: only list punctuation before it in its clause ("2. 岗位职责", "【任职要求】",
// "## Requirements") or a colon, bracket or markup after it ("Responsibilities:").
// A heading word inside a sentence ("strong communication skills") is not one.
bool is_heading(std::string_view folded, std::uint32_t clause_start, std::uint32_t begin,
                std::uint32_t end);

}  // namespace jobmarket::normalize
