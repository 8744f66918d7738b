#pragma once
// A mergeable quantile sketch with a relative error bound (DDSketch-style logarithmic
// buckets): any quantile it returns is within `relative_accuracy` of a value of the right
// rank. Count, min, max and sum are exact; memory is bounded by `max_bins` per sign.
#include <cstdint>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include <jobmarket/util/expected.hpp>

namespace jobmarket::aggregate {

// Bucket counts by key, stored densely from the lowest key to the highest: an add is an
// index, not a tree walk (a report adds a dozen values per posting; the std::map this
// replaced was the largest cost of its aggregation). Salary keys span ~1000 buckets; the
// span of all doubles is ~73,000 at the default accuracy (0.6 MB, the worst case).
class DenseBins {
 public:
  void add(int key, std::uint64_t n);
  std::size_t size() const { return m_nonzero; }  // buckets with a count
  bool empty() const { return m_nonzero == 0; }
  // Folds the lowest bucket into the next one up (bounded memory).
  void collapse_lowest();
  // f(key, count) for the buckets with a count, ascending or descending by key, until f
  // returns true; whether it did.
  template <class F>
  bool find_ascending(F&& f) const {
    for (std::size_t i = 0; i < m_counts.size(); ++i)
      if (m_counts[i] && f(m_lo + static_cast<int>(i), m_counts[i])) return true;
    return false;
  }
  template <class F>
  bool find_descending(F&& f) const {
    for (std::size_t i = m_counts.size(); i-- > 0;)
      if (m_counts[i] && f(m_lo + static_cast<int>(i), m_counts[i])) return true;
    return false;
  }
  template <class F>
  void for_each(F&& f) const {  // every bucket with a count, ascending
    find_ascending([&](int k, std::uint64_t n) {
      f(k, n);
      return false;
    });
  }
  bool operator==(const DenseBins& o) const;

 private:
  int m_lo = 0;                         // key of m_counts[0]
  std::vector<std::uint64_t> m_counts;  // zero = no bucket
  std::size_t m_nonzero = 0;
};

class QuantileSketch {
 public:
  // relative_accuracy in (0, 1); 0.005 = 0.5%. max_bins >= 16.
  explicit QuantileSketch(double relative_accuracy = 0.005, std::size_t max_bins = 4096);

  void add(double value);  // NaN and infinities are ignored (never produced by callers)
  // Adds another sketch; false (and nothing changed) when its parameters differ.
  bool merge(const QuantileSketch& other);

  std::uint64_t count() const { return m_count; }
  bool empty() const { return m_count == 0; }
  double sum() const { return m_sum; }
  std::optional<double> min() const;
  std::optional<double> max() const;
  std::optional<double> mean() const;
  // The value at rank q * (count - 1), q in [0, 1]; q = 0 and 1 give the exact min and
  // max. nullopt when empty.
  std::optional<double> quantile(double q) const;

  double relative_accuracy() const { return m_alpha; }
  std::size_t max_bins() const { return m_max_bins; }
  std::size_t bin_count() const { return m_positive.size() + m_negative.size(); }

  // {"relative_accuracy", "max_bins", "count", "sum", "min", "max", "zero_count",
  //  "positive": [[index, count]...], "negative": [[index, count]...]}
  nlohmann::ordered_json to_json() const;
  static Expected<QuantileSketch> from_json(const nlohmann::ordered_json& j);

  // Same parameters, counts, bins, min and max (sum compared exactly too).
  bool operator==(const QuantileSketch& other) const;

 private:
  int key(double magnitude) const;
  double value_of(int key) const;
  void collapse(DenseBins& store);

  double m_alpha;
  double m_gamma;
  double m_log_gamma;
  std::size_t m_max_bins;
  std::uint64_t m_count = 0;
  std::uint64_t m_zero = 0;
  double m_sum = 0;
  double m_min = 0;
  double m_max = 0;
  DenseBins m_positive;  // key -> count
  DenseBins m_negative;  // keys of |value|
};

}  // namespace jobmarket::aggregate
