#pragma once
// Input accounting and direction/tag counts: the first section of every report. With
// deduplication, directions and tags count unique postings, with every posting's direction
// beside them ("total"), and the duplicates found by kind.
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include <jobmarket/aggregate/distinct.hpp>
#include <jobmarket/pipeline/analysis.hpp>

namespace jobmarket::aggregate {

class Overview {
 public:
  // One posting in range: counted in the totals, and in the directions and tags unless it
  // repeats an earlier one (a.duplicate).
  void add(const pipeline::Analysis& a);
  // The two halves of add(), for postings rebuilt from their facts (a merge): the totals
  // (every posting) and the unique part.
  void add_total(classify::Direction d, dedup::Match duplicate, std::uint64_t identity);
  void add_unique(classify::Direction d, const std::vector<std::string>& tags);
  // A posting counted as unique in its part that repeats one of an earlier part (merge).
  void count_duplicate(dedup::Match m);
  // A near duplicate of its part that is identical to a posting of an earlier one (merge).
  void reclassify_near_as_exact();
  // A rejected row (row > 0) or a file-level problem (row == 0), by reason category.
  void add_reject(const std::string& category, bool is_row);
  // Rejects counted elsewhere (an ingested file): `reasons` holds rows and file errors.
  void add_rejects(const std::map<std::string, std::uint64_t>& reasons, std::uint64_t rows,
                   std::uint64_t file_errors);
  void merge(const Overview& other);
  // Only other's totals (rows, rejects, every posting's direction, duplicates found): a
  // merge of deduplicated parts adds the unique part from facts.
  void merge_totals(const Overview& other);

  std::uint64_t rows() const { return m_records + m_rejected_rows; }
  std::uint64_t records() const { return m_records; }
  std::uint64_t rejected_rows() const { return m_rejected_rows; }
  std::uint64_t file_errors() const { return m_file_errors; }
  const std::map<std::string, std::uint64_t>& reject_reasons() const { return m_reject_reasons; }
  std::uint64_t unique() const { return m_records - m_duplicates[0] - m_duplicates[1]; }
  std::uint64_t duplicates(dedup::Match m) const {
    return m == dedup::Match::exact ? m_duplicates[0] : m == dedup::Match::near ? m_duplicates[1] : 0;
  }
  // Unique postings in the direction (every posting when nothing is deduplicated).
  std::uint64_t direction_count(classify::Direction d) const {
    return m_directions[static_cast<std::size_t>(d)];
  }
  // Every posting in the direction, duplicates included.
  std::uint64_t direction_total(classify::Direction d) const {
    return m_direction_totals[static_cast<std::size_t>(d)];
  }
  // Postings with the tag, per direction.
  std::uint64_t tag_count(classify::Direction d, const std::string& tag) const;
  // Estimated postings that repeat an earlier one (same title, company and text).
  std::uint64_t duplicates_estimate() const;

  // {"rows", "records", "rejected_rows", "file_errors", "reject_reasons", "duplicates_estimate",
  //  "unique", "duplicates": {"exact", "near"},
  //  "directions": {"research": {"count", "share", "total"}, ...}, "ai_share", "tags": [...]}
  nlohmann::ordered_json to_json() const;
  // Everything needed to merge later (adds the distinct-counter registers). Without
  // `unique_part`, only the totals: a deduplicated partial rebuilds the rest from facts.
  nlohmann::ordered_json to_partial_json(bool unique_part = true) const;
  static Expected<Overview> from_partial_json(const nlohmann::ordered_json& j);

 private:
  std::uint64_t m_records = 0;
  std::uint64_t m_rejected_rows = 0;
  std::uint64_t m_file_errors = 0;
  std::map<std::string, std::uint64_t> m_reject_reasons;
  std::array<std::uint64_t, 3> m_directions{};        // unique postings
  std::array<std::uint64_t, 3> m_direction_totals{};  // every posting
  std::array<std::uint64_t, 2> m_duplicates{};        // exact, near
  // Hashed, not ordered: add() runs once per posting per tag on the delivering thread, where
  // the ordered map's string comparisons cost ~3% of a classify run; output sorts them.
  std::array<std::unordered_map<std::string, std::uint64_t>, 3> m_tags;
  DistinctCounter m_distinct;
};

// share = part / whole rounded to 4 decimals, 0 when whole is 0 (deterministic output).
double share(std::uint64_t part, std::uint64_t whole);

}  // namespace jobmarket::aggregate
