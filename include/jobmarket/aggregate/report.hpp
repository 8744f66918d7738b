#pragma once
// The whole report as one mergeable value: the section aggregates plus what describes the
// run (generator, rules version, options, inputs). Reports of disjoint inputs, built with
// the same options, merge into the report of the union, so a dataset can be split across
// processes or machines (`report --partial`, then `jobmarket merge`). Pure: no I/O.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include <jobmarket/aggregate/barrier_summary.hpp>
#include <jobmarket/aggregate/overview.hpp>
#include <jobmarket/aggregate/salary_summary.hpp>
#include <jobmarket/aggregate/trends.hpp>
#include <jobmarket/util/expected.hpp>

namespace jobmarket::aggregate {

// What a report says about how it was made. `options` must be equal for reports to merge;
// `inputs` are concatenated.
struct ReportMeta {
  std::string version;        // jobmarket's version
  std::string rules_version;  // the rule table's version
  nlohmann::ordered_json as_of;    // "YYYY-MM-DD" or null
  nlohmann::ordered_json options;  // object: currency, fx_table, min_sample, bucket, ...
  nlohmann::ordered_json inputs = nlohmann::ordered_json::array();  // [{file, bytes, sha256, ...}]
};

struct Report {
  ReportMeta meta;
  Overview overview;
  std::uint64_t filtered_out = 0;  // outside --since/--until
  SalarySummary salary;
  BarrierSummary barriers;
  Trends trends;

  // Adds `other` (a report of other inputs); an error, with `*this` unchanged, when the
  // two were made with different options, rules or jobmarket versions.
  Expected<bool> merge(const Report& other);

  // The report (docs/report.md, docs/schema/report.schema.json): deterministic key order
  // and number formatting, the article check included.
  nlohmann::ordered_json to_json() const;

  // Everything needed to merge later, in another process ("kind": "jobmarket.partial").
  // from_partial_json refuses a part whose numbers are not counts (negative, fractional,
  // above kMaxCount) or whose sections do not count the same postings.
  nlohmann::ordered_json to_partial_json() const;
  static Expected<Report> from_partial_json(const nlohmann::ordered_json& j);
};

inline constexpr int kReportSchemaVersion = 1;
// The largest count a partial report may hold (and merged counts may reach): integers
// above 2^53 lose precision in JSON readers that use doubles.
inline constexpr std::uint64_t kMaxCount = std::uint64_t{1} << 53;
inline constexpr const char* kPartialKind = "jobmarket.partial";

}  // namespace jobmarket::aggregate
