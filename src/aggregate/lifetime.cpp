#include <jobmarket/aggregate/lifetime.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace jobmarket::aggregate {

void LifetimeSummary::add(classify::Direction d, std::int64_t days, bool open) {
  auto& dir = m_dirs[static_cast<std::size_t>(d)];
  if (open) ++dir.open;
  else dir.closed.push_back(days);
}

nlohmann::ordered_json LifetimeSummary::to_json(std::uint64_t min_sample) const {
  nlohmann::ordered_json j;
  j["basis"] = "sightings";
  auto& dirs = j["directions"] = nlohmann::ordered_json::object();
  for (auto d : {classify::Direction::research, classify::Direction::engineering, classify::Direction::other}) {
    auto v = m_dirs[static_cast<std::size_t>(d)].closed;
    const auto open = m_dirs[static_cast<std::size_t>(d)].open;
    std::sort(v.begin(), v.end());
    nlohmann::ordered_json g{{"postings", v.size() + open}, {"open", open}, {"closed", v.size()}};
    if (v.empty() || v.size() < min_sample) {
      g["days"] = nullptr;
    } else {
      auto rank = [&](double q) {
        const auto k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
        return v[std::max<std::size_t>(k, 1) - 1];
      };
      const double mean = static_cast<double>(std::accumulate(v.begin(), v.end(), std::int64_t{0})) /
                          static_cast<double>(v.size());
      g["days"] = {{"median", rank(0.5)}, {"p75", rank(0.75)}, {"p90", rank(0.9)},
                   {"mean", std::round(mean * 10) / 10}};
    }
    dirs[std::string(classify::direction_name(d))] = std::move(g);
  }
  return j;
}

}  // namespace jobmarket::aggregate
