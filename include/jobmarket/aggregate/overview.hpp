#pragma once
// Input accounting and direction/tag counts: the first section of every report.
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include <jobmarket/aggregate/distinct.hpp>
#include <jobmarket/pipeline/analysis.hpp>

namespace jobmarket::aggregate {

class Overview {
 public:
  void add(const pipeline::Analysis& a);
  // A rejected row (row > 0) or a file-level problem (row == 0), by reason category.
  void add_reject(const std::string& category, bool is_row);
  void merge(const Overview& other);

  std::uint64_t rows() const { return m_records + m_rejected_rows; }
  std::uint64_t records() const { return m_records; }
  std::uint64_t rejected_rows() const { return m_rejected_rows; }
  std::uint64_t direction_count(classify::Direction d) const {
    return m_directions[static_cast<std::size_t>(d)];
  }
  // Postings with the tag, per direction.
  std::uint64_t tag_count(classify::Direction d, const std::string& tag) const;
  // Estimated postings that repeat an earlier one (same title, company and text).
  std::uint64_t duplicates_estimate() const;

  // {"rows", "records", "rejected_rows", "file_errors", "reject_reasons", "duplicates_estimate",
  //  "directions": {"research": {"count", "share"}, ...}, "ai_share", "tags": [...]}
  nlohmann::ordered_json to_json() const;
  // Everything needed to merge later (adds the distinct-counter registers).
  nlohmann::ordered_json to_partial_json() const;
  static Expected<Overview> from_partial_json(const nlohmann::ordered_json& j);

 private:
  std::uint64_t m_records = 0;
  std::uint64_t m_rejected_rows = 0;
  std::uint64_t m_file_errors = 0;
  std::map<std::string, std::uint64_t> m_reject_reasons;
  std::array<std::uint64_t, 3> m_directions{};
  // Hashed, not ordered: add() runs once per posting per tag on the delivering thread, where
  // the ordered map's string comparisons cost ~3% of a classify run; output sorts them.
  std::array<std::unordered_map<std::string, std::uint64_t>, 3> m_tags;
  DistinctCounter m_distinct;
};

// share = part / whole rounded to 4 decimals, 0 when whole is 0 (deterministic output).
double share(std::uint64_t part, std::uint64_t whole);

}  // namespace jobmarket::aggregate
