#pragma once
// The salary section: per direction and overall, how many postings state a salary, how
// many parse, and quantiles of annual low/high/midpoint in one report currency; by
// education and experience band; and the article's claim checked against the data.
// Shape of the JSON: docs/salary.md.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <jobmarket/aggregate/quantile_sketch.hpp>
#include <jobmarket/classify/classification.hpp>
#include <jobmarket/extract/barriers.hpp>
#include <jobmarket/extract/salary.hpp>
#include <jobmarket/util/expected.hpp>

namespace jobmarket::pipeline {
struct Analysis;
}

namespace jobmarket::aggregate {

struct SalarySummaryOptions {
  std::string currency = "CNY";     // report currency of every annual amount added
  std::uint64_t min_sample = 30;    // fewer values: statistics reported as insufficient
  std::size_t max_unparsed = 100;   // distinct unparsed strings kept for --show-unparsed
  // The article's claim, in the report currency: fresh master's in research earn
  // 400k-600k CNY a year, seniors over 1M CNY.
  double claim_fresh_low = 400000;
  double claim_fresh_high = 600000;
  double claim_senior = 1000000;
};

// Options for `currency` with the claim thresholds converted from CNY through `fx`
// (unchanged when the table lacks CNY or the currency).
SalarySummaryOptions salary_summary_options(const std::string& currency, const extract::FxTable& fx,
                                            std::uint64_t min_sample = 30);

// "0" (new graduates / none needed), "1-2", "3-4", "5-9", "10+", or "unknown".
std::string experience_band(std::optional<int> years_min);

class SalarySummary {
 public:
  explicit SalarySummary(SalarySummaryOptions options = {});

  // One posting. `annual` is annualize()'s result for r.salary (in options().currency);
  // pass nullopt when r has no salary. Education none_stated and experience nullopt are
  // grouped as "none_stated" / "unknown".
  void add(classify::Direction direction, std::optional<extract::Education> education,
           std::optional<int> experience_years_min, const extract::SalaryResult& r,
           const std::optional<Expected<extract::AnnualSalary, extract::NotAnnual>>& annual);
  // Convenience: annualizes a.salary with `conventions` and `fx` into options().currency.
  void add(const pipeline::Analysis& a, const extract::SalaryConventions& conventions,
           const extract::FxTable& fx);
  // Same, with a.salary already annualized into options().currency (callers that need
  // the annual amount themselves annualize once).
  void add(const pipeline::Analysis& a,
           const std::optional<Expected<extract::AnnualSalary, extract::NotAnnual>>& annual);

  // Adds another summary built with the same currency; false (nothing changed) otherwise.
  // Merging partial summaries in input order gives the same result as one pass.
  bool merge(const SalarySummary& other);

  const SalarySummaryOptions& options() const { return m_options; }
  std::uint64_t postings() const { return m_overall.postings; }
  std::uint64_t unparsed_total() const { return m_overall.unparsed; }
  const std::vector<std::string>& unparsed_examples() const { return m_unparsed; }

  // The report section (docs/salary.md): counts, quantiles or "insufficient", by
  // direction, education and experience band, the article check and unparsed strings.
  nlohmann::ordered_json to_json() const;
  // Everything needed to merge later (sketches included).
  nlohmann::ordered_json to_partial_json() const;
  static Expected<SalarySummary> from_partial_json(const nlohmann::ordered_json& j);

  // Counters and sketches of one group of postings.
  struct Group {
    std::uint64_t postings = 0;
    std::uint64_t with_salary = 0;       // a salary string or range was present
    std::uint64_t parsed = 0;            // with amounts
    std::uint64_t from_text = 0;         // of parsed: found in the description
    std::uint64_t estimated = 0;         // of parsed: "(Glassdoor est.)", "*"
    std::uint64_t negotiable = 0;
    std::uint64_t unparsed = 0;
    std::uint64_t unknown_currency = 0;  // parsed, but no currency or no rate to convert
    std::uint64_t outliers = 0;          // parsed, annualized, outside the bounds: excluded
    QuantileSketch low, high, mid;       // annual amounts kept in statistics
    void merge(const Group& o);
  };

 private:
  struct Claim {
    QuantileSketch mid;
    std::uint64_t below = 0, within = 0, above = 0;  // mid vs the thresholds
    std::uint64_t high_above = 0;                    // annual high above the senior threshold
    void merge(const Claim& o);
  };
  void add_to(Group& g, const extract::SalaryResult& r,
              const std::optional<Expected<extract::AnnualSalary, extract::NotAnnual>>& annual);
  nlohmann::ordered_json group_json(const Group& g) const;

  SalarySummaryOptions m_options;
  Group m_overall;
  std::array<Group, 3> m_directions;
  std::array<std::map<std::string, Group>, 3> m_by_education;
  std::array<std::map<std::string, Group>, 3> m_by_experience;
  Claim m_fresh_master;  // research, master or PhD required, 0-1 years
  Claim m_senior;        // research, 5+ years
  std::vector<std::string> m_unparsed;
  std::map<std::string, std::string> m_unparsed_reasons;  // of listed ones: SalaryResult::reason
};

}  // namespace jobmarket::aggregate
