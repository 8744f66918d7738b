// jobmarket merge PART.json...: one report from partial reports (`report --partial`) of
// the inputs (or of byte ranges of them, `report --range`), made by separate processes or machines. The result equals the report
// of all inputs read in one run, in the order the parts are given.
#include <fmt/format.h>

#include <filesystem>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "command.hpp"
#include "io.hpp"
#include "options.hpp"
#include "report_output.hpp"
#include <jobmarket/aggregate/report.hpp>
#include <jobmarket/aggregate/split_inputs.hpp>
#include <jobmarket/cli/app.hpp>
#include <jobmarket/rules/rule_set.hpp>

namespace jobmarket::cli {

namespace {

struct MergeArgs {
  std::vector<std::string> parts;
  std::string format = "auto";
  std::vector<std::string> outputs;
  std::string color = "auto";
  bool partial = false;
  std::vector<std::string> plans;  // --plan: split plans whose parts are joined back
};

// The partial reports in one file: one JSON document, or one per line (NDJSON, as a
// reducer reads its mappers' output on stdin: `report --partial` writes one line).
// A part from another version may count differently (rules, parsers): make it again.
void check_made_here(const aggregate::Report& part, const std::string& where) {
  if (part.meta.version != JOBMARKET_VERSION)
    throw UsageError{fmt::format("{}: made by jobmarket {}, this is {}: make the part again with this version",
                                 where, part.meta.version, JOBMARKET_VERSION)};
  auto builtin = rules::RuleSet::builtin();
  if (builtin && part.meta.options.value("rules_file", nlohmann::ordered_json()).is_null() &&
      part.meta.rules_version != builtin->version())
    throw UsageError{fmt::format("{}: made with the built-in rules {}, these are {}: make the part again",
                                 where, part.meta.rules_version, builtin->version())};
}

// `first`: whether the file's first document becomes the merged report (its sections
// rebuilt from facts when deduplicated); the others are only merged into it.
std::vector<aggregate::Report> load_parts(const std::string& path, bool first) {
  const std::string text = read_text_file(path, kMaxPartialFileBytes);
  std::vector<std::pair<nlohmann::ordered_json, std::size_t>> docs;  // document, line
  try {
    docs.emplace_back(nlohmann::ordered_json::parse(text), 0);
  } catch (const nlohmann::json::parse_error& whole) {
    if (text.find('\n') == text.find_last_of('\n'))  // one line (or none): it is not JSON
      throw UsageError{fmt::format("{}: not JSON: {}", path, whole.what())};
    docs.clear();
    std::size_t line = 0;
    for (std::size_t at = 0; at < text.size();) {
      auto end = std::min(text.find('\n', at), text.size());
      ++line;
      const std::string_view doc(text.data() + at, end - at);
      at = end + 1;
      if (doc.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      try {
        docs.emplace_back(nlohmann::ordered_json::parse(doc), line);
      } catch (const nlohmann::json::parse_error& e) {
        throw UsageError{fmt::format("{}:{}: not JSON: {}", path, line, e.what())};
      }
    }
  }
  std::vector<aggregate::Report> parts;
  for (auto& [doc, line] : docs) {
    const std::string where = line ? fmt::format("{}:{}", path, line) : path;
    auto part = aggregate::Report::from_partial_json(doc, first && parts.empty());
    if (!part) throw UsageError{fmt::format("{}: {}", where, part.error())};
    check_made_here(*part, where);
    parts.push_back(std::move(*part));
  }
  if (parts.empty()) throw UsageError{fmt::format("{}: no partial report in it", path)};
  return parts;
}

int run_merge(const MergeArgs& a, const Globals& g) {
  // Outputs first: an unwritable path fails before the parts are read.
  ReportOutputs outputs(a.outputs, a.partial ? "json" : a.format, a.color);
  std::optional<aggregate::Report> report;
  std::size_t count = 0;
  for (const auto& path : a.parts) {
    for (auto& part : load_parts(path, !report)) {
      ++count;
      if (!report) {
        report = std::move(part);
        // The unique postings' records are only needed to write a partial again.
        report->dedup.keep_uniques = a.partial;
        if (!a.partial) {
          std::vector<std::string>().swap(report->dedup.uniques);
          std::vector<std::string>().swap(report->dedup.near);
        }
        continue;
      }
      auto ok = report->merge(part);
      if (!ok) throw UsageError{fmt::format("{}: cannot merge with {}: {}", path, a.parts.front(), ok.error())};
    }
  }
  for (const auto& path : a.plans) {
    nlohmann::ordered_json plan;
    try {
      plan = nlohmann::ordered_json::parse(read_text_file(path));
    } catch (const nlohmann::json::parse_error& e) {
      throw UsageError{fmt::format("--plan {}: not JSON: {}", path, e.what())};
    }
    auto joined = aggregate::join_split_parts(report->meta.inputs, plan);
    if (!joined) throw UsageError{fmt::format("--plan {}: {}", path, joined.error())};
    report->meta.inputs = std::move(*joined);
  }
  if (a.partial) outputs.write_partial(report->to_partial_json());
  else outputs.write(report->to_json());
  if (!g.quiet)
    fmt::print(stderr, "jobmarket: merged {} parts: {} postings from {} inputs\n", count,
               report->overview.records(), report->meta.inputs.size());
  // Rows rejected while the parts were made still count against the merged report.
  return report->overview.rejected_rows() > 0 ? kExitDataErrors : kExitOk;
}

}  // namespace

Run setup_merge(CLI::App& app) {
  auto a = std::make_shared<MergeArgs>();
  app.add_option("PART", a->parts,
                 "Partial reports (JSON) written by `jobmarket report --partial`; a file (or stdin) "
                 "may hold several, one per line")
      ->required();
  add_report_output_options(app, a->format, a->outputs, a->color);
  app.add_flag("--partial", a->partial, "Write the merged result as a partial report again (merge in a tree)");
  app.add_option("--plan", a->plans,
                 "Split plan (`jobmarket split FILE --parts N --format json`) whose parts (report "
                 "--range) are listed as the whole file again, checked against it (repeatable)")
      ->type_name("PLAN")
      ->allow_extra_args(false);  // one plan per --plan: the parts follow
  on_parsed(app, [a] {
    std::vector<NamedFile> inputs;
    for (std::size_t i = 0; i < a->parts.size(); ++i) {
      // The same part twice would count its postings twice.
      for (std::size_t j = 0; j < i; ++j)
        if (std::filesystem::path(a->parts[i]).lexically_normal() ==
                std::filesystem::path(a->parts[j]).lexically_normal() ||
            same_file(a->parts[i], a->parts[j]))
          throw UsageError{fmt::format("PART {} is given twice{}: its postings would count twice",
                                       a->parts[i],
                                       a->parts[i] == a->parts[j] ? "" : " (also as " + a->parts[j] + ")")};
      inputs.push_back({"input", a->parts[i]});
    }
    for (const auto& p : a->plans) inputs.push_back({"--plan", p});
    check_report_outputs(a->outputs, a->format, a->partial);
    std::vector<NamedFile> outputs;
    for (const auto& o : a->outputs) outputs.push_back({"-o", o});
    if (outputs.empty()) outputs.push_back({"-o", "-"});
    claim_files(inputs, outputs);
  });
  return [a](const Globals& g) { return run_merge(*a, g); };
}

}  // namespace jobmarket::cli
