// jobmarket merge PART.json...: one report from partial reports (`report --partial`) of
// disjoint inputs, made by separate processes or machines. The result equals the report
// of all inputs read in one run, in the order the parts are given.
#include <fmt/format.h>

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "command.hpp"
#include "io.hpp"
#include "report_output.hpp"
#include <jobmarket/aggregate/report.hpp>
#include <jobmarket/aggregate/split_inputs.hpp>
#include <jobmarket/cli/app.hpp>

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
std::vector<aggregate::Report> load_parts(const std::string& path) {
  const std::string text = read_text_file(path);
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
    auto part = aggregate::Report::from_partial_json(doc);
    if (!part) throw UsageError{fmt::format("{}{}: {}", path, line ? fmt::format(":{}", line) : "", part.error())};
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
    for (auto& part : load_parts(path)) {
      ++count;
      if (!report) {
        report = std::move(part);
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
  return [a](const Globals& g) { return run_merge(*a, g); };
}

}  // namespace jobmarket::cli
