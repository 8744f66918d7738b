#include <jobmarket/aggregate/quantile_sketch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace jobmarket::aggregate {

namespace {
// Magnitudes below this count as zero: far below any amount the sketch is used for, and
// it keeps keys inside int range.
constexpr double kMinIndexable = 1e-9;
}  // namespace

void DenseBins::add(int key, std::uint64_t n) {
  if (n == 0) return;
  if (m_counts.empty()) {
    m_lo = key;
    m_counts.assign(1, 0);
  } else if (key < m_lo) {
    // Grow downwards with room to spare, so a run of ever lower keys does not shift the
    // counts every time.
    const auto grow = static_cast<std::size_t>(m_lo - key) + m_counts.size() / 2;
    m_counts.insert(m_counts.begin(), grow, 0);
    m_lo -= static_cast<int>(grow);
  } else if (static_cast<std::size_t>(key - m_lo) >= m_counts.size()) {
    m_counts.resize(static_cast<std::size_t>(key - m_lo) + 1 + m_counts.size() / 2, 0);
  }
  auto& c = m_counts[static_cast<std::size_t>(key - m_lo)];
  if (c == 0) ++m_nonzero;
  c += n;
}

void DenseBins::collapse_lowest() {
  std::size_t first = 0;
  while (first < m_counts.size() && m_counts[first] == 0) ++first;
  std::size_t second = first + 1;
  while (second < m_counts.size() && m_counts[second] == 0) ++second;
  if (second >= m_counts.size()) return;
  m_counts[second] += m_counts[first];
  m_counts[first] = 0;
  --m_nonzero;
}

bool DenseBins::operator==(const DenseBins& o) const {
  if (m_nonzero != o.m_nonzero) return false;
  std::vector<std::pair<int, std::uint64_t>> a, b;
  for_each([&](int k, std::uint64_t n) { a.emplace_back(k, n); });
  o.for_each([&](int k, std::uint64_t n) { b.emplace_back(k, n); });
  return a == b;
}

QuantileSketch::QuantileSketch(double relative_accuracy, std::size_t max_bins)
    : m_alpha(std::clamp(relative_accuracy, 1e-6, 0.5)),
      m_gamma((1 + m_alpha) / (1 - m_alpha)),
      m_log_gamma(std::log(m_gamma)),
      m_max_bins(std::max<std::size_t>(max_bins, 16)) {}

int QuantileSketch::key(double magnitude) const {
  return static_cast<int>(std::ceil(std::log(magnitude) / m_log_gamma));
}

// The point of bucket (gamma^(k-1), gamma^k] that is within alpha of both ends.
double QuantileSketch::value_of(int k) const {
  return 2 * std::pow(m_gamma, k) / (m_gamma + 1);
}

// Bounded memory: the lowest buckets fold into one. Only the smallest magnitudes lose
// their accuracy guarantee, which for salaries are the outliers kept out anyway.
void QuantileSketch::collapse(DenseBins& store) {
  while (store.size() > m_max_bins) store.collapse_lowest();
}

void QuantileSketch::add(double value) {
  if (!std::isfinite(value)) return;
  if (m_count == 0) {
    m_min = m_max = value;
  } else {
    m_min = std::min(m_min, value);
    m_max = std::max(m_max, value);
  }
  ++m_count;
  m_sum += value;
  double magnitude = std::fabs(value);
  if (magnitude < kMinIndexable) {
    ++m_zero;
  } else if (value > 0) {
    m_positive.add(key(magnitude), 1);
    if (m_positive.size() > m_max_bins) collapse(m_positive);
  } else {
    m_negative.add(key(magnitude), 1);
    if (m_negative.size() > m_max_bins) collapse(m_negative);
  }
}

bool QuantileSketch::merge(const QuantileSketch& other) {
  if (other.m_alpha != m_alpha || other.m_max_bins != m_max_bins) return false;
  if (other.m_count == 0) return true;
  if (m_count == 0) {
    m_min = other.m_min;
    m_max = other.m_max;
  } else {
    m_min = std::min(m_min, other.m_min);
    m_max = std::max(m_max, other.m_max);
  }
  m_count += other.m_count;
  m_zero += other.m_zero;
  m_sum += other.m_sum;
  other.m_positive.for_each([&](int k, std::uint64_t n) { m_positive.add(k, n); });
  other.m_negative.for_each([&](int k, std::uint64_t n) { m_negative.add(k, n); });
  collapse(m_positive);
  collapse(m_negative);
  return true;
}

std::optional<double> QuantileSketch::min() const {
  if (m_count == 0) return std::nullopt;
  return m_min;
}
std::optional<double> QuantileSketch::max() const {
  if (m_count == 0) return std::nullopt;
  return m_max;
}
std::optional<double> QuantileSketch::mean() const {
  if (m_count == 0) return std::nullopt;
  return m_sum / static_cast<double>(m_count);
}

std::optional<double> QuantileSketch::quantile(double q) const {
  if (m_count == 0 || !(q >= 0 && q <= 1)) return std::nullopt;
  if (q == 0) return m_min;
  if (q == 1) return m_max;
  const double rank = q * static_cast<double>(m_count - 1);
  double seen = 0;
  auto done = [&](std::uint64_t n) {
    seen += static_cast<double>(n);
    return seen > rank;
  };
  double result = m_max;
  bool found = m_negative.find_descending([&](int k, std::uint64_t n) {
    if (!done(n)) return false;
    result = -value_of(k);
    return true;
  });
  if (!found && done(m_zero)) {
    result = 0;
    found = true;
  }
  if (!found) {
    m_positive.find_ascending([&](int k, std::uint64_t n) {
      if (!done(n)) return false;
      result = value_of(k);
      return true;
    });
  }
  return std::clamp(result, m_min, m_max);
}

nlohmann::ordered_json QuantileSketch::to_json() const {
  nlohmann::ordered_json j;
  j["relative_accuracy"] = m_alpha;
  j["max_bins"] = m_max_bins;
  j["count"] = m_count;
  j["sum"] = m_sum;
  j["min"] = m_count ? nlohmann::ordered_json(m_min) : nlohmann::ordered_json(nullptr);
  j["max"] = m_count ? nlohmann::ordered_json(m_max) : nlohmann::ordered_json(nullptr);
  j["zero_count"] = m_zero;
  auto bins = [](const DenseBins& store) {
    nlohmann::ordered_json a = nlohmann::ordered_json::array();
    store.for_each([&](int k, std::uint64_t n) { a.push_back({k, n}); });
    return a;
  };
  j["positive"] = bins(m_positive);
  j["negative"] = bins(m_negative);
  return j;
}

Expected<QuantileSketch> QuantileSketch::from_json(const nlohmann::ordered_json& j) {
  auto bad = [](const std::string& what) { return unexpected("quantile sketch: " + what); };
  if (!j.is_object()) return bad("expected an object");
  for (const char* k : {"relative_accuracy", "max_bins", "count", "sum", "zero_count"}) {
    if (!j.contains(k) || !j[k].is_number()) return bad(std::string("\"") + k + "\" must be a number");
  }
  double alpha = j["relative_accuracy"].get<double>();
  if (!(alpha > 0 && alpha < 1)) return bad("\"relative_accuracy\" must be in (0, 1)");
  if (!j["max_bins"].is_number_unsigned() || !j["count"].is_number_unsigned() ||
      !j["zero_count"].is_number_unsigned())
    return bad("\"max_bins\", \"count\" and \"zero_count\" must be non-negative integers");
  QuantileSketch s(alpha, j["max_bins"].get<std::size_t>());
  if (s.m_alpha != alpha || s.m_max_bins != j["max_bins"].get<std::size_t>())
    return bad("parameters out of range");
  // Counts above 2^53 lose precision, and bins adding up past 2^64 would wrap around.
  constexpr std::uint64_t kMaxCount = std::uint64_t{1} << 53;
  if (j["count"].get<std::uint64_t>() > kMaxCount) return bad("\"count\" above 2^53");
  s.m_count = j["count"].get<std::uint64_t>();
  s.m_sum = j["sum"].get<double>();
  s.m_zero = j["zero_count"].get<std::uint64_t>();
  if (s.m_count > 0) {
    if (!j.contains("min") || !j["min"].is_number() || !j.contains("max") || !j["max"].is_number())
      return bad("\"min\" and \"max\" must be numbers when count > 0");
    s.m_min = j["min"].get<double>();
    s.m_max = j["max"].get<double>();
  }
  std::uint64_t total = s.m_zero;
  for (const char* side : {"positive", "negative"}) {
    if (!j.contains(side) || !j[side].is_array()) return bad(std::string("\"") + side + "\" must be an array");
    auto& store = std::string_view(side) == "positive" ? s.m_positive : s.m_negative;
    for (const auto& bin : j[side]) {
      if (!bin.is_array() || bin.size() != 2 || !bin[0].is_number_integer() ||
          !bin[1].is_number_unsigned())
        return bad(std::string("\"") + side + "\" bins must be [index, count] integer pairs");
      if (bin[1].get<std::uint64_t>() > kMaxCount - total) return bad("bin counts add up to more than 2^53");
      store.add(bin[0].get<int>(), bin[1].get<std::uint64_t>());
      total += bin[1].get<std::uint64_t>();
    }
  }
  if (total != s.m_count) return bad("bin counts do not add up to \"count\"");
  return s;
}

bool QuantileSketch::operator==(const QuantileSketch& o) const {
  return m_alpha == o.m_alpha && m_max_bins == o.m_max_bins && m_count == o.m_count &&
         m_zero == o.m_zero && m_sum == o.m_sum && (m_count == 0 || (m_min == o.m_min && m_max == o.m_max)) &&
         m_positive == o.m_positive && m_negative == o.m_negative;
}

}  // namespace jobmarket::aggregate
