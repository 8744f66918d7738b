#include <jobmarket/aggregate/report.hpp>

#include <jobmarket/aggregate/article_check.hpp>
#include <jobmarket/aggregate/split_inputs.hpp>

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
  if (auto disjoint = check_disjoint_parts(meta.inputs, other.meta.inputs); !disjoint)
    return unexpected(disjoint.error());
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
  try {
    if (j.at("schema_version").get<int>() != kReportSchemaVersion)
      return unexpected("schema_version " + j.at("schema_version").dump() + " is not supported (expected " +
                        std::to_string(kReportSchemaVersion) + ")");
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
