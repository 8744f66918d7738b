#include <jobmarket/aggregate/profile_match.hpp>

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include <jobmarket/aggregate/overview.hpp>

namespace jobmarket::aggregate {

namespace {

using extract::Education;
using extract::Requirement;

constexpr std::array<std::string_view, 5> kTierNames = {"985", "211", "double_first_class", "qs_top",
                                                        "top_generic"};
constexpr std::array<std::string_view, 6> kMajorNames = {"cs", "math", "stats", "ee", "physics", "other"};

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

bool overlaps(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return std::any_of(a.begin(), a.end(), [&](const std::string& s) { return contains(b, s); });
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : " or ") + s;
  return out;
}

}  // namespace

std::vector<std::string> expand_tiers(const std::vector<std::string>& tiers) {
  std::set<std::string> out(tiers.begin(), tiers.end());
  if (out.count("985")) out.insert({"211", "double_first_class", "top_generic"});
  if (out.count("211") || out.count("double_first_class")) out.insert({"211", "double_first_class"});
  if (out.count("qs_top")) out.insert("top_generic");
  return {out.begin(), out.end()};
}

Expected<Profile> make_profile(std::string_view degree, const std::vector<std::string>& school_tiers,
                               const std::vector<std::string>& majors, int papers, int years,
                               bool english, bool portfolio) {
  Profile p;
  if (degree.empty() || degree == "none") {
    p.degree = Education::none_stated;
  } else if (auto e = extract::education_from_name(degree); e && *e != Education::none_stated) {
    p.degree = *e;
  } else {
    return unexpected(fmt::format("unknown degree '{}' (expected none, associate, bachelor, master, phd)", degree));
  }
  for (const auto& t : school_tiers) {
    if (std::find(kTierNames.begin(), kTierNames.end(), t) == kTierNames.end())
      return unexpected(fmt::format(
          "unknown school tier '{}' (expected 985, 211, double_first_class, qs_top, top_generic)", t));
    if (!contains(p.school_tiers, t)) p.school_tiers.push_back(t);
  }
  for (const auto& m : majors) {
    if (std::find(kMajorNames.begin(), kMajorNames.end(), m) == kMajorNames.end())
      return unexpected(fmt::format("unknown major '{}' (expected cs, math, stats, ee, physics, other)", m));
    if (!contains(p.majors, m)) p.majors.push_back(m);
  }
  if (papers < 0) return unexpected(fmt::format("papers must be >= 0, got {}", papers));
  if (years < 0) return unexpected(fmt::format("years must be >= 0, got {}", years));
  p.papers = papers;
  p.years = years;
  p.english = english;
  p.portfolio = portfolio;
  return p;
}

ProfileMatch::ProfileMatch(Profile profile)
    : m_profile(std::move(profile)), m_tiers(expand_tiers(m_profile.school_tiers)) {}

namespace {

// Misses at one level: education and experience are minimums (required only); the rest
// are checked against `level`.
template <typename F>
void check(const Profile& p, const std::vector<std::string>& tiers, const extract::Barriers& b,
           Requirement level, F&& miss) {
  if (level == Requirement::required) {
    if (b.min_education > p.degree)
      miss("education", fmt::format("requires {}", extract::education_name(b.min_education)));
    if (b.experience_years_min && *b.experience_years_min > p.years)
      miss("experience", fmt::format("requires {}+ years", *b.experience_years_min));
  } else if (b.preferred_education && *b.preferred_education > p.degree) {
    miss("education", fmt::format("prefers {}", extract::education_name(*b.preferred_education)));
  }
  const char* verb = level == Requirement::required ? "requires" : "prefers";
  if (b.school_tier_level == level && !b.school_tier.empty() && !overlaps(b.school_tier, tiers))
    miss("school_tier", fmt::format("{} {}", verb, joined(b.school_tier)));
  if (b.major_level == level && !b.majors.empty() && !overlaps(b.majors, p.majors))
    miss("major", fmt::format("{} {}", verb, joined(b.majors)));
  if (b.papers == level && p.papers == 0) miss("papers", fmt::format("{} papers", verb));
  if (b.english == level && !p.english) miss("english", fmt::format("{} english", verb));
  if (b.portfolio == level && !p.portfolio) miss("portfolio", fmt::format("{} a portfolio", verb));
}

}  // namespace

std::vector<ProfileMatch::Miss> ProfileMatch::misses(const extract::Barriers& b) const {
  std::vector<Miss> out;
  check(m_profile, m_tiers, b, Requirement::required,
        [&](std::string r, std::string why) { out.push_back({std::move(r), std::move(why)}); });
  return out;
}

std::vector<ProfileMatch::Miss> ProfileMatch::preferred_misses(const extract::Barriers& b) const {
  std::vector<Miss> out;
  check(m_profile, m_tiers, b, Requirement::preferred,
        [&](std::string r, std::string why) { out.push_back({std::move(r), std::move(why)}); });
  return out;
}

void ProfileMatch::add(classify::Direction d, const extract::Barriers& b) {
  auto& c = m_dirs[static_cast<std::size_t>(d)];
  ++c.postings;
  auto req = misses(b);
  if (req.empty()) {
    ++c.meets;
    if (preferred_misses(b).empty()) ++c.meets_preferred;
  }
  std::set<std::string> seen;
  for (const auto& m : req) {
    ++c.missed[m.requirement][m.why];
    if (seen.insert(m.requirement).second) ++c.missed_postings[m.requirement];
  }
}

bool ProfileMatch::merge(const ProfileMatch& other) {
  if (!(other.m_profile == m_profile)) return false;
  for (std::size_t d = 0; d < m_dirs.size(); ++d) {
    auto& a = m_dirs[d];
    const auto& o = other.m_dirs[d];
    a.postings += o.postings;
    a.meets += o.meets;
    a.meets_preferred += o.meets_preferred;
    for (const auto& [req, whys] : o.missed)
      for (const auto& [why, n] : whys) a.missed[req][why] += n;
    for (const auto& [req, n] : o.missed_postings) a.missed_postings[req] += n;
  }
  return true;
}

nlohmann::ordered_json ProfileMatch::to_json() const {
  nlohmann::ordered_json prof;
  prof["degree"] = std::string(extract::education_name(m_profile.degree));
  prof["school_tiers"] = m_profile.school_tiers;
  prof["school_tiers_implied"] = m_tiers;
  prof["majors"] = m_profile.majors;
  prof["papers"] = m_profile.papers;
  prof["years"] = m_profile.years;
  prof["english"] = m_profile.english;
  prof["portfolio"] = m_profile.portfolio;
  nlohmann::ordered_json dirs = nlohmann::ordered_json::object();
  for (auto d : {classify::Direction::research, classify::Direction::engineering, classify::Direction::other}) {
    const auto& c = m_dirs[static_cast<std::size_t>(d)];
    nlohmann::ordered_json j;
    j["postings"] = c.postings;
    j["meets"] = {{"count", c.meets}, {"share", share(c.meets, c.postings)}};
    j["meets_including_preferred"] = {{"count", c.meets_preferred}, {"share", share(c.meets_preferred, c.postings)}};
    std::vector<std::pair<std::string, std::uint64_t>> order(c.missed_postings.begin(), c.missed_postings.end());
    std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    nlohmann::ordered_json missed = nlohmann::ordered_json::array();
    for (const auto& [req, n] : order) {
      nlohmann::ordered_json m;
      m["requirement"] = req;
      m["count"] = n;
      m["share"] = share(n, c.postings);
      std::vector<std::pair<std::string, std::uint64_t>> whys(c.missed.at(req).begin(), c.missed.at(req).end());
      std::stable_sort(whys.begin(), whys.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
      auto& w = m["why"] = nlohmann::ordered_json::object();
      for (const auto& [why, k] : whys) w[why] = k;
      missed.push_back(std::move(m));
    }
    j["missed"] = std::move(missed);
    dirs[std::string(classify::direction_name(d))] = std::move(j);
  }
  nlohmann::ordered_json out;
  out["profile"] = std::move(prof);
  out["directions"] = std::move(dirs);
  return out;
}

}  // namespace jobmarket::aggregate
