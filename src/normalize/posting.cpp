#include <jobmarket/normalize/posting.hpp>
#include <jobmarket/normalize/clauses.hpp>
#include <jobmarket/normalize/text.hpp>

namespace jobmarket::normalize {

void normalize_posting(const Posting& posting, NormalizedPosting& out) {
  out.title.clear();
  out.text.clear();
  out.education.clear();
  out.experience.clear();
  fold_into(posting.get(Field::title), out.title);
  auto& line_starts = out.line_starts;
  line_starts.clear();
  fold_lines_into(posting.get(Field::text), out.text, line_starts);
  fold_into(posting.get(Field::education), out.education);
  fold_into(posting.get(Field::experience), out.experience);
  // A line break ends a clause too: a heading on a line of its own ("Preferred
  // Qualifications", "任职要求") starts the clause after it.
  clause_starts(out.text, line_starts, out.text_clauses);
}

}  // namespace jobmarket::normalize
