#pragma once
// The folded form of a posting's fields, computed once and shared by every matcher
// (classifier, barrier extractor, tags).
#include <string>

#include <jobmarket/model/posting.hpp>

namespace jobmarket::normalize {

struct NormalizedPosting {
  std::string title;       // fold(title)
  std::string text;        // fold(text): description, responsibilities, requirements
  std::string education;   // fold(education column)
  std::string experience;  // fold(experience column)
};

// Reuses the capacity of `out` (called once per posting on the hot path).
void normalize_posting(const Posting& posting, NormalizedPosting& out);

}  // namespace jobmarket::normalize
