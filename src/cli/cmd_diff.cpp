// jobmarket diff OLD.json NEW.json: what changed between two reports (counts, shares,
// medians, claims, tags), for people or as JSON, with optional --fail-if thresholds on the
// new report for cron jobs that should alert.
#include <fmt/format.h>

#include <cmath>

#include "command.hpp"
#include "io.hpp"
#include "options.hpp"
#include <jobmarket/aggregate/report.hpp>
#include <jobmarket/cli/app.hpp>
#include <jobmarket/render/escape.hpp>
#include <jobmarket/render/json_diff.hpp>
#include <jobmarket/render/table.hpp>

namespace jobmarket::cli {

namespace {

using Json = nlohmann::ordered_json;

struct DiffArgs {
  std::string before, after;
  std::string format = "auto";
  std::vector<std::string> only;
  std::vector<std::string> fail_if;
  bool all = false;
  std::string output = "-";
  std::string color = "auto";
};

Json load_report(const std::string& path) {
  Json j;
  try {
    j = Json::parse(read_text_file(path));
  } catch (const Json::parse_error& e) {
    throw UsageError{fmt::format("{}: not JSON: {}", path, e.what())};
  }
  if (!j.is_object()) throw UsageError{fmt::format("{}: not a jobmarket report (a JSON object)", path)};
  if (j.value("kind", "") == aggregate::kPartialKind)
    throw UsageError{fmt::format("{}: a partial report; make a report from it with `jobmarket merge`", path)};
  if (!j.contains("schema_version") || !j.contains("overview"))
    throw UsageError{fmt::format("{}: not a jobmarket report (no schema_version or overview)", path)};
  if (j["schema_version"] != aggregate::kReportSchemaVersion)
    throw UsageError{fmt::format("{}: report schema_version {} is not supported (expected {})", path,
                                 j["schema_version"].dump(), aggregate::kReportSchemaVersion)};
  // The counts every change is measured against: an edited or foreign file with a
  // negative or absurd count would give deltas that mean nothing.
  const auto& ov = j["overview"];
  auto count = [&](const Json& v, const std::string& name) {
    if (!v.is_number_unsigned() || v.get<std::uint64_t>() > aggregate::kMaxCount)
      throw UsageError{fmt::format("{}: not a jobmarket report: overview.{} is {}, not a count", path, name,
                                   v.dump())};
  };
  if (!ov.is_object() || !ov.contains("directions") || !ov["directions"].is_object())
    throw UsageError{fmt::format("{}: not a jobmarket report (overview.directions missing)", path)};
  for (const char* k : {"rows", "records", "rejected_rows", "file_errors"}) count(ov.value(k, Json()), k);
  for (const auto& [name, d] : ov["directions"].items())
    count(d.is_object() ? d.value("count", Json()) : Json(), "directions." + name + ".count");
  return j;
}

bool under(const std::string& path, const std::vector<std::string>& prefixes) {
  if (prefixes.empty()) return true;
  for (const auto& p : prefixes)
    if (path == p || (path.size() > p.size() && path.compare(0, p.size(), p) == 0 && path[p.size()] == '.'))
      return true;
  return false;
}

std::string change_text(const render::Change& c) {
  if (!c.delta) return "";
  std::string s = fmt::format("{:+}", std::round(*c.delta * 10000) / 10000);
  if (c.relative) s += fmt::format(" ({:+.1f}%)", *c.relative * 100);
  return s;
}

int run_diff(const DiffArgs& a, const Globals& g) {
  Json before = load_report(a.before), after = load_report(a.after);
  // Where the inputs came from and how the report was made change every run; they are
  // not what a reader of a diff wants (--all shows them).
  std::vector<std::string> ignore;
  if (!a.all) ignore = {"generator", "inputs", "options.fx_table"};
  std::vector<render::Change> changes;
  for (auto& c : render::diff_json(before, after, ignore))
    if (under(c.path, a.only)) changes.push_back(std::move(c));

  // Conditions are checked before anything is written, so a typo is a usage error.
  std::vector<std::pair<std::string, bool>> conditions;
  for (const auto& cond : a.fail_if) {
    auto held = render::evaluate_condition(after, cond);
    if (!held) throw UsageError{held.error()};
    conditions.emplace_back(cond, *held);
  }

  Output out(a.output);
  std::string format = a.format == "auto" ? (out.is_tty() ? "table" : "json") : a.format;
  if (format == "json") {
    Json j;
    j["before"] = a.before;
    j["after"] = a.after;
    auto& rows = j["changes"] = Json::array();
    for (const auto& c : changes) {
      Json row{{"path", c.path}, {"before", c.before}, {"after", c.after}};
      row["delta"] = c.delta ? Json(*c.delta) : Json(nullptr);
      row["relative"] = c.relative ? Json(*c.relative) : Json(nullptr);
      rows.push_back(std::move(row));
    }
    auto& fails = j["fail_if"] = Json::array();
    for (const auto& [cond, held] : conditions) fails.push_back({{"condition", cond}, {"holds", held}});
    out.write(j.dump(2) + "\n");
  } else {
    render::Table t;
    t.title = fmt::format("Changes from {} to {}", a.before, a.after);
    t.columns = {"path", "before", "after", "change"};
    t.align = {render::Align::left, render::Align::right, render::Align::right, render::Align::right};
    for (const auto& c : changes) t.rows.push_back({c.path, c.before, c.after, change_text(c)});
    if (changes.empty()) t.note = "no changes";
    render::Style style{use_color(a.color, out.is_tty())};
    std::string text = render::to_text(t, style);
    for (const auto& [cond, held] : conditions)
      text += fmt::format("--fail-if '{}': {}\n", render::visible(cond), held ? "holds" : "does not hold");
    out.write(text);
  }
  out.commit();

  int code = kExitOk;
  for (const auto& [cond, held] : conditions) {
    if (!held) continue;
    if (!g.quiet)
      fmt::print(stderr, "jobmarket: --fail-if '{}' holds on {}\n", render::visible(cond), render::visible(a.after));
    code = kExitDataErrors;
  }
  return code;
}

}  // namespace

Run setup_diff(CLI::App& app) {
  auto a = std::make_shared<DiffArgs>();
  app.add_option("OLD", a->before, "The earlier report (JSON from `jobmarket report`)")->required();
  app.add_option("NEW", a->after, "The later report")->required();
  app.add_option("-f,--format", a->format, "Output: table (default on a terminal) or json (default in a pipe)")
      ->check(CLI::IsMember({"auto", "table", "json"}));
  app.add_option("--only", a->only, "Only paths under PREFIX, e.g. overview.directions (repeatable)")
      ->type_name("PREFIX");
  app.add_option("--fail-if", a->fail_if,
                 "Exit 1 when CONDITION holds on NEW: 'PATH OP NUMBER', OP one of < <= > >= == != "
                 "(repeatable; 'engineering.share < 0.5' is short for overview.directions.engineering.share)")
      ->type_name("CONDITION");
  app.add_flag("--all", a->all, "Also show changes in generator, inputs and the FX table");
  app.add_option("-o,--output", a->output, "Write to FILE (atomically) instead of stdout")->type_name("FILE");
  app.add_option("--color", a->color, "Color: auto|always|never (auto honors NO_COLOR)")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  on_parsed(app, [a] {
    // A typo in a condition is a usage error before any report is read.
    for (const auto& cond : a->fail_if)
      if (auto c = render::parse_condition(cond); !c) throw UsageError{c.error()};
    claim_files({{"OLD", a->before}, {"NEW", a->after}}, {{"-o", a->output}});
  });
  return [a](const Globals& g) { return run_diff(*a, g); };
}

}  // namespace jobmarket::cli
