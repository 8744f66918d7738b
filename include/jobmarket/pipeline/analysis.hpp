#pragma once
// Everything the pipeline knows about one posting after matching and extraction; the
// unit that aggregates consume and that `classify` prints as one record.
#include <cstdint>
#include <optional>

#include <jobmarket/classify/classification.hpp>
#include <jobmarket/dedup/fingerprint.hpp>
#include <jobmarket/dedup/index.hpp>
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
  // dedup::fingerprint(posting), computed by the analyzer when the run deduplicates
  // (AnalyzerConfig::dedup); its signature only for near duplicates.
  dedup::Fingerprint fingerprint;
  // Set on the delivering thread, in input order, when the run deduplicates: whether this
  // posting repeats an earlier one, and the unique posting it repeats (classify's
  // duplicate_of).
  dedup::Match duplicate = dedup::Match::none;
  SourceRef duplicate_of;
};

// What makes two postings the same posting for duplicate counting: title, company and text.
std::uint64_t posting_identity(const Posting& p);

}  // namespace jobmarket::pipeline
