#include <jobmarket/aggregate/overview.hpp>

#include <cmath>

namespace jobmarket::aggregate {

using classify::Direction;
constexpr std::array<Direction, 3> kDirections = {Direction::research, Direction::engineering,
                                                  Direction::other};

namespace {
std::map<std::string, std::uint64_t> sorted(const std::unordered_map<std::string, std::uint64_t>& m) {
  return {m.begin(), m.end()};
}
}  // namespace

double share(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return 0;
  return std::round(static_cast<double>(part) / static_cast<double>(whole) * 10000.0) / 10000.0;
}

void Overview::add(const pipeline::Analysis& a) {
  add_total(a.classification.direction, a.duplicate,
            a.identity ? a.identity : pipeline::posting_identity(a.posting));
  if (a.duplicate == dedup::Match::none) add_unique(a.classification.direction, a.classification.tags);
}

void Overview::add_total(Direction direction, dedup::Match duplicate, std::uint64_t identity) {
  ++m_records;
  ++m_direction_totals[static_cast<std::size_t>(direction)];
  if (duplicate == dedup::Match::exact) ++m_duplicates[0];
  if (duplicate == dedup::Match::near) ++m_duplicates[1];
  m_distinct.add_hash(identity);
}

void Overview::add_unique(Direction direction, const std::vector<std::string>& tags) {
  auto d = static_cast<std::size_t>(direction);
  ++m_directions[d];
  for (const auto& t : tags) ++m_tags[d][t];
}

void Overview::reclassify_near_as_exact() {
  --m_duplicates[1];
  ++m_duplicates[0];
}

void Overview::count_duplicate(dedup::Match m) {
  if (m == dedup::Match::exact) ++m_duplicates[0];
  if (m == dedup::Match::near) ++m_duplicates[1];
}

void Overview::add_reject(const std::string& category, bool is_row) {
  if (is_row) ++m_rejected_rows;
  else ++m_file_errors;
  ++m_reject_reasons[category];
}

void Overview::add_rejects(const std::map<std::string, std::uint64_t>& reasons, std::uint64_t rows,
                           std::uint64_t file_errors) {
  m_rejected_rows += rows;
  m_file_errors += file_errors;
  for (const auto& [k, v] : reasons) m_reject_reasons[k] += v;
}

void Overview::merge_totals(const Overview& o) {
  m_records += o.m_records;
  m_rejected_rows += o.m_rejected_rows;
  m_file_errors += o.m_file_errors;
  for (const auto& [k, v] : o.m_reject_reasons) m_reject_reasons[k] += v;
  for (std::size_t i = 0; i < 2; ++i) m_duplicates[i] += o.m_duplicates[i];
  for (std::size_t d = 0; d < 3; ++d) m_direction_totals[d] += o.m_direction_totals[d];
  m_distinct.merge(o.m_distinct);
}

void Overview::merge(const Overview& o) {
  m_records += o.m_records;
  m_rejected_rows += o.m_rejected_rows;
  m_file_errors += o.m_file_errors;
  for (const auto& [k, v] : o.m_reject_reasons) m_reject_reasons[k] += v;
  for (std::size_t i = 0; i < 2; ++i) m_duplicates[i] += o.m_duplicates[i];
  for (std::size_t d = 0; d < 3; ++d) {
    m_directions[d] += o.m_directions[d];
    m_direction_totals[d] += o.m_direction_totals[d];
    for (const auto& [k, v] : o.m_tags[d]) m_tags[d][k] += v;
  }
  m_distinct.merge(o.m_distinct);
}

std::uint64_t Overview::tag_count(Direction d, const std::string& tag) const {
  const auto& m = m_tags[static_cast<std::size_t>(d)];
  auto it = m.find(tag);
  return it == m.end() ? 0 : it->second;
}

std::uint64_t Overview::duplicates_estimate() const {
  auto distinct = static_cast<std::uint64_t>(std::llround(m_distinct.estimate()));
  return distinct >= m_records ? 0 : m_records - distinct;
}

nlohmann::ordered_json Overview::to_json() const {
  nlohmann::ordered_json j;
  j["rows"] = rows();
  j["records"] = m_records;
  j["rejected_rows"] = m_rejected_rows;
  j["file_errors"] = m_file_errors;
  j["reject_reasons"] = m_reject_reasons;
  j["duplicates_estimate"] = duplicates_estimate();
  j["unique"] = unique();
  j["duplicates"] = {{"exact", m_duplicates[0]}, {"near", m_duplicates[1]}};
  auto& dirs = j["directions"] = nlohmann::ordered_json::object();
  for (auto d : kDirections) {
    auto n = direction_count(d);
    dirs[std::string(classify::direction_name(d))] = {
        {"count", n}, {"share", share(n, unique())}, {"total", direction_total(d)}};
  }
  const auto ai = direction_count(Direction::research) + direction_count(Direction::engineering);
  j["ai_postings"] = ai;
  j["research_share_of_ai"] = share(direction_count(Direction::research), ai);
  std::map<std::string, std::array<std::uint64_t, 3>> by_tag;
  for (std::size_t d = 0; d < 3; ++d)
    for (const auto& [t, n] : m_tags[d]) by_tag[t][d] = n;
  auto& tags = j["tags"] = nlohmann::ordered_json::array();
  for (const auto& [t, n] : by_tag) {
    std::uint64_t total = n[0] + n[1] + n[2];
    tags.push_back({{"tag", t},
                    {"postings", total},
                    {"share", share(total, unique())},
                    {"research", n[0]},
                    {"engineering", n[1]},
                    {"other", n[2]}});
  }
  return j;
}

nlohmann::ordered_json Overview::to_partial_json(bool unique_part) const {
  nlohmann::ordered_json j;
  j["records"] = m_records;
  j["rejected_rows"] = m_rejected_rows;
  j["file_errors"] = m_file_errors;
  j["reject_reasons"] = m_reject_reasons;
  j["duplicates"] = {{"exact", m_duplicates[0]}, {"near", m_duplicates[1]}};
  auto& dirs = j["directions"] = nlohmann::ordered_json::object();
  for (auto d : kDirections) {
    auto name = std::string(classify::direction_name(d));
    auto& dj = dirs[name] = {{"total", direction_total(d)}};
    if (unique_part) {
      dj["count"] = direction_count(d);
      dj["tags"] = sorted(m_tags[static_cast<std::size_t>(d)]);
    }
  }
  j["distinct_registers"] = m_distinct.serialize();
  return j;
}

Expected<Overview> Overview::from_partial_json(const nlohmann::ordered_json& j) {
  Overview o;
  try {
    o.m_records = j.at("records").get<std::uint64_t>();
    o.m_rejected_rows = j.at("rejected_rows").get<std::uint64_t>();
    o.m_file_errors = j.at("file_errors").get<std::uint64_t>();
    o.m_reject_reasons = j.at("reject_reasons").get<std::map<std::string, std::uint64_t>>();
    // Parts written before deduplication have neither duplicates nor totals.
    if (j.contains("duplicates")) {
      const auto& dups = j.at("duplicates");
      o.m_duplicates = {dups.at("exact").get<std::uint64_t>(), dups.at("near").get<std::uint64_t>()};
    }
    for (auto d : kDirections) {
      const auto i = static_cast<std::size_t>(d);
      const auto& dj = j.at("directions").at(std::string(classify::direction_name(d)));
      if (dj.contains("count")) {
        o.m_directions[i] = dj.at("count").get<std::uint64_t>();
        o.m_tags[i] = dj.at("tags").get<std::unordered_map<std::string, std::uint64_t>>();
      }
      o.m_direction_totals[i] = dj.contains("total") ? dj.at("total").get<std::uint64_t>() : o.m_directions[i];
    }
    auto reg = DistinctCounter::deserialize(j.at("distinct_registers").get<std::string>());
    if (!reg) return unexpected(reg.error());
    o.m_distinct = *reg;
  } catch (const nlohmann::json::exception& e) {
    return unexpected(std::string("overview: ") + e.what());
  }
  return o;
}

}  // namespace jobmarket::aggregate
