// jobmarket report: one report for people, pipes and cron: input accounting, directions,
// salary, barriers, trends and the article's claims checked against the data.
#include <fmt/format.h>

#include "analysis.hpp"
#include "db_input.hpp"
#include "command.hpp"
#include "io.hpp"
#include "options.hpp"
#include "report_output.hpp"
#include <jobmarket/aggregate/report.hpp>
#include <jobmarket/cli/app.hpp>

namespace jobmarket::cli {

namespace {

struct ReportArgs {
  InputArgs input;
  AnalysisArgs analysis;
  std::string format = "auto";
  std::vector<std::string> outputs;
  std::string color = "auto";
  std::string bucket = "month";
  std::size_t window = 3;
  bool partial = false;
};

using Json = nlohmann::ordered_json;

int run_report(const ReportArgs& a, const Globals& g) {
  check_db_input(a.input);
  if (!a.input.db.empty() && a.partial)
    throw UsageError{"--partial: not with --db (a store is reported whole; partials are for files split across machines)"};
  auto setup = build_analysis(a.analysis, /*evidence=*/false);
  auto bucket = aggregate::bucket_size_from_name(a.bucket);
  aggregate::TrendsOptions topt;
  topt.bucket = *bucket;
  topt.min_sample = setup.min_sample;
  topt.window = a.window;
  topt.range = setup.range;
  aggregate::Report report{
      .meta = {},
      .overview = {},
      .filtered_out = 0,
      .salary = aggregate::SalarySummary(
          aggregate::salary_summary_options(setup.currency, *setup.fx, setup.min_sample)),
      .barriers = {},
      .trends = aggregate::Trends(topt),
  };

  // Outputs are opened (created as temporaries) before reading, so an unwritable path
  // fails fast instead of after a long run.
  ReportOutputs outputs(a.outputs, a.partial ? "json" : a.format, a.color);

  report.dedup.options = setup.dedup;
  report.dedup.keep_uniques = a.partial && setup.dedup.mode != dedup::Mode::none;
  auto add = [&](const pipeline::Analysis& an) { report.add(an, setup.conventions, *setup.fx); };
  RunSummary summary;
  if (a.input.db.empty()) {
    summary = run_analysis(
        a.input, setup, g, {},
        [&](const pipeline::Analysis& an, std::string_view) {
          if (an.duplicate == dedup::Match::none) add(an);
          else report.add_duplicate(an);
        },
        /*digest=*/true);
  } else {
    report.lifetime.emplace();
    summary = run_store(a.input.db, setup, g, add, &*report.lifetime);
  }
  report.dedup.index = summary.index;

  auto& meta = report.meta;
  meta.version = JOBMARKET_VERSION;
  meta.rules_version = setup.rules_version;
  meta.as_of = setup.dates.as_of ? Json(extract::format_date(*setup.dates.as_of)) : Json(nullptr);
  auto or_null = [](const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); };
  auto& options = meta.options;
  options["currency"] = setup.currency;
  options["default_currency"] = or_null(setup.analyzer->config().salary_hints.default_currency);
  options["fx_table"] = {{"name", setup.fx->name()}, {"date", setup.fx->date()}};
  options["min_sample"] = setup.min_sample;
  options["bucket"] = a.bucket;
  options["window"] = a.window;
  options["since"] = or_null(a.analysis.since);
  options["until"] = or_null(a.analysis.until);
  options["date_order"] = a.analysis.date_order;
  options["rules_file"] = or_null(a.analysis.rules_file);
  options["rules_mode"] = a.analysis.rules_mode;
  options["strict"] = a.input.strict;
  options["dedup"] = dedup::mode_name(setup.dedup.mode);
  if (setup.dedup.mode != dedup::Mode::none) {
    options["dedup_window"] = setup.dedup.window_days;
    options["dedup_memory"] = setup.dedup.memory_bytes;
  }
  // How rows were read (format and encoding are each input's, below), and the contents of
  // the tables given as files: parts made differently would not add up to one run.
  const auto read_options = to_read_options(a.input);
  options["delimiter"] = read_options.delimiter ? Json(std::string(1, *read_options.delimiter)) : Json(nullptr);
  options["header"] = read_options.header;
  options["map"] = a.input.maps;
  options["rules_sha256"] = or_null(setup.rules_sha256);
  options["fx_sha256"] = or_null(setup.fx_sha256);
  for (const auto& f : summary.files) {
    Json input = {{"file", f.file},
                  {"bytes", f.stats ? f.stats->bytes.load() : 0},
                  {"sha256", f.stats ? f.stats->sha256 : ""},
                  {"format", read::format_name(f.format)},
                  {"encoding", f.encoding}};
    // A part of the file (--range): merge --plan joins the parts back into the file.
    if (f.range) input["range"] = {{"start", f.range->start}, {"end", f.range->end}};
    meta.inputs.push_back(std::move(input));
  }
  report.overview = summary.overview;
  report.filtered_out = summary.filtered_out;

  if (a.partial) outputs.write_partial(report.to_partial_json());
  else outputs.write(report.to_json());
  print_summary_line(summary, g);
  return summary.exit_code;
}

}  // namespace

Run setup_report(CLI::App& app) {
  auto a = std::make_shared<ReportArgs>();
  add_input_options(app, a->input);
  add_db_input_option(app, a->input);
  add_analysis_options(app, a->analysis);
  add_dedup_options(app, a->analysis, dedup::Mode::near);
  add_report_output_options(app, a->format, a->outputs, a->color);
  app.add_option("--bucket", a->bucket, "Trend buckets: week|month|quarter|year")
      ->check(CLI::IsMember({"week", "month", "quarter", "year"}));
  app.add_option("--window", a->window, "Rising/falling tags: compare the last N buckets with the N before")
      ->check(in_range(1, aggregate::kMaxTrendWindow));
  app.add_flag("--partial", a->partial,
               "Write a partial report (JSON with every counter and sketch) for `jobmarket merge`: "
               "split a dataset across processes or machines, merge the parts into one report");
  on_parsed(app, [a] {
    check_input_args(a->input);
    auto inputs = input_files(a->input);
    for (auto& f : check_analysis_args(a->analysis)) inputs.push_back(std::move(f));
    check_report_outputs(a->outputs, a->format, a->partial);
    std::vector<NamedFile> outputs;
    for (const auto& o : a->outputs) outputs.push_back({"-o", o});
    if (outputs.empty()) outputs.push_back({"-o", "-"});
    claim_files(inputs, outputs);
  });
  return [a](const Globals& g) { return run_report(*a, g); };
}

}  // namespace jobmarket::cli
