// jobmarket merge PART.json...: one report from partial reports (`report --partial`) of
// disjoint inputs, made by separate processes or machines. The result equals the report
// of all inputs read in one run, in the order the parts are given.
#include <fmt/format.h>

#include <filesystem>

#include "command.hpp"
#include "io.hpp"
#include "options.hpp"
#include "report_output.hpp"
#include <jobmarket/aggregate/report.hpp>
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
};

// `rebuild`: the first part becomes the merged report (its sections rebuilt from facts when
// deduplicated); the others are only merged into it.
aggregate::Report load_part(const std::string& path, bool rebuild) {
  nlohmann::ordered_json j;
  try {
    j = nlohmann::ordered_json::parse(read_text_file(path));
  } catch (const nlohmann::json::parse_error& e) {
    throw UsageError{fmt::format("{}: not JSON: {}", path, e.what())};
  }
  auto part = aggregate::Report::from_partial_json(j, rebuild);
  if (!part) throw UsageError{fmt::format("{}: {}", path, part.error())};
  // A part from another version may count differently (rules, parsers): make it again.
  if (part->meta.version != JOBMARKET_VERSION)
    throw UsageError{fmt::format("{}: made by jobmarket {}, this is {}: make the part again with this version",
                                 path, part->meta.version, JOBMARKET_VERSION)};
  auto builtin = rules::RuleSet::builtin();
  if (builtin && part->meta.options.value("rules_file", nlohmann::ordered_json()).is_null() &&
      part->meta.rules_version != builtin->version())
    throw UsageError{fmt::format("{}: made with the built-in rules {}, these are {}: make the part again",
                                 path, part->meta.rules_version, builtin->version())};
  return std::move(*part);
}

int run_merge(const MergeArgs& a, const Globals& g) {
  // Outputs first: an unwritable path fails before the parts are read.
  ReportOutputs outputs(a.outputs, a.partial ? "json" : a.format, a.color);
  auto report = load_part(a.parts.front(), true);
  // The unique postings' records are only needed to write a partial again.
  report.dedup.keep_uniques = a.partial;
  if (!a.partial) {
    std::vector<std::string>().swap(report.dedup.uniques);
    std::vector<std::string>().swap(report.dedup.near);
  }
  for (std::size_t i = 1; i < a.parts.size(); ++i) {
    auto ok = report.merge(load_part(a.parts[i], false));
    if (!ok) throw UsageError{fmt::format("{}: cannot merge with {}: {}", a.parts[i], a.parts.front(), ok.error())};
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
    check_report_outputs(a->outputs, a->format, a->partial);
    std::vector<NamedFile> outputs;
    for (const auto& o : a->outputs) outputs.push_back({"-o", o});
    if (outputs.empty()) outputs.push_back({"-o", "-"});
    claim_files(inputs, outputs);
  });
  return [a](const Globals& g) { return run_merge(*a, g); };
}

}  // namespace jobmarket::cli
