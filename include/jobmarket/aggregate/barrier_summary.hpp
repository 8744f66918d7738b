#pragma once
// Entry barriers per direction (distribution of each barrier) and the article's claims
// about them, each with the share of postings meeting it (docs/barriers.md).
#include <array>
#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include <jobmarket/classify/classification.hpp>
#include <jobmarket/extract/barriers.hpp>
#include <jobmarket/util/expected.hpp>

namespace jobmarket::aggregate {

class BarrierSummary {
 public:
  void add(classify::Direction d, const extract::Barriers& b);
  // Adds other's counts: summaries of disjoint inputs merge into the summary of the union.
  void merge(const BarrierSummary& other);

  std::uint64_t postings(classify::Direction d) const { return dir(d).postings; }

  // {"directions": {"research": {"postings", "min_education": {"none_stated": {"count",
  //  "share"}, ...}, "preferred_education", "school_tier", "majors", "papers", "venues",
  //  "experience_years_min", "english", "portfolio"}, ...}, "claims": [...]}. Keys in a fixed
  // order; venues by count then name. Holds every count, so from_json() restores it.
  nlohmann::ordered_json to_json() const;
  static Expected<BarrierSummary> from_json(const nlohmann::json& j);

  struct Counts {
    std::uint64_t postings = 0;
    std::array<std::uint64_t, 5> min_education{};        // by extract::Education
    std::array<std::uint64_t, 6> preferred_education{};  // [0] = none, then by Education
    std::map<std::string, std::uint64_t> school_tier;      // tier -> postings naming it
    std::uint64_t school_tier_any = 0, school_tier_required = 0;
    std::map<std::string, std::uint64_t> majors;
    std::uint64_t majors_any = 0, cs_or_math = 0;
    std::array<std::uint64_t, 3> papers{};  // by extract::Requirement
    std::map<std::string, std::uint64_t> venues;
    std::map<int, std::uint64_t> experience;  // years -> postings; -1 = not stated
    std::array<std::uint64_t, 3> english{};
    std::array<std::uint64_t, 3> portfolio{};
  };

 private:
  const Counts& dir(classify::Direction d) const { return m_dirs[static_cast<std::size_t>(d)]; }
  std::array<Counts, 3> m_dirs;
};

}  // namespace jobmarket::aggregate
