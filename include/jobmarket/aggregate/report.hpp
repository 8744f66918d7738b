#pragma once
// The whole report as one mergeable value: the section aggregates plus what describes the
// run (generator, rules version, options, inputs). Reports of disjoint inputs, built with
// the same options, merge into the report of the union, so a dataset can be split across
// processes or machines (`report --partial`, then `jobmarket merge`). Pure: no I/O.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <jobmarket/aggregate/barrier_summary.hpp>
#include <jobmarket/aggregate/facts.hpp>
#include <jobmarket/aggregate/lifetime.hpp>
#include <jobmarket/aggregate/overview.hpp>
#include <jobmarket/aggregate/salary_summary.hpp>
#include <jobmarket/aggregate/trends.hpp>
#include <jobmarket/dedup/index.hpp>
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

// How the postings of a report were deduplicated, and what a later merge needs.
struct ReportDedup {
  dedup::Options options{dedup::Mode::none};
  // Every posting of these inputs, as the run left it (also in partials, so a merge can
  // look a later part's unique postings up in it).
  std::shared_ptr<dedup::Index> index;
  // Partial reports only: each unique posting's fingerprint, days and facts, in input
  // order (records made by append_unique; docs/report.md).
  bool keep_uniques = false;
  std::vector<std::string> uniques;  // chunks of records, about 1 MiB each
  std::uint64_t unique_count = 0;
  // The near duplicates' fingerprints and days (records without facts): one that is
  // identical to a posting of an earlier part is an exact duplicate in one run.
  std::vector<std::string> near;
};

struct Report {
  ReportMeta meta;
  Overview overview;
  std::uint64_t filtered_out = 0;  // outside --since/--until
  SalarySummary salary;
  BarrierSummary barriers;
  Trends trends;
  ReportDedup dedup = {};
  // From the history store only (report --db): how long postings stay listed.
  std::optional<LifetimeSummary> lifetime = {};

  // A unique posting inside the date range, in input order: added to the salary, barrier
  // and trend sections (and with dedup.keep_uniques its facts are kept). Salaries are
  // annualized into the report currency with `conventions` and `fx`. The overview is the
  // run's (it counts every posting, duplicates too): the caller fills it.
  void add(const pipeline::Analysis& a, const extract::SalaryConventions& conventions,
           const extract::FxTable& fx);
  // A duplicate posting (a.duplicate set), in input order: kept, when near and keeping
  // records for a partial, so a merge can tell whether it is exact in one run.
  void add_duplicate(const pipeline::Analysis& a);
  // A unique posting rebuilt from its facts: the overview's unique part and every section.
  void add_unique(const pipeline::Analysis& a, const Annual& annual);

  // Adds `other` (a report of the inputs that follow this one's); an error, with `*this`
  // unchanged, when the two were made with different options, rules or jobmarket versions.
  // Deduplicated, other's unique postings that repeat one of this report's count as
  // duplicates, the others are added from their facts: the result equals one run over
  // both inputs in this order (docs/report.md).
  Expected<bool> merge(const Report& other);

  // The report (docs/report.md, docs/schema/report.schema.json): deterministic key order
  // and number formatting, the article check included.
  nlohmann::ordered_json to_json() const;

  // Everything needed to merge later, in another process ("kind": "jobmarket.partial").
  // from_partial_json refuses a part whose numbers are not counts (negative, fractional,
  // above kMaxCount) or whose sections do not count the same postings.
  nlohmann::ordered_json to_partial_json() const;
  // `rebuild`: add the unique postings' facts to the sections (false for a part that is
  // only merged into another: merge() adds them itself).
  static Expected<Report> from_partial_json(const nlohmann::ordered_json& j, bool rebuild = true);
};

inline constexpr int kReportSchemaVersion = 1;
// The largest count a partial report may hold (and merged counts may reach): integers
// above 2^53 lose precision in JSON readers that use doubles.
inline constexpr std::uint64_t kMaxCount = std::uint64_t{1} << 53;
inline constexpr const char* kPartialKind = "jobmarket.partial";

}  // namespace jobmarket::aggregate
