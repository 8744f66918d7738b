#include <jobmarket/aggregate/barrier_summary.hpp>

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include <jobmarket/aggregate/overview.hpp>

namespace jobmarket::aggregate {

namespace {

using classify::Direction;
using extract::Education;
using extract::Requirement;

constexpr std::array<Direction, 3> kDirections = {Direction::research, Direction::engineering,
                                                  Direction::other};
constexpr std::array<Education, 5> kEducations = {Education::none_stated, Education::associate,
                                                  Education::bachelor, Education::master,
                                                  Education::phd};
constexpr std::array<Requirement, 3> kRequirements = {Requirement::none, Requirement::preferred,
                                                      Requirement::required};
constexpr std::array<std::string_view, 5> kTiers = {"985", "211", "double_first_class", "qs_top",
                                                    "top_generic"};
constexpr std::array<std::string_view, 6> kMajors = {"cs", "math", "stats", "ee", "physics", "other"};

std::size_t idx(Education e) { return static_cast<std::size_t>(e); }
std::size_t idx(Requirement r) { return static_cast<std::size_t>(r); }

nlohmann::ordered_json cell(std::uint64_t n, std::uint64_t whole) {
  return {{"count", n}, {"share", share(n, whole)}};
}

template <typename Map>
void add_map(Map& into, const Map& from) {
  for (const auto& [k, v] : from) into[k] += v;
}

// Named keys first in their fixed order, then any other key the rules produced, sorted.
nlohmann::ordered_json named_counts(const std::map<std::string, std::uint64_t>& m,
                                    const std::string_view* names, std::size_t n_names,
                                    std::uint64_t whole) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < n_names; ++i) {
    auto it = m.find(std::string(names[i]));
    j[std::string(names[i])] = cell(it == m.end() ? 0 : it->second, whole);
  }
  for (const auto& [k, v] : m)
    if (!j.contains(k)) j[k] = cell(v, whole);
  return j;
}

std::uint64_t get_u64(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j[key].is_number_unsigned() ? j[key].get<std::uint64_t>() : 0;
}

}  // namespace

void BarrierSummary::add(Direction d, const extract::Barriers& b) {
  auto& c = m_dirs[static_cast<std::size_t>(d)];
  ++c.postings;
  ++c.min_education[idx(b.min_education)];
  ++c.preferred_education[b.preferred_education ? idx(*b.preferred_education) + 1 : 0];
  for (const auto& t : b.school_tier) ++c.school_tier[t];
  if (!b.school_tier.empty()) ++c.school_tier_any;
  if (b.school_tier_level == Requirement::required) ++c.school_tier_required;
  bool cs_math = false;
  for (const auto& m : b.majors) {
    ++c.majors[m];
    cs_math = cs_math || m == "cs" || m == "math";
  }
  if (!b.majors.empty()) ++c.majors_any;
  if (cs_math) ++c.cs_or_math;
  ++c.papers[idx(b.papers)];
  for (const auto& v : b.venues) ++c.venues[v];
  ++c.experience[b.experience_years_min ? *b.experience_years_min : -1];
  ++c.english[idx(b.english)];
  ++c.portfolio[idx(b.portfolio)];
}

void BarrierSummary::merge(const BarrierSummary& other) {
  for (std::size_t d = 0; d < m_dirs.size(); ++d) {
    auto& a = m_dirs[d];
    const auto& o = other.m_dirs[d];
    a.postings += o.postings;
    for (std::size_t i = 0; i < a.min_education.size(); ++i) a.min_education[i] += o.min_education[i];
    for (std::size_t i = 0; i < a.preferred_education.size(); ++i)
      a.preferred_education[i] += o.preferred_education[i];
    add_map(a.school_tier, o.school_tier);
    a.school_tier_any += o.school_tier_any;
    a.school_tier_required += o.school_tier_required;
    add_map(a.majors, o.majors);
    a.majors_any += o.majors_any;
    a.cs_or_math += o.cs_or_math;
    for (std::size_t i = 0; i < 3; ++i) {
      a.papers[i] += o.papers[i];
      a.english[i] += o.english[i];
      a.portfolio[i] += o.portfolio[i];
    }
    add_map(a.venues, o.venues);
    add_map(a.experience, o.experience);
  }
}

nlohmann::ordered_json BarrierSummary::to_json() const {
  nlohmann::ordered_json dirs = nlohmann::ordered_json::object();
  for (auto d : kDirections) {
    const auto& c = dir(d);
    const auto n = c.postings;
    nlohmann::ordered_json j;
    j["postings"] = n;
    auto& edu = j["min_education"] = nlohmann::ordered_json::object();
    for (auto e : kEducations) edu[std::string(extract::education_name(e))] = cell(c.min_education[idx(e)], n);
    auto& pref = j["preferred_education"] = nlohmann::ordered_json::object();
    pref["none"] = cell(c.preferred_education[0], n);
    for (std::size_t i = 1; i < kEducations.size(); ++i)
      pref[std::string(extract::education_name(kEducations[i]))] = cell(c.preferred_education[i + 1], n);
    j["school_tier"] = named_counts(c.school_tier, kTiers.data(), kTiers.size(), n);
    j["school_tier"]["any"] = cell(c.school_tier_any, n);
    j["school_tier"]["any_required"] = cell(c.school_tier_required, n);
    j["majors"] = named_counts(c.majors, kMajors.data(), kMajors.size(), n);
    j["majors"]["any"] = cell(c.majors_any, n);
    j["majors"]["cs_or_math"] = cell(c.cs_or_math, n);
    auto& papers = j["papers"] = nlohmann::ordered_json::object();
    for (auto r : kRequirements) papers[std::string(extract::requirement_name(r))] = cell(c.papers[idx(r)], n);
    std::vector<std::pair<std::string, std::uint64_t>> venues(c.venues.begin(), c.venues.end());
    std::stable_sort(venues.begin(), venues.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    auto& vj = j["venues"] = nlohmann::ordered_json::object();
    for (const auto& [v, k] : venues) vj[v] = cell(k, n);
    auto& exp = j["experience_years_min"] = nlohmann::ordered_json::object();
    for (const auto& [y, k] : c.experience) exp[y < 0 ? std::string("not_stated") : std::to_string(y)] = cell(k, n);
    auto& en = j["english"] = nlohmann::ordered_json::object();
    for (auto r : kRequirements) en[std::string(extract::requirement_name(r))] = cell(c.english[idx(r)], n);
    auto& pf = j["portfolio"] = nlohmann::ordered_json::object();
    for (auto r : kRequirements) pf[std::string(extract::requirement_name(r))] = cell(c.portfolio[idx(r)], n);
    dirs[std::string(classify::direction_name(d))] = std::move(j);
  }

  // The article's claims, each with the postings meeting it over a stated denominator.
  const auto& r = dir(Direction::research);
  const auto& e = dir(Direction::engineering);
  auto claim = [](std::string id, std::string text, std::string source, Direction d,
                  std::uint64_t meeting, std::uint64_t denominator, std::string rule) {
    nlohmann::ordered_json c;
    c["id"] = std::move(id);
    c["claim"] = std::move(text);
    c["source"] = std::move(source);
    c["direction"] = std::string(classify::direction_name(d));
    c["meeting"] = meeting;
    c["denominator"] = denominator;
    c["share"] = share(meeting, denominator);
    c["denominator_rule"] = std::move(rule);
    return c;
  };
  const std::string a1 = "article: Direction One, Entry Barriers and Hard Requirements";
  const std::string a2 = "article: Direction Two, Entry Barriers and Technical Requirements";
  const std::uint64_t r_stated = r.postings - r.min_education[idx(Education::none_stated)];
  const std::uint64_t r_master = r.min_education[idx(Education::master)] + r.min_education[idx(Education::phd)];
  const std::uint64_t e_stated = e.postings - e.min_education[idx(Education::none_stated)];
  const std::uint64_t e_bachelor =
      e.min_education[idx(Education::associate)] + e.min_education[idx(Education::bachelor)];
  nlohmann::ordered_json claims = nlohmann::ordered_json::array();
  claims.push_back(claim("research_master_or_higher", "Research requires a master's degree or higher", a1,
                         Direction::research, r_master, r_stated,
                         "research postings stating a minimum education; meeting: minimum is master or phd"));
  claims.push_back(claim("research_top_school", "Research asks for a top-tier (985) school", a1,
                         Direction::research, r.school_tier_any, r.postings,
                         "all research postings; meeting: any school tier required or preferred"));
  claims.push_back(claim("research_papers", "Research asks for top-conference papers", a1,
                         Direction::research, r.papers[idx(Requirement::preferred)] + r.papers[idx(Requirement::required)],
                         r.postings, "all research postings; meeting: papers required or preferred"));
  claims.push_back(claim("research_cs_or_math", "Research wants a Computer Science or Mathematics major", a1,
                         Direction::research, r.cs_or_math, r.postings,
                         "all research postings; meeting: cs or math named among the majors"));
  claims.push_back(claim("engineering_bachelor_accepted", "Engineering is accessible with a bachelor's degree", a2,
                         Direction::engineering, e_bachelor, e_stated,
                         "engineering postings stating a minimum education; meeting: minimum is associate or bachelor"));
  // Stricter readings beside the headline shares.
  claims[1]["meeting_required"] = r.school_tier_required;
  claims[1]["share_required"] = share(r.school_tier_required, r.postings);
  claims[2]["meeting_required"] = r.papers[idx(Requirement::required)];
  claims[2]["share_required"] = share(r.papers[idx(Requirement::required)], r.postings);
  claims[3]["naming_a_major"] = r.majors_any;
  claims[3]["share_of_naming_a_major"] = share(r.cs_or_math, r.majors_any);

  nlohmann::ordered_json out;
  out["directions"] = std::move(dirs);
  out["claims"] = std::move(claims);
  return out;
}

Expected<BarrierSummary> BarrierSummary::from_json(const nlohmann::json& j) {
  if (!j.is_object() || !j.contains("directions") || !j["directions"].is_object())
    return unexpected("barrier summary: expected an object with \"directions\"");
  BarrierSummary s;
  for (auto d : kDirections) {
    const std::string name(classify::direction_name(d));
    if (!j["directions"].contains(name)) return unexpected(fmt::format("barrier summary: missing direction '{}'", name));
    const auto& dj = j["directions"][name];
    auto& c = s.m_dirs[static_cast<std::size_t>(d)];
    auto count = [](const nlohmann::json& obj, const std::string& key) -> std::uint64_t {
      return obj.contains(key) ? get_u64(obj[key], "count") : 0;
    };
    try {
      c.postings = get_u64(dj, "postings");
      for (auto e : kEducations) c.min_education[idx(e)] = count(dj.at("min_education"), std::string(extract::education_name(e)));
      c.preferred_education[0] = count(dj.at("preferred_education"), "none");
      for (std::size_t i = 1; i < kEducations.size(); ++i)
        c.preferred_education[i + 1] = count(dj.at("preferred_education"), std::string(extract::education_name(kEducations[i])));
      for (const auto& [k, v] : dj.at("school_tier").items()) {
        if (k == "any") c.school_tier_any = get_u64(v, "count");
        else if (k == "any_required") c.school_tier_required = get_u64(v, "count");
        else if (auto n = get_u64(v, "count")) c.school_tier[k] = n;
      }
      for (const auto& [k, v] : dj.at("majors").items()) {
        if (k == "any") c.majors_any = get_u64(v, "count");
        else if (k == "cs_or_math") c.cs_or_math = get_u64(v, "count");
        else if (auto n = get_u64(v, "count")) c.majors[k] = n;
      }
      for (auto r : kRequirements) {
        const std::string rn(extract::requirement_name(r));
        c.papers[idx(r)] = count(dj.at("papers"), rn);
        c.english[idx(r)] = count(dj.at("english"), rn);
        c.portfolio[idx(r)] = count(dj.at("portfolio"), rn);
      }
      for (const auto& [k, v] : dj.at("venues").items()) c.venues[k] = get_u64(v, "count");
      for (const auto& [k, v] : dj.at("experience_years_min").items())
        c.experience[k == "not_stated" ? -1 : std::stoi(k)] = get_u64(v, "count");
    } catch (const std::exception& ex) {
      return unexpected(fmt::format("barrier summary: direction '{}': {}", name, ex.what()));
    }
  }
  return s;
}

}  // namespace jobmarket::aggregate
