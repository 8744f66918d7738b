#pragma once
// The folded form of a posting's fields, computed once and shared by every matcher
// (classifier, barrier extractor, tags).
#include <cstdint>
#include <string>
#include <vector>

#include <jobmarket/model/posting.hpp>

namespace jobmarket::normalize {

struct NormalizedPosting {
  std::string title;       // fold(title)
  std::string text;        // fold(text): description, responsibilities, requirements
  std::string education;   // fold(education column)
  std::string experience;  // fold(experience column)
  // clause_starts(text): read by the classifier (headings, cue words) and the barrier
  // extractor, computed once.
  std::vector<std::uint32_t> text_clauses;
  std::vector<std::uint32_t> line_starts;  // where the text's lines start (fold_lines_into)
};

// Reuses the capacity of `out` (called once per posting on the hot path).
void normalize_posting(const Posting& posting, NormalizedPosting& out);

}  // namespace jobmarket::normalize
