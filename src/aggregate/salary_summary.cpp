#include <jobmarket/aggregate/salary_summary.hpp>

#include <algorithm>
#include <cmath>

#include <jobmarket/aggregate/overview.hpp>
#include <jobmarket/extract/fx.hpp>
#include <jobmarket/pipeline/analysis.hpp>

namespace jobmarket::aggregate {

namespace {

using classify::Direction;
using extract::Education;

constexpr std::array<Direction, 3> kDirections = {Direction::research, Direction::engineering,
                                                  Direction::other};

std::size_t index_of(Direction d) { return static_cast<std::size_t>(d); }

// Local names (the GUIDE's): the summary does not depend on the barrier extractor's code.
std::string education_key(std::optional<Education> e) {
  if (!e) return "none_stated";
  switch (*e) {
    case Education::none_stated: return "none_stated";
    case Education::associate: return "associate";
    case Education::bachelor: return "bachelor";
    case Education::master: return "master";
    case Education::phd: return "phd";
  }
  return "none_stated";
}

// Whole currency units: stable output whatever the summation order's last bits.
nlohmann::ordered_json amount(std::optional<double> v) {
  if (!v) return nullptr;
  return static_cast<std::int64_t>(std::llround(*v));
}

nlohmann::ordered_json stats_json(const QuantileSketch& s) {
  nlohmann::ordered_json j;
  j["p10"] = amount(s.quantile(0.10));
  j["p25"] = amount(s.quantile(0.25));
  j["median"] = amount(s.quantile(0.50));
  j["p75"] = amount(s.quantile(0.75));
  j["p90"] = amount(s.quantile(0.90));
  j["mean"] = amount(s.mean());
  return j;
}

const char* const kCounterNames[] = {"postings",   "with_salary", "parsed",
                                     "from_text",  "estimated",   "negotiable",
                                     "unparsed",   "unknown_currency", "outliers"};

// The counters of a group in kCounterNames order (const or not).
template <typename G>
auto counters(G& g) {
  using P = decltype(&g.postings);
  return std::array<P, 9>{&g.postings, &g.with_salary, &g.parsed,   &g.from_text, &g.estimated,
          &g.negotiable, &g.unparsed,  &g.unknown_currency, &g.outliers};
}

nlohmann::ordered_json group_partial(const SalarySummary::Group& g) {
  nlohmann::ordered_json j;
  auto c = counters(g);
  for (std::size_t i = 0; i < c.size(); ++i) j[kCounterNames[i]] = *c[i];
  j["low"] = g.low.to_json();
  j["high"] = g.high.to_json();
  j["mid"] = g.mid.to_json();
  return j;
}

Expected<SalarySummary::Group> group_from(const nlohmann::ordered_json& j, const std::string& where) {
  SalarySummary::Group g;
  if (!j.is_object()) return unexpected("salary summary: " + where + " must be an object");
  auto c = counters(g);
  for (std::size_t i = 0; i < c.size(); ++i) {
    auto it = j.find(kCounterNames[i]);
    if (it == j.end() || !it->is_number_unsigned())
      return unexpected("salary summary: " + where + "." + kCounterNames[i] +
                        " must be a non-negative integer");
    *c[i] = it->get<std::uint64_t>();
  }
  for (auto [key, sketch] : {std::pair{"low", &g.low}, std::pair{"high", &g.high},
                             std::pair{"mid", &g.mid}}) {
    if (!j.contains(key)) return unexpected("salary summary: " + where + "." + key + " is missing");
    auto s = QuantileSketch::from_json(j[key]);
    if (!s) return unexpected("salary summary: " + where + "." + key + ": " + s.error());
    *sketch = std::move(*s);
  }
  return g;
}

}  // namespace

SalarySummaryOptions salary_summary_options(const std::string& currency, const extract::FxTable& fx,
                                            std::uint64_t min_sample) {
  SalarySummaryOptions o;
  o.currency = currency;
  o.min_sample = min_sample;
  for (double* v : {&o.claim_fresh_low, &o.claim_fresh_high, &o.claim_senior}) {
    if (auto converted = fx.convert(*v, "CNY", currency)) *v = *converted;
  }
  return o;
}

std::string experience_band(std::optional<int> years_min) {
  if (!years_min) return "unknown";
  int y = *years_min;
  if (y <= 0) return "0";
  if (y <= 2) return "1-2";
  if (y <= 4) return "3-4";
  if (y <= 9) return "5-9";
  return "10+";
}

void SalarySummary::Group::merge(const Group& o) {
  auto mine = counters(*this);
  auto theirs = counters(o);
  for (std::size_t i = 0; i < mine.size(); ++i) *mine[i] += *theirs[i];
  low.merge(o.low);
  high.merge(o.high);
  mid.merge(o.mid);
}

void SalarySummary::Claim::merge(const Claim& o) {
  mid.merge(o.mid);
  below += o.below;
  within += o.within;
  above += o.above;
  high_above += o.high_above;
}

SalarySummary::SalarySummary(SalarySummaryOptions options) : m_options(std::move(options)) {}

void SalarySummary::add_to(
    Group& g, const extract::SalaryResult& r,
    const std::optional<Expected<extract::AnnualSalary, extract::NotAnnual>>& annual) {
  ++g.postings;
  if (!r.salary && !r.unparsed) return;
  ++g.with_salary;
  if (r.unparsed) {
    ++g.unparsed;
    return;
  }
  const auto& s = *r.salary;
  if (s.negotiable && !s.low) {
    ++g.negotiable;
    return;
  }
  ++g.parsed;
  if (s.source == extract::SalarySource::text) ++g.from_text;
  if (s.estimated) ++g.estimated;
  if (!annual || !annual->has_value()) {
    ++g.unknown_currency;
    return;
  }
  const auto& a = annual->value();
  if (a.outlier) {
    ++g.outliers;
    return;
  }
  g.low.add(a.low);
  g.high.add(a.high);
  g.mid.add(a.mid);
}

void SalarySummary::add(
    classify::Direction direction, std::optional<extract::Education> education,
    std::optional<int> experience_years_min, const extract::SalaryResult& r,
    const std::optional<Expected<extract::AnnualSalary, extract::NotAnnual>>& annual) {
  const std::size_t d = index_of(direction);
  add_to(m_overall, r, annual);
  add_to(m_directions[d], r, annual);
  if (education) add_to(m_by_education[d][education_key(education)], r, annual);
  add_to(m_by_experience[d][experience_band(experience_years_min)], r, annual);
  if (r.unparsed && m_unparsed.size() < m_options.max_unparsed &&
      std::find(m_unparsed.begin(), m_unparsed.end(), *r.unparsed) == m_unparsed.end()) {
    m_unparsed.push_back(*r.unparsed);
    if (!r.reason.empty()) m_unparsed_reasons[*r.unparsed] = std::string(r.reason);
  }
  // The article's claim: research only, values that made it into the statistics.
  if (direction != Direction::research || !annual || !annual->has_value()) return;
  const auto& a = annual->value();
  if (a.outlier || !r.salary || !r.salary->low) return;
  auto count = [&](Claim& c) {
    c.mid.add(a.mid);
    if (a.mid < m_options.claim_fresh_low) ++c.below;
    else if (a.mid <= m_options.claim_fresh_high) ++c.within;
    else ++c.above;
    if (a.high > m_options.claim_senior) ++c.high_above;
  };
  if (education && *education >= Education::master && experience_years_min &&
      *experience_years_min <= 1)
    count(m_fresh_master);
  if (experience_years_min && *experience_years_min >= 5) {
    // For seniors "above" means above the senior threshold, not the fresh range.
    Claim& c = m_senior;
    c.mid.add(a.mid);
    if (a.mid > m_options.claim_senior) ++c.above;
    else ++c.below;
    if (a.high > m_options.claim_senior) ++c.high_above;
  }
}

void SalarySummary::add(const pipeline::Analysis& a, const extract::SalaryConventions& conventions,
                        const extract::FxTable& fx) {
  std::optional<Expected<extract::AnnualSalary, extract::NotAnnual>> annual;
  if (a.salary.salary) annual.emplace(extract::annualize(*a.salary.salary, conventions, fx, m_options.currency));
  add(a, annual);
}

void SalarySummary::add(const pipeline::Analysis& a,
                        const std::optional<Expected<extract::AnnualSalary, extract::NotAnnual>>& annual) {
  std::optional<Education> education;
  if (a.barriers.min_education != Education::none_stated) education = a.barriers.min_education;
  add(a.classification.direction, education, a.barriers.experience_years_min, a.salary, annual);
}

bool SalarySummary::merge(const SalarySummary& other) {
  if (other.m_options.currency != m_options.currency) return false;
  m_overall.merge(other.m_overall);
  for (std::size_t d = 0; d < 3; ++d) {
    m_directions[d].merge(other.m_directions[d]);
    for (const auto& [k, g] : other.m_by_education[d]) m_by_education[d][k].merge(g);
    for (const auto& [k, g] : other.m_by_experience[d]) m_by_experience[d][k].merge(g);
  }
  m_fresh_master.merge(other.m_fresh_master);
  m_senior.merge(other.m_senior);
  for (const auto& s : other.m_unparsed) {
    if (m_unparsed.size() >= m_options.max_unparsed) break;
    if (std::find(m_unparsed.begin(), m_unparsed.end(), s) == m_unparsed.end()) {
      m_unparsed.push_back(s);
      if (auto it = other.m_unparsed_reasons.find(s); it != other.m_unparsed_reasons.end())
        m_unparsed_reasons[s] = it->second;
    }
  }
  return true;
}

nlohmann::ordered_json SalarySummary::group_json(const Group& g) const {
  nlohmann::ordered_json j;
  auto c = counters(g);
  for (std::size_t i = 0; i < c.size(); ++i) j[kCounterNames[i]] = *c[i];
  j["in_statistics"] = g.mid.count();
  const bool insufficient = g.mid.count() < m_options.min_sample;
  j["insufficient"] = insufficient;
  j["annual_low"] = insufficient ? nlohmann::ordered_json(nullptr) : stats_json(g.low);
  j["annual_high"] = insufficient ? nlohmann::ordered_json(nullptr) : stats_json(g.high);
  j["annual_mid"] = insufficient ? nlohmann::ordered_json(nullptr) : stats_json(g.mid);
  return j;
}

nlohmann::ordered_json SalarySummary::to_json() const {
  nlohmann::ordered_json j;
  j["currency"] = m_options.currency;
  j["min_sample"] = m_options.min_sample;
  j["overall"] = group_json(m_overall);
  nlohmann::ordered_json dirs;
  for (Direction d : kDirections) {
    const std::size_t i = index_of(d);
    nlohmann::ordered_json dj = group_json(m_directions[i]);
    nlohmann::ordered_json edu = nlohmann::ordered_json::object();
    for (const char* k : {"none_stated", "associate", "bachelor", "master", "phd"}) {
      auto it = m_by_education[i].find(k);
      if (it != m_by_education[i].end()) edu[k] = group_json(it->second);
    }
    dj["by_education"] = edu;
    nlohmann::ordered_json exp = nlohmann::ordered_json::object();
    for (const char* k : {"0", "1-2", "3-4", "5-9", "10+", "unknown"}) {
      auto it = m_by_experience[i].find(k);
      if (it != m_by_experience[i].end()) exp[k] = group_json(it->second);
    }
    dj["by_experience"] = exp;
    dirs[std::string(classify::direction_name(d))] = dj;
  }
  j["directions"] = dirs;

  nlohmann::ordered_json check;
  check["claim"] =
      "research: fresh master's graduates 400k-600k CNY a year; seniors over 1M CNY a year";
  check["thresholds"] = {{"currency", m_options.currency},
                         {"fresh_low", amount(m_options.claim_fresh_low)},
                         {"fresh_high", amount(m_options.claim_fresh_high)},
                         {"senior", amount(m_options.claim_senior)}};
  const Group& research = m_directions[index_of(Direction::research)];
  check["research_median_mid"] =
      research.mid.count() < m_options.min_sample ? nlohmann::ordered_json(nullptr)
                                                  : amount(research.mid.quantile(0.5));
  auto claim_json = [&](const Claim& c, bool senior) {
    nlohmann::ordered_json cj;
    const std::uint64_t n = c.mid.count();
    const bool insufficient = n < m_options.min_sample;
    cj["postings"] = n;
    cj["insufficient"] = insufficient;
    auto value = [&](nlohmann::ordered_json v) { return insufficient ? nlohmann::ordered_json(nullptr) : v; };
    cj["p25_mid"] = value(amount(c.mid.quantile(0.25)));
    cj["median_mid"] = value(amount(c.mid.quantile(0.5)));
    cj["p75_mid"] = value(amount(c.mid.quantile(0.75)));
    if (senior) {
      cj["share_mid_above_senior"] = value(share(c.above, n));
      cj["share_high_above_senior"] = value(share(c.high_above, n));
    } else {
      cj["share_mid_below"] = value(share(c.below, n));
      cj["share_mid_within"] = value(share(c.within, n));
      cj["share_mid_above"] = value(share(c.above, n));
    }
    return cj;
  };
  check["fresh_master_research"] = claim_json(m_fresh_master, false);
  check["senior_research"] = claim_json(m_senior, true);
  j["article_check"] = check;

  j["unparsed"] = {{"total", m_overall.unparsed},
                   {"listed", m_unparsed},
                   {"truncated", m_overall.unparsed > 0 && m_unparsed.size() >= m_options.max_unparsed},
                   {"reasons", m_unparsed_reasons}};
  return j;
}

nlohmann::ordered_json SalarySummary::to_partial_json() const {
  nlohmann::ordered_json j;
  j["currency"] = m_options.currency;
  j["min_sample"] = m_options.min_sample;
  j["max_unparsed"] = m_options.max_unparsed;
  j["claim"] = {m_options.claim_fresh_low, m_options.claim_fresh_high, m_options.claim_senior};
  j["overall"] = group_partial(m_overall);
  nlohmann::ordered_json dirs;
  for (Direction d : kDirections) {
    const std::size_t i = index_of(d);
    nlohmann::ordered_json dj;
    dj["all"] = group_partial(m_directions[i]);
    nlohmann::ordered_json edu = nlohmann::ordered_json::object(), exp = nlohmann::ordered_json::object();
    for (const auto& [k, g] : m_by_education[i]) edu[k] = group_partial(g);
    for (const auto& [k, g] : m_by_experience[i]) exp[k] = group_partial(g);
    dj["by_education"] = edu;
    dj["by_experience"] = exp;
    dirs[std::string(classify::direction_name(d))] = dj;
  }
  j["directions"] = dirs;
  auto claim = [](const Claim& c) {
    return nlohmann::ordered_json{{"mid", c.mid.to_json()}, {"below", c.below}, {"within", c.within},
                                  {"above", c.above}, {"high_above", c.high_above}};
  };
  j["fresh_master_research"] = claim(m_fresh_master);
  j["senior_research"] = claim(m_senior);
  j["unparsed"] = m_unparsed;
  j["unparsed_reasons"] = m_unparsed_reasons;
  return j;
}

Expected<SalarySummary> SalarySummary::from_partial_json(const nlohmann::ordered_json& j) {
  auto bad = [](const std::string& what) { return unexpected("salary summary: " + what); };
  if (!j.is_object()) return bad("expected an object");
  if (!j.contains("currency") || !j["currency"].is_string()) return bad("\"currency\" must be a string");
  if (!j.contains("min_sample") || !j["min_sample"].is_number_unsigned() ||
      !j.contains("max_unparsed") || !j["max_unparsed"].is_number_unsigned())
    return bad("\"min_sample\" and \"max_unparsed\" must be non-negative integers");
  if (!j.contains("claim") || !j["claim"].is_array() || j["claim"].size() != 3)
    return bad("\"claim\" must be an array of three numbers");
  SalarySummaryOptions o;
  o.currency = j["currency"].get<std::string>();
  o.min_sample = j["min_sample"].get<std::uint64_t>();
  o.max_unparsed = j["max_unparsed"].get<std::size_t>();
  for (std::size_t i = 0; i < 3; ++i) {
    if (!j["claim"][i].is_number()) return bad("\"claim\" must be an array of three numbers");
  }
  o.claim_fresh_low = j["claim"][0].get<double>();
  o.claim_fresh_high = j["claim"][1].get<double>();
  o.claim_senior = j["claim"][2].get<double>();
  SalarySummary s(o);
  if (!j.contains("overall")) return bad("\"overall\" is missing");
  auto overall = group_from(j["overall"], "overall");
  if (!overall) return unexpected(overall.error());
  s.m_overall = std::move(*overall);
  if (!j.contains("directions") || !j["directions"].is_object()) return bad("\"directions\" must be an object");
  for (Direction d : kDirections) {
    const std::string name(classify::direction_name(d));
    const std::size_t i = index_of(d);
    if (!j["directions"].contains(name)) return bad("directions." + name + " is missing");
    const auto& dj = j["directions"][name];
    if (!dj.is_object() || !dj.contains("all")) return bad("directions." + name + ".all is missing");
    auto all = group_from(dj["all"], "directions." + name + ".all");
    if (!all) return unexpected(all.error());
    s.m_directions[i] = std::move(*all);
    for (auto [key, store] : {std::pair{"by_education", &s.m_by_education[i]},
                              std::pair{"by_experience", &s.m_by_experience[i]}}) {
      if (!dj.contains(key) || !dj[key].is_object())
        return bad("directions." + name + "." + key + " must be an object");
      for (auto it = dj[key].begin(); it != dj[key].end(); ++it) {
        auto g = group_from(it.value(), "directions." + name + "." + key + "." + it.key());
        if (!g) return unexpected(g.error());
        (*store)[it.key()] = std::move(*g);
      }
    }
  }
  for (auto [key, claim] : {std::pair{"fresh_master_research", &s.m_fresh_master},
                            std::pair{"senior_research", &s.m_senior}}) {
    if (!j.contains(key) || !j[key].is_object()) return bad(std::string("\"") + key + "\" must be an object");
    const auto& cj = j[key];
    if (!cj.contains("mid")) return bad(std::string(key) + ".mid is missing");
    auto mid = QuantileSketch::from_json(cj["mid"]);
    if (!mid) return bad(std::string(key) + ".mid: " + mid.error());
    claim->mid = std::move(*mid);
    for (auto [name, field] : {std::pair{"below", &claim->below}, std::pair{"within", &claim->within},
                               std::pair{"above", &claim->above},
                               std::pair{"high_above", &claim->high_above}}) {
      if (!cj.contains(name) || !cj[name].is_number_unsigned())
        return bad(std::string(key) + "." + name + " must be a non-negative integer");
      *field = cj[name].get<std::uint64_t>();
    }
  }
  if (!j.contains("unparsed") || !j["unparsed"].is_array()) return bad("\"unparsed\" must be an array");
  for (const auto& u : j["unparsed"]) {
    if (!u.is_string()) return bad("\"unparsed\" must be an array of strings");
    s.m_unparsed.push_back(u.get<std::string>());
  }
  if (j.contains("unparsed_reasons")) {
    const auto& reasons = j["unparsed_reasons"];
    if (!reasons.is_object()) return bad("\"unparsed_reasons\" must be an object");
    for (auto it = reasons.begin(); it != reasons.end(); ++it) {
      if (!it.value().is_string() ||
          std::find(s.m_unparsed.begin(), s.m_unparsed.end(), it.key()) == s.m_unparsed.end())
        return bad("\"unparsed_reasons\" must map listed strings to reasons");
      s.m_unparsed_reasons[it.key()] = it.value().get<std::string>();
    }
  }
  return s;
}

}  // namespace jobmarket::aggregate
