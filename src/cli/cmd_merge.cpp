// jobmarket merge PART.json...: one report from partial reports (`report --partial`) of
// disjoint inputs, made by separate processes or machines. The result equals the report
// of all inputs read in one run, in the order the parts are given.
#include <fmt/format.h>

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

aggregate::Report load_part(const std::string& path) {
  nlohmann::ordered_json j;
  try {
    j = nlohmann::ordered_json::parse(read_text_file(path));
  } catch (const nlohmann::json::parse_error& e) {
    throw UsageError{fmt::format("{}: not JSON: {}", path, e.what())};
  }
  auto part = aggregate::Report::from_partial_json(j);
  if (!part) throw UsageError{fmt::format("{}: {}", path, part.error())};
  return std::move(*part);
}

int run_merge(const MergeArgs& a, const Globals& g) {
  // Outputs first: an unwritable path fails before the parts are read.
  ReportOutputs outputs(a.outputs, a.partial ? "json" : a.format, a.color);
  auto report = load_part(a.parts.front());
  for (std::size_t i = 1; i < a.parts.size(); ++i) {
    auto ok = report.merge(load_part(a.parts[i]));
    if (!ok) throw UsageError{fmt::format("{}: cannot merge with {}: {}", a.parts[i], a.parts.front(), ok.error())};
  }
  for (const auto& path : a.plans) {
    nlohmann::ordered_json plan;
    try {
      plan = nlohmann::ordered_json::parse(read_text_file(path));
    } catch (const nlohmann::json::parse_error& e) {
      throw UsageError{fmt::format("--plan {}: not JSON: {}", path, e.what())};
    }
    auto joined = aggregate::join_split_parts(report.meta.inputs, plan);
    if (!joined) throw UsageError{fmt::format("--plan {}: {}", path, joined.error())};
    report.meta.inputs = std::move(*joined);
  }
  if (a.partial) outputs.write_partial(report.to_partial_json());
  else outputs.write(report.to_json());
  if (!g.quiet)
    fmt::print(stderr, "jobmarket: merged {} parts: {} postings from {} inputs\n", a.parts.size(),
               report.overview.records(), report.meta.inputs.size());
  // Rows rejected while the parts were made still count against the merged report.
  return report.overview.rejected_rows() > 0 ? kExitDataErrors : kExitOk;
}

}  // namespace

Run setup_merge(CLI::App& app) {
  auto a = std::make_shared<MergeArgs>();
  app.add_option("PART", a->parts, "Partial reports (JSON) written by `jobmarket report --partial`")
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
