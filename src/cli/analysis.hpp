#pragma once
// What every analyzing command shares (classify, explain, salary, barriers, trends, match,
// report): the rule, date and currency options, turned into a checked configuration before
// the first row is read, and the loop that streams postings through the pipeline.
#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "io.hpp"
#include <jobmarket/aggregate/overview.hpp>
#include <jobmarket/extract/date.hpp>
#include <jobmarket/extract/fx.hpp>
#include <jobmarket/extract/salary.hpp>
#include <jobmarket/pipeline/analyzer.hpp>
#include <jobmarket/pipeline/runner.hpp>

namespace jobmarket::cli {

struct Globals;

struct AnalysisArgs {
  std::string rules_file;
  std::string rules_mode = "extend";
  std::string as_of;
  std::string date_order = "mdy";
  std::string since, until;
  std::string currency = "CNY";
  std::string fx_file;
  std::uint64_t min_sample = 30;
  unsigned threads = 0;
};
void add_analysis_options(CLI::App& app, AnalysisArgs& args);

// The checked configuration of a run.
struct AnalysisSetup {
  std::shared_ptr<pipeline::Analyzer> analyzer;
  std::string rules_version;
  std::string rules_sha256, fx_sha256;  // of --rules and --fx files ("" for the built-in ones)
  extract::DateOptions dates;
  extract::DateRange range;
  std::string currency;
  std::shared_ptr<const extract::FxTable> fx;
  extract::SalaryConventions conventions;
  std::uint64_t min_sample = 30;
  unsigned threads = 0;
};
// `evidence`: whether the run's consumers read the evidence of each finding (records do,
// the summaries do not). Throws UsageError.
AnalysisSetup build_analysis(const AnalysisArgs& args, bool evidence = true);

struct RunSummary {
  aggregate::Overview overview;     // every record in range, and every reject
  std::uint64_t filtered_out = 0;   // outside --since/--until (or undated when filtering)
  std::vector<read::FileInfo> files;
  int exit_code = 0;                // from the diagnostics: 0, or 1 when rows were rejected
  bool stopped = false;             // --strict stopped at a reject
};

// Streams every input through the analyzer; calls `on_posting` (in input order, on this
// thread) for each posting inside the date range. Rejects are reported on stderr.
RunSummary run_analysis(const InputArgs& input, const AnalysisSetup& setup, const Globals& g,
                        const std::function<void(const pipeline::Analysis&)>& on_posting,
                        bool digest = false);
// The same with each posting rendered by `render` on the worker that analyzed it;
// `on_record` receives the analysis and that rendering, in input order, on this thread.
RunSummary run_analysis(const InputArgs& input, const AnalysisSetup& setup, const Globals& g,
                        const pipeline::Renderer& render,
                        const std::function<void(const pipeline::Analysis&, std::string_view)>& on_record,
                        bool digest = false);

// "jobmarket: 400 postings: research 80, engineering 150, other 170; 3 rows rejected"
void print_summary_line(const RunSummary& s, const Globals& g);

}  // namespace jobmarket::cli
