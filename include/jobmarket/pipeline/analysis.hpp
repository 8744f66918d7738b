#pragma once
// Everything the pipeline knows about one posting after matching and extraction; the
// unit that aggregates consume and that `classify` prints as one record.
#include <cstdint>
#include <optional>

#include <jobmarket/classify/classification.hpp>
#include <jobmarket/extract/barriers.hpp>
#include <jobmarket/extract/date.hpp>
#include <jobmarket/extract/salary.hpp>
#include <jobmarket/model/posting.hpp>

namespace jobmarket::pipeline {

struct Analysis {
  Posting posting;
  classify::Classification classification;
  extract::SalaryResult salary;
  extract::Barriers barriers;
  std::optional<extract::Date> posted;
  std::optional<std::string> unparsed_date;  // raw date string that failed to parse
  // posting_identity(posting), computed by the analyzer where the text is in cache; 0 when
  // not computed (aggregate::Overview computes it then).
  std::uint64_t identity = 0;
};

// What makes two postings the same posting for duplicate counting: title, company and text.
std::uint64_t posting_identity(const Posting& p);

}  // namespace jobmarket::pipeline
