#include <jobmarket/aggregate/distinct.hpp>

#include <jobmarket/util/hash.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace jobmarket::aggregate {

void DistinctCounter::add(std::string_view item) { add_hash(util::hash64(item)); }

void DistinctCounter::add_hash(std::uint64_t h) {
  const std::size_t idx = h >> (64 - kPrecision);
  const std::uint64_t rest = (h << kPrecision) | (std::uint64_t{1} << (kPrecision - 1));
  const auto rank = static_cast<std::uint8_t>(__builtin_clzll(rest) + 1);
  m_reg[idx] = std::max(m_reg[idx], rank);
}

void DistinctCounter::merge(const DistinctCounter& o) {
  for (std::size_t i = 0; i < kRegisters; ++i) m_reg[i] = std::max(m_reg[i], o.m_reg[i]);
}

double DistinctCounter::estimate() const {
  const double m = static_cast<double>(kRegisters);
  double sum = 0;
  std::size_t zeros = 0;
  for (auto r : m_reg) {
    sum += std::ldexp(1.0, -r);
    if (r == 0) ++zeros;
  }
  const double alpha = 0.7213 / (1 + 1.079 / m);
  double e = alpha * m * m / sum;
  if (e <= 2.5 * m && zeros) e = m * std::log(m / static_cast<double>(zeros));  // linear counting
  return e;
}

std::string DistinctCounter::serialize() const {
  // "value*count" runs, comma-separated: sparse registers compress to a few bytes.
  std::string out;
  for (std::size_t i = 0; i < kRegisters;) {
    std::size_t j = i;
    while (j < kRegisters && m_reg[j] == m_reg[i]) ++j;
    if (!out.empty()) out += ',';
    out += j - i == 1 ? fmt::format("{}", m_reg[i]) : fmt::format("{}*{}", m_reg[i], j - i);
    i = j;
  }
  return out;
}

Expected<DistinctCounter> DistinctCounter::deserialize(std::string_view text) {
  DistinctCounter c;
  std::size_t pos = 0;
  while (!text.empty()) {
    auto comma = text.find(',');
    auto item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    auto star = item.find('*');
    unsigned value = 0, count = 1;
    auto parse = [](std::string_view s, unsigned& v) {
      if (s.empty() || s.size() > 6) return false;
      v = 0;
      for (char ch : s) {
        if (ch < '0' || ch > '9') return false;
        v = v * 10 + static_cast<unsigned>(ch - '0');
      }
      return true;
    };
    if (!parse(item.substr(0, star), value) ||
        (star != std::string_view::npos && !parse(item.substr(star + 1), count)) || value > 64 ||
        pos + count > kRegisters)
      return unexpected("invalid distinct-counter registers");
    std::fill_n(c.m_reg.begin() + static_cast<std::ptrdiff_t>(pos), count, static_cast<std::uint8_t>(value));
    pos += count;
  }
  if (pos != kRegisters) return unexpected("invalid distinct-counter registers: wrong count");
  return c;
}

}  // namespace jobmarket::aggregate
