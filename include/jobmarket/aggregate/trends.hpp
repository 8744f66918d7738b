#pragma once
// The trends aggregate: postings, shares, growth, salary medians, tag mentions and
// barrier drift per time bucket and direction. Mergeable, so partial results from
// several workers or processes combine into the same result (docs/trends.md).
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <jobmarket/aggregate/buckets.hpp>
#include <jobmarket/aggregate/quantile_sketch.hpp>
#include <jobmarket/classify/classification.hpp>
#include <jobmarket/extract/date.hpp>

namespace jobmarket::aggregate {

// The largest --window (buckets per side): twenty years of weeks.
inline constexpr std::size_t kMaxTrendWindow = 1040;

struct TrendsOptions {
  BucketSize bucket = BucketSize::month;
  // No median, growth rate or rising/falling claim is made from fewer postings than this.
  std::uint64_t min_sample = 30;
  // Rising/falling compare the last `window` buckets with the `window` before them
  // (shrunk to half the series when it is shorter).
  std::size_t window = 3;
  // --since/--until: dates outside are counted as filtered out; the range also decides
  // whether the first and last buckets are partial.
  extract::DateRange range;
};

// Salary values of one bucket and direction, in a mergeable quantile sketch (medians are
// within 0.5% of a true middle value; memory is bounded whatever the input size).
class SalarySample {
 public:
  void add(double v) { m_sketch.add(v); }
  void merge(const SalarySample& other) { m_sketch.merge(other.m_sketch); }
  std::uint64_t count() const { return m_sketch.count(); }
  // The median; nullopt when empty.
  std::optional<double> median() const { return m_sketch.quantile(0.5); }
  const QuantileSketch& sketch() const { return m_sketch; }
  QuantileSketch& sketch() { return m_sketch; }

 private:
  QuantileSketch m_sketch;
};

// The computed view that JSON and terminal tables are both made from.
struct SeriesPoint {
  Bucket bucket;
  classify::Direction direction = classify::Direction::other;
  std::uint64_t postings = 0;
  std::optional<double> share;          // of AI postings (research + engineering); null for other
  std::optional<double> growth_prev;    // vs previous bucket; null below min_sample there
  std::optional<double> growth_yoy;     // vs same bucket a year earlier; same rule
  std::optional<double> median_salary;  // annual; null below min_sample salaries
  std::uint64_t salary_sample = 0;
  bool partial = false;
};

struct TagPoint {
  Bucket bucket;
  std::uint64_t mentions = 0;
  std::uint64_t postings = 0;  // all dated postings in the bucket
  std::optional<double> share;  // mentions / postings; null when postings is 0
};

struct TagSeries {
  std::string tag;
  std::vector<TagPoint> points;
};

struct TagTrend {
  std::string tag;
  std::uint64_t before_mentions = 0, before_postings = 0;
  std::uint64_t recent_mentions = 0, recent_postings = 0;
  double before_share = 0.0, recent_share = 0.0;
  double change = 0.0;  // recent_share - before_share
};

struct DriftPoint {
  Bucket bucket;
  classify::Direction direction = classify::Direction::other;
  std::uint64_t postings = 0;
  std::uint64_t master_or_above = 0;
  std::optional<double> share;  // null when postings is 0
};

// Postings whose date is coarser than the bucket ("2024" in a month series), by period.
struct CoarseCount {
  std::string period;  // "2024" or "2024-05"
  std::array<std::uint64_t, 3> postings{};  // by direction
};

struct TrendsReport {
  TrendsOptions options;
  std::vector<Bucket> buckets;  // first..last, empty ones included
  std::vector<bool> partial;    // parallel to buckets
  std::vector<SeriesPoint> series;  // bucket-major, then research, engineering, other
  std::vector<TagSeries> tags;      // by tag name
  std::size_t window = 0;           // buckets per side actually compared
  std::vector<TagTrend> rising, falling;
  std::vector<DriftPoint> barrier_drift;
  std::vector<CoarseCount> coarse;
  std::uint64_t dated = 0, undated = 0, unparsed_dates = 0, filtered_out = 0;
  std::vector<std::string> unparsed_examples;  // up to 10, sorted
  // The span of the dated postings (a coarse date counts from its first to its last day):
  // what a report covers when no --as-of is given.
  std::optional<extract::Date> first_date, last_date;
};

class Trends {
 public:
  explicit Trends(TrendsOptions options = {});

  // One posting. `date` nullopt: the posting has no date. `annual_salary_mid` is the
  // annual midpoint in one currency (the caller converts).
  void add(const std::optional<extract::Date>& date, classify::Direction direction,
           const std::vector<std::string>& tags, std::optional<double> annual_salary_mid,
           bool master_or_above_required);
  // A posting whose date column held something parse_date rejected. Call it in addition to
  // add() with no date for that posting: it then counts as unparsed, not as undated.
  void add_unparsed_date(std::string_view raw);
  // Postings dropped before they reached add() by a --since/--until filter.
  void add_filtered_out(std::uint64_t n) { m_filtered_out += n; }

  // Combines another partial result made with the same options; the result does not
  // depend on how postings were split or in which order parts are merged.
  void merge(const Trends& other);

  const TrendsOptions& options() const { return m_options; }
  TrendsReport report() const;
  nlohmann::ordered_json to_json() const;

  // Everything needed to merge later, in another process: options, per-bucket counts and
  // salary sketches. from_partial_json(to_partial_json()) merges like the original.
  nlohmann::ordered_json to_partial_json() const;
  static Expected<Trends> from_partial_json(const nlohmann::ordered_json& j);

 private:
  struct DirectionCell {
    std::uint64_t postings = 0;
    std::uint64_t master_or_above = 0;
    SalarySample salary;
  };
  struct BucketCell {
    std::array<DirectionCell, 3> directions;
    std::map<std::string, std::uint64_t> tags;
  };

  TrendsOptions m_options;
  std::map<Bucket, BucketCell> m_buckets;
  std::map<std::string, std::array<std::uint64_t, 3>> m_coarse;
  std::optional<extract::Date> m_first, m_last;  // span of bucketed dates (first/last day)
  std::uint64_t m_undated = 0, m_unparsed = 0, m_filtered_out = 0;
  std::set<std::string> m_unparsed_examples;
};

// Serializes a report (key order fixed, numbers rounded: shares and growth to 4
// decimals, salaries to whole units).
nlohmann::ordered_json to_json(const TrendsReport& r);

}  // namespace jobmarket::aggregate
