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
  fold_into(posting.get(Field::text), out.text);
  fold_into(posting.get(Field::education), out.education);
  fold_into(posting.get(Field::experience), out.experience);
  clause_starts(out.text, out.text_clauses);
}

}  // namespace jobmarket::normalize
