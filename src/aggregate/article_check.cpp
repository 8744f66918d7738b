#include <jobmarket/aggregate/article_check.hpp>

#include <jobmarket/util/json_at.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace jobmarket::aggregate {

namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kSupported = "supported";
constexpr const char* kNotSupported = "not_supported";
constexpr const char* kInsufficient = "insufficient_data";

const Json& at(const Json& j, std::initializer_list<const char*> path) { return util::json_at(j, path); }

double num(const Json& v, double fallback = 0) { return v.is_number() ? v.get<double>() : fallback; }
std::uint64_t count(const Json& v) { return v.is_number() ? v.get<std::uint64_t>() : 0; }
std::string pct(double v) { return fmt::format("{:.1f}%", v * 100); }
std::string money(double v) {
  return v >= 1e6 ? fmt::format("{:.2f}M", v / 1e6) : fmt::format("{:.0f}k", v / 1e3);
}

Json claim(const char* id, const char* article, std::string data, const char* verdict,
           std::string threshold, Json values) {
  Json c;
  c["claim"] = id;
  c["article"] = article;
  c["data"] = std::move(data);
  c["verdict"] = verdict;
  c["threshold"] = std::move(threshold);
  c["values"] = std::move(values);
  return c;
}

const Json* barrier_claim(const Json& report, const char* id) {
  const auto& claims = at(report, {"barriers", "claims"});
  if (!claims.is_array()) return nullptr;
  for (const auto& c : claims)
    if (c.value("id", "") == id) return &c;
  return nullptr;
}

// Sum of a per-bucket quantity over the last `w` complete buckets and the `w` before.
struct Windows {
  std::uint64_t before = 0, recent = 0;
  std::vector<std::string> before_buckets, recent_buckets;
  bool ok = false;
};

Windows compare_windows(const std::vector<std::pair<std::string, std::uint64_t>>& points, std::size_t w) {
  Windows r;
  if (w == 0 || points.size() < 2 * w) return r;
  std::size_t n = points.size();
  for (std::size_t i = n - 2 * w; i < n - w; ++i) {
    r.before += points[i].second;
    r.before_buckets.push_back(points[i].first);
  }
  for (std::size_t i = n - w; i < n; ++i) {
    r.recent += points[i].second;
    r.recent_buckets.push_back(points[i].first);
  }
  r.ok = true;
  return r;
}

std::size_t window_size(const Json& trends, std::size_t complete_buckets) {
  std::size_t w = 3;
  const auto& win = trends["window"];
  if (win.is_object() && win.contains("buckets") && win["buckets"].is_number())
    w = win["buckets"].get<std::size_t>();
  return std::min(w, complete_buckets / 2);
}

}  // namespace

Json check_article(const Json& report) {
  Json out = Json::array();
  const std::uint64_t min_sample = count(at(report, {"options", "min_sample"})) ? count(at(report, {"options", "min_sample"})) : 30;
  const auto& ov = report["overview"];
  const std::uint64_t research = count(at(ov, {"directions", "research", "count"}));
  const std::uint64_t engineering = count(at(ov, {"directions", "engineering", "count"}));
  const std::uint64_t ai = research + engineering;

  // 1. Two directions, engineering the larger.
  {
    const char* verdict = kInsufficient;
    double r_share = ai ? static_cast<double>(research) / static_cast<double>(ai) : 0;
    if (ai >= min_sample)
      verdict = (r_share >= 0.10 && r_share <= 0.90 && engineering > research) ? kSupported : kNotSupported;
    out.push_back(claim(
        "two_directions",
        "AI large-model roles have converged into two directions, algorithm research and engineering & "
        "deployment; engineering is where most practitioners work",
        fmt::format("{} AI postings: research {} ({}), engineering {} ({})", ai, research, pct(r_share),
                    engineering, pct(ai ? 1 - r_share : 0)),
        verdict,
        fmt::format("supported when at least {} AI postings, each direction holds at least 10% of them and "
                    "engineering outnumbers research",
                    min_sample),
        {{"ai_postings", ai}, {"research", research}, {"engineering", engineering}}));
  }

  // 2. Research barriers: master's or higher, papers (schools and majors shown beside).
  {
    const Json* master = barrier_claim(report, "research_master_or_higher");
    const Json* papers = barrier_claim(report, "research_papers");
    const Json* school = barrier_claim(report, "research_top_school");
    const Json* major = barrier_claim(report, "research_cs_or_math");
    const char* verdict = kInsufficient;
    std::string data = "no barrier data";
    Json values = Json::object();
    if (master && papers) {
      double m = num((*master)["share"]), p = num((*papers)["share"]);
      std::uint64_t md = count((*master)["denominator"]), pd = count((*papers)["denominator"]);
      if (md >= min_sample && pd >= min_sample) verdict = (m >= 0.5 && p >= 0.3) ? kSupported : kNotSupported;
      data = fmt::format("master's or higher: {} of {} research postings stating education; papers asked: {} of {}",
                         pct(m), md, pct(p), pd);
      values = {{"master_or_higher_share", m}, {"master_denominator", md}, {"papers_share", p},
                {"papers_denominator", pd}};
      if (school) {
        data += fmt::format("; top-tier school: {}", pct(num((*school)["share"])));
        values["top_school_share"] = num((*school)["share"]);
      }
      if (major) {
        data += fmt::format("; CS or math named: {}", pct(num((*major)["share"])));
        values["cs_or_math_share"] = num((*major)["share"]);
      }
    }
    out.push_back(claim("research_barriers",
                        "Research requires a master's from a top-tier (985) school, a CS or math major and "
                        "top-conference papers",
                        data, verdict,
                        fmt::format("supported when, over at least {} research postings, at least 50% require a "
                                    "master's or higher and at least 30% ask for papers",
                                    min_sample),
                        values));
  }

  // 3. Engineering accepts a bachelor's.
  {
    const Json* bach = barrier_claim(report, "engineering_bachelor_accepted");
    const char* verdict = kInsufficient;
    std::string data = "no barrier data";
    Json values = Json::object();
    if (bach) {
      double s = num((*bach)["share"]);
      std::uint64_t d = count((*bach)["denominator"]);
      if (d >= min_sample) verdict = s >= 0.6 ? kSupported : kNotSupported;
      data = fmt::format("{} of {} engineering postings stating education accept a bachelor's or less", pct(s), d);
      values = {{"share", s}, {"denominator", d}};
    }
    out.push_back(claim("engineering_barriers", "Engineering & deployment is open with a bachelor's degree", data,
                        verdict,
                        fmt::format("supported when at least 60% of at least {} engineering postings that state "
                                    "an education accept a bachelor's",
                                    min_sample),
                        values));
  }

  // 4. Salary levels.
  {
    const auto& sal = report["salary"];
    const auto& rj = at(sal, {"directions", "research"});
    const auto& ej = at(sal, {"directions", "engineering"});
    const auto& check = sal["article_check"];
    std::string currency = sal.value("currency", "CNY");
    const char* verdict = kInsufficient;
    std::string data = "not enough salaries";
    Json values = Json::object();
    bool r_ok = rj.is_object() && !rj.value("insufficient", true);
    bool e_ok = ej.is_object() && !ej.value("insufficient", true);
    if (r_ok && e_ok) {
      double rm = num(at(rj, {"annual_mid", "median"})), em = num(at(ej, {"annual_mid", "median"}));
      values = {{"research_median", rm}, {"engineering_median", em}};
      data = fmt::format("median annual pay: research {} {}, engineering {} {}", money(rm), currency, money(em),
                         currency);
      bool ranked = rm > em;
      const auto& fresh = check["fresh_master_research"];
      double lo = num(at(check, {"thresholds", "fresh_low"}), 400000), hi = num(at(check, {"thresholds", "fresh_high"}), 600000);
      if (fresh.is_object() && !fresh.value("insufficient", true)) {
        double fm = num(fresh["median_mid"]);
        values["fresh_master_median"] = fm;
        data += fmt::format("; fresh master's in research: median {} (article: {}-{})", money(fm), money(lo), money(hi));
        verdict = ranked && fm >= lo && fm <= hi * 1.25 ? kSupported : kNotSupported;
      } else {
        data += "; too few fresh master's research postings with pay to check the 400k-600k range";
        verdict = ranked ? kSupported : kNotSupported;
      }
    }
    out.push_back(claim("salary_levels",
                        "Research pays best: fresh master's 400k-600k RMB a year, seniors over 1M",
                        data, verdict,
                        "supported when the research median annual midpoint is above engineering's and, if "
                        "measurable, the fresh master's research median lies in the article's range (up to 25% above)",
                        values));
  }

  // 5. Engineering demand grows; 6. frontier topics rise. Both compare the last complete
  // buckets with the ones before (partial first/last buckets left out).
  const auto& trends = report["trends"];
  std::vector<std::string> complete;
  std::vector<std::pair<std::string, std::uint64_t>> eng_points, all_points;
  if (trends["series"].is_array()) {
    for (const auto& p : trends["series"]) {
      if (p.value("partial", false)) continue;
      std::string bucket = p.value("bucket", "");
      if (all_points.empty() || all_points.back().first != bucket) all_points.emplace_back(bucket, 0);
      all_points.back().second += count(p["postings"]);
      if (p.value("direction", "") == "engineering") {
        eng_points.emplace_back(bucket, count(p["postings"]));
        complete.push_back(bucket);
      }
    }
  }
  const std::size_t w = window_size(trends, eng_points.size());
  {
    auto win = compare_windows(eng_points, w);
    const char* verdict = kInsufficient;
    std::string data = "not enough dated postings";
    Json values = Json::object();
    if (win.ok) {
      data = fmt::format("engineering postings: {} in {}..{}, {} in {}..{}", win.before, win.before_buckets.front(),
                         win.before_buckets.back(), win.recent, win.recent_buckets.front(), win.recent_buckets.back());
      values = {{"before", win.before}, {"recent", win.recent}, {"buckets_per_window", w}};
      if (win.before >= min_sample && win.recent >= min_sample) verdict = win.recent > win.before ? kSupported : kNotSupported;
    }
    out.push_back(claim("engineering_demand_growing", "Demand for engineering & deployment keeps growing", data,
                        verdict,
                        fmt::format("supported when engineering postings in the last {} complete buckets exceed the "
                                    "{} before, each side with at least {} postings",
                                    w, w, min_sample),
                        values));
  }
  {
    // The denominators are all postings of the windows, whether or not the topics appear.
    std::uint64_t before_m = 0, before_p = 0, recent_m = 0, recent_p = 0;
    if (auto wp = compare_windows(all_points, w); wp.ok && w > 0) {
      before_p = wp.before;
      recent_p = wp.recent;
    }
    if (trends["tags"].is_array() && w > 0) {
      for (const auto& t : trends["tags"]) {
        std::string tag = t.value("tag", "");
        if (tag != "embodied_ai" && tag != "world_model") continue;
        std::vector<std::pair<std::string, std::uint64_t>> m;
        for (const auto& pt : t["series"]) {
          std::string b = pt.value("bucket", "");
          if (std::find(complete.begin(), complete.end(), b) == complete.end()) continue;
          m.emplace_back(b, count(pt["mentions"]));
        }
        auto wm = compare_windows(m, w);
        if (!wm.ok) continue;
        before_m += wm.before;
        recent_m += wm.recent;
      }
    }
    const char* verdict = kInsufficient;
    double bs = before_p ? static_cast<double>(before_m) / static_cast<double>(before_p) : 0;
    double rs = recent_p ? static_cast<double>(recent_m) / static_cast<double>(recent_p) : 0;
    if (before_p >= min_sample && recent_p >= min_sample && before_m + recent_m >= 10)
      verdict = rs > bs ? kSupported : kNotSupported;
    out.push_back(claim("frontier_topics_rising",
                        "Research moves from AIGC toward embodied AI and world models",
                        fmt::format("embodied AI or world model mentions: {} of {} postings ({}) before, {} of {} "
                                    "({}) in the last {} buckets",
                                    before_m, before_p, pct(bs), recent_m, recent_p, pct(rs), w),
                        verdict,
                        fmt::format("supported when their share of postings rises between the two windows, each "
                                    "with at least {} postings and 10 mentions in all",
                                    min_sample),
                        {{"before_mentions", before_m}, {"before_postings", before_p},
                         {"recent_mentions", recent_m}, {"recent_postings", recent_p}}));
  }
  return out;
}

}  // namespace jobmarket::aggregate
