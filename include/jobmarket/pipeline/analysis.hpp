#pragma once
// Everything the pipeline knows about one posting after matching and extraction; the
// unit that aggregates consume and that `classify` prints as one record.
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
};

}  // namespace jobmarket::pipeline
