#pragma once
// Posting lifetime per direction, from the history store: days from the first to the last
// sighting of a unique posting and its duplicates (time-to-fill, as recruiters ask it). A
// posting still seen on the store's last day may still be open: its lifetime so far is
// counted apart, not as filled. Pure: no I/O.
#include <array>
#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include <jobmarket/classify/classification.hpp>

namespace jobmarket::aggregate {

class LifetimeSummary {
 public:
  // `days`: last seen minus first seen; `open`: seen on the store's last day.
  void add(classify::Direction d, std::int64_t days, bool open);

  // {"basis": "sightings", "directions": {"research": {"postings", "open", "closed",
  //  "days": {"median", "p75", "p90", "mean"} | null (fewer than min_sample closed)}, ...}}
  // Quantiles by nearest rank over the closed postings; mean rounded to 0.1 day.
  nlohmann::ordered_json to_json(std::uint64_t min_sample) const;

 private:
  struct Direction {
    std::vector<std::int64_t> closed;
    std::uint64_t open = 0;
  };
  std::array<Direction, 3> m_dirs;
};

}  // namespace jobmarket::aggregate
