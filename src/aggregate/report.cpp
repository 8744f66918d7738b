#include <jobmarket/aggregate/report.hpp>

#include <jobmarket/aggregate/article_check.hpp>

#include <fmt/format.h>

namespace jobmarket::aggregate {

namespace {

using Json = nlohmann::ordered_json;

// The first key whose values differ, "" when equal.
std::string first_difference(const Json& a, const Json& b) {
  for (const auto& [key, value] : a.items())
    if (!b.contains(key) || b.at(key) != value) return key;
  for (const auto& [key, value] : b.items())
    if (!a.contains(key)) return key;
  return {};
}

// What both forms start with: versions, options and inputs.
Json header(const ReportMeta& meta) {
  Json r;
  r["schema_version"] = kReportSchemaVersion;
  r["generator"] = {{"name", "jobmarket"}, {"version", meta.version}};
  r["rules_version"] = meta.rules_version;
  r["as_of"] = meta.as_of;
  r["options"] = meta.options;
  r["inputs"] = meta.inputs;
  return r;
}

// Every number of a partial outside the quantile sketches (which check themselves) is a
// count: a non-negative integer up to kMaxCount. Only shares (in [0, 1]) and the salary
// claim thresholds may be fractions. A negative count read as unsigned would wrap around
// to 18446744073709551611 and silently become the report's answer.
std::string bad_number(const Json& j, const std::string& path, const std::string& key) {
  if (j.is_object()) {
    if (j.contains("relative_accuracy")) return {};  // a sketch: QuantileSketch::from_json
    for (auto it = j.begin(); it != j.end(); ++it)
      if (auto e = bad_number(it.value(), path.empty() ? it.key() : path + "." + it.key(), it.key()); !e.empty())
        return e;
    return {};
  }
  if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i)
      if (auto e = bad_number(j[i], path + "[" + std::to_string(i) + "]", key); !e.empty()) return e;
    return {};
  }
  if (!j.is_number()) return {};
  if (key.starts_with("share")) {
    const double v = j.get<double>();
    return v >= 0 && v <= 1 ? "" : path + ": " + j.dump() + " is not a share (from 0 to 1)";
  }
  if (path.starts_with("salary.claim[")) return j.get<double>() >= 0 ? "" : path + ": a negative threshold";
  // Parsed text holds non-negative integers as unsigned; a report built in memory as signed.
  if ((j.is_number_unsigned() || (j.is_number_integer() && j.get<std::int64_t>() >= 0)) &&
      j.get<std::uint64_t>() <= kMaxCount)
    return {};
  return path + ": " + j.dump() + " is not a count (an integer from 0 to 2^53)";
}

// The sections count the same postings: a partial whose sections disagree was edited or
// cut, and merging it would give a report that does not add up.
std::string inconsistency(const Json& j) {
  const auto& ov = j.at("overview");
  const std::uint64_t records = ov.at("records").get<std::uint64_t>();
  std::uint64_t by_direction = 0;
  for (const char* d : {"research", "engineering", "other"}) {
    const auto& dj = ov.at("directions").at(d);
    const std::uint64_t n = dj.at("count").get<std::uint64_t>();
    by_direction += n;
    for (const auto& [tag, count] : dj.at("tags").items())
      if (count.get<std::uint64_t>() > n)
        return fmt::format("overview: tag '{}' on {} of {} {} postings", tag, count.get<std::uint64_t>(), n, d);
    const std::uint64_t barriers = j.at("barriers").at("directions").at(d).at("postings").get<std::uint64_t>();
    if (barriers != n) return fmt::format("barriers count {} {} postings, the overview {}", barriers, d, n);
  }
  if (by_direction != records)
    return fmt::format("overview: {} records but {} by direction", records, by_direction);
  const std::uint64_t salary = j.at("salary").at("overall").at("postings").get<std::uint64_t>();
  if (salary != records) return fmt::format("salary counts {} postings, the overview {}", salary, records);
  const auto& t = j.at("trends");
  std::uint64_t trends = t.at("undated").get<std::uint64_t>();
  for (const auto& b : t.at("buckets"))
    for (const auto& d : b.at("directions")) trends += d.at("postings").get<std::uint64_t>();
  for (const auto& c : t.at("coarse"))
    for (const auto& n : c.at("counts")) trends += n.get<std::uint64_t>();
  if (trends != records) return fmt::format("trends count {} postings, the overview {}", trends, records);
  return {};
}

}  // namespace

Expected<bool> Report::merge(const Report& other) {
  if (other.meta.version != meta.version)
    return unexpected("made by jobmarket " + other.meta.version + ", not " + meta.version);
  if (other.meta.rules_version != meta.rules_version)
    return unexpected("rules version " + other.meta.rules_version + ", not " + meta.rules_version);
  if (other.meta.as_of != meta.as_of)
    return unexpected("--as-of " + other.meta.as_of.dump() + ", not " + meta.as_of.dump());
  if (auto key = first_difference(meta.options, other.meta.options); !key.empty())
    return unexpected("option '" + key + "' is " + other.meta.options.value(key, Json()).dump() +
                      ", not " + meta.options.value(key, Json()).dump());
  if (overview.records() + other.overview.records() > kMaxCount ||
      overview.rejected_rows() + other.overview.rejected_rows() > kMaxCount ||
      filtered_out + other.filtered_out > kMaxCount)
    return unexpected("more than 2^53 postings together: the counts would lose precision");
  if (!salary.merge(other.salary))
    return unexpected("salary currency " + other.salary.options().currency + ", not " +
                      salary.options().currency);
  overview.merge(other.overview);
  filtered_out += other.filtered_out;
  barriers.merge(other.barriers);
  trends.merge(other.trends);
  for (const auto& input : other.meta.inputs) meta.inputs.push_back(input);
  return true;
}

Json Report::to_json() const {
  Json r = header(meta);
  auto o = overview.to_json();
  o["filtered_out"] = filtered_out;
  r["overview"] = std::move(o);
  r["salary"] = salary.to_json();
  r["barriers"] = barriers.to_json();
  r["trends"] = trends.to_json();
  r["article_check"] = check_article(r);
  return r;
}

Json Report::to_partial_json() const {
  Json r;
  r["kind"] = kPartialKind;
  r.update(header(meta));
  r["overview"] = overview.to_partial_json();
  r["filtered_out"] = filtered_out;
  r["salary"] = salary.to_partial_json();
  r["barriers"] = barriers.to_json();
  r["trends"] = trends.to_partial_json();
  return r;
}

Expected<Report> Report::from_partial_json(const Json& j) {
  if (!j.is_object() || j.value("kind", "") != kPartialKind)
    return unexpected(std::string("not a partial report (\"kind\": \"") + kPartialKind +
                      "\" missing; write one with `jobmarket report --partial`)");
  Report r;
  if (auto e = bad_number(j, "", ""); !e.empty()) return unexpected(e);
  try {
    if (!j.at("schema_version").is_number_integer() || j.at("schema_version").get<int>() != kReportSchemaVersion)
      return unexpected("schema_version " + j.at("schema_version").dump() + " is not supported (expected " +
                        std::to_string(kReportSchemaVersion) + ")");
    if (auto e = inconsistency(j); !e.empty()) return unexpected("inconsistent partial report: " + e);
    r.meta.version = j.at("generator").at("version").get<std::string>();
    r.meta.rules_version = j.at("rules_version").get<std::string>();
    r.meta.as_of = j.at("as_of");
    r.meta.options = j.at("options");
    r.meta.inputs = j.at("inputs");
    r.filtered_out = j.at("filtered_out").get<std::uint64_t>();
    auto overview = Overview::from_partial_json(j.at("overview"));
    if (!overview) return unexpected(overview.error());
    r.overview = std::move(*overview);
    auto salary = SalarySummary::from_partial_json(j.at("salary"));
    if (!salary) return unexpected("salary: " + salary.error());
    r.salary = std::move(*salary);
    auto barriers = BarrierSummary::from_json(nlohmann::json::parse(j.at("barriers").dump()));
    if (!barriers) return unexpected("barriers: " + barriers.error());
    r.barriers = std::move(*barriers);
    auto trends = Trends::from_partial_json(j.at("trends"));
    if (!trends) return unexpected("trends: " + trends.error());
    r.trends = std::move(*trends);
  } catch (const nlohmann::json::exception& e) {
    return unexpected(std::string("malformed partial report: ") + e.what());
  }
  return r;
}

}  // namespace jobmarket::aggregate
