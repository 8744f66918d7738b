// jobmarket report: one report for people, pipes and cron: input accounting, directions,
// salary, barriers, trends and the article's claims checked against the data.
#include <fmt/format.h>

#include "analysis.hpp"
#include "command.hpp"
#include "io.hpp"
#include <jobmarket/aggregate/article_check.hpp>
#include <jobmarket/aggregate/barrier_summary.hpp>
#include <jobmarket/aggregate/salary_summary.hpp>
#include <jobmarket/aggregate/trends.hpp>
#include <jobmarket/cli/app.hpp>
#include <jobmarket/render/report.hpp>


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
};

std::string format_for(const std::string& path, const std::string& requested) {
  auto ends = [&](const char* ext) {
    std::string e(ext);
    return path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0;
  };
  if (ends(".json")) return "json";
  if (ends(".md") || ends(".markdown")) return "markdown";
  if (ends(".html") || ends(".htm")) return "html";
  if (ends(".txt")) return "table";
  return requested == "auto" ? "json" : requested;
}

int run_report(const ReportArgs& a, const Globals& g) {
  auto setup = build_analysis(a.analysis);
  auto bucket = aggregate::bucket_size_from_name(a.bucket);
  aggregate::SalarySummary salary(
      aggregate::salary_summary_options(setup.currency, *setup.fx, setup.min_sample));
  aggregate::BarrierSummary barriers;
  aggregate::TrendsOptions topt;
  topt.bucket = *bucket;
  topt.min_sample = setup.min_sample;
  topt.window = a.window;
  topt.range = setup.range;
  aggregate::Trends trends(topt);

  // Outputs are opened (created as temporaries) before reading, so an unwritable path
  // fails fast instead of after a long run.
  std::vector<std::pair<std::unique_ptr<Output>, std::string>> outputs;
  for (const auto& path : a.outputs)
    outputs.emplace_back(std::make_unique<Output>(path), format_for(path, a.format));
  if (outputs.empty()) {
    auto out = std::make_unique<Output>("-");
    std::string f = a.format == "auto" ? (out->is_tty() ? "table" : "json") : a.format;
    outputs.emplace_back(std::move(out), f);
  }

  auto summary = run_analysis(
      a.input, setup, g,
      [&](const pipeline::Analysis& an) {
        const auto dir = an.classification.direction;
        salary.add(an, setup.conventions, *setup.fx);
        barriers.add(dir, an.barriers);
        std::optional<double> mid;
        if (an.salary.salary) {
          auto annual = extract::annualize(*an.salary.salary, setup.conventions, *setup.fx, setup.currency);
          if (annual && !annual->outlier) mid = annual->mid;
        }
        trends.add(an.posted, dir, an.classification.tags, mid,
                   an.barriers.min_education >= extract::Education::master);
        if (an.unparsed_date) trends.add_unparsed_date(*an.unparsed_date);
      },
      /*digest=*/true);

  nlohmann::ordered_json report;
  report["schema_version"] = 1;
  report["generator"] = {{"name", "jobmarket"}, {"version", JOBMARKET_VERSION}};
  report["rules_version"] = setup.rules_version;
  report["as_of"] = setup.dates.as_of ? nlohmann::ordered_json(extract::format_date(*setup.dates.as_of))
                                      : nlohmann::ordered_json(nullptr);
  auto& options = report["options"];
  options["currency"] = setup.currency;
  options["fx_table"] = {{"name", setup.fx->name()}, {"date", setup.fx->date()}};
  options["min_sample"] = setup.min_sample;
  options["bucket"] = a.bucket;
  options["window"] = a.window;
  options["since"] = a.analysis.since.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(a.analysis.since);
  options["until"] = a.analysis.until.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(a.analysis.until);
  options["date_order"] = a.analysis.date_order;
  options["rules_file"] = a.analysis.rules_file.empty() ? nlohmann::ordered_json(nullptr)
                                                        : nlohmann::ordered_json(a.analysis.rules_file);
  options["rules_mode"] = a.analysis.rules_mode;
  options["strict"] = a.input.strict;
  auto& inputs = report["inputs"] = nlohmann::ordered_json::array();
  for (const auto& f : summary.files) {
    inputs.push_back({{"file", f.file},
                      {"bytes", f.stats ? f.stats->bytes.load() : 0},
                      {"sha256", f.stats ? f.stats->sha256 : ""},
                      {"format", read::format_name(f.format)},
                      {"encoding", f.encoding}});
  }
  auto overview = summary.overview.to_json();
  overview["filtered_out"] = summary.filtered_out;
  report["overview"] = overview;
  report["salary"] = salary.to_json();
  report["barriers"] = barriers.to_json();
  report["trends"] = trends.to_json();
  report["article_check"] = aggregate::check_article(report);

  for (auto& [out, format] : outputs) {
    render::Style style{format == "table" && use_color(a.color, out->is_tty())};
    if (format == "json") out->write(report.dump(2) + "\n");
    else if (format == "markdown") out->write(render::report_markdown(report));
    else if (format == "html") out->write(render::report_html(report));
    else out->write(render::report_text(report, style));
    out->commit();
  }
  print_summary_line(summary, g);
  return summary.exit_code;
}

}  // namespace

Run setup_report(CLI::App& app) {
  auto a = std::make_shared<ReportArgs>();
  add_input_options(app, a->input);
  add_analysis_options(app, a->analysis);
  app.add_option("-f,--format", a->format,
                 "Output: table (default on a terminal), json (default in a pipe), markdown, html")
      ->check(CLI::IsMember({"auto", "table", "json", "markdown", "html"}));
  app.add_option("-o,--output", a->outputs,
                 "Write to FILE atomically (repeatable; .json .md .html .txt pick the format)")
      ->type_name("FILE");
  app.add_option("--color", a->color, "Color: auto|always|never (auto honors NO_COLOR)")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_option("--bucket", a->bucket, "Trend buckets: week|month|quarter|year")
      ->check(CLI::IsMember({"week", "month", "quarter", "year"}));
  app.add_option("--window", a->window, "Rising/falling tags: compare the last N buckets with the N before");
  return [a](const Globals& g) { return run_report(*a, g); };
}

}  // namespace jobmarket::cli
