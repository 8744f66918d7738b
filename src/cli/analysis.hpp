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
#include <jobmarket/dedup/index.hpp>
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
  std::string default_currency;  // for salary amounts that state none
  std::string fx_file;
  std::uint64_t min_sample = 30;
  unsigned threads = 0;
  std::string dedup = "none";   // none|exact|near: the command's default until given
  std::string dedup_window;     // "" = the default window
  std::string dedup_memory;     // "" = the default budget
};
void add_analysis_options(CLI::App& app, AnalysisArgs& args);
// --min-sample at most this (a count of postings).
inline constexpr std::int64_t kMaxMinSample = 1'000'000'000;
// The analysis options' contradictions (--rules-mode replace without --rules, --since
// after --until) and dates, for the command's on_parsed check; returns the files they
// name (--rules, --fx) for claim_files(). Throws UsageError.
std::vector<NamedFile> check_analysis_args(const AnalysisArgs& args);
// --dedup (default `default_mode`), --dedup-window and --dedup-memory (docs/dedup.md).
void add_dedup_options(CLI::App& app, AnalysisArgs& args, dedup::Mode default_mode);

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
  dedup::Options dedup{dedup::Mode::none};  // a command that names duplicates sets keep_sources
};
// `evidence`: whether the run's consumers read the evidence of each finding (records do,
// the summaries do not). `full_fingerprints`: compute near-duplicate signatures whatever
// --dedup says (ingest stores them for later reports). Throws UsageError.
AnalysisSetup build_analysis(const AnalysisArgs& args, bool evidence = true, bool full_fingerprints = false);

struct RunSummary {
  aggregate::Overview overview;     // every record in range, and every reject
  std::shared_ptr<dedup::Index> index;  // deduplicating: every posting in range, as left
  std::uint64_t filtered_out = 0;   // outside --since/--until (or undated when filtering)
  std::vector<read::FileInfo> files;
  int exit_code = 0;                // from the diagnostics: 0, or 1 when rows were rejected
  bool stopped = false;             // --strict stopped at a reject
};

// Streams every input through the analyzer; calls `on_posting` (in input order, on this
// thread) for each posting inside the date range that repeats no earlier one (when
// deduplicating; every posting otherwise). Rejects are reported on stderr.
RunSummary run_analysis(const InputArgs& input, const AnalysisSetup& setup, const Globals& g,
                        const std::function<void(const pipeline::Analysis&)>& on_posting,
                        bool digest = false);
// The same with each posting rendered by `render` on the worker that analyzed it;
// `on_record` receives every posting in range (duplicates too, a.duplicate set) and that
// rendering, in input order, on this thread.
RunSummary run_analysis(const InputArgs& input, const AnalysisSetup& setup, const Globals& g,
                        const pipeline::Renderer& render,
                        const std::function<void(const pipeline::Analysis&, std::string_view)>& on_record,
                        bool digest = false);

// What a summary command's JSON says about deduplication: {"mode", "window_days",
// "postings", "unique", "exact", "near", "evicted", "unchecked"}.
nlohmann::ordered_json dedup_json(const RunSummary& s, const AnalysisSetup& setup);
// The line a summary command's table ends with when it deduplicated ("" otherwise).
std::string dedup_note(const RunSummary& s, const AnalysisSetup& setup);

// "jobmarket: 400 postings: research 80, engineering 150, other 170; 3 rows rejected"
void print_summary_line(const RunSummary& s, const Globals& g);

}  // namespace jobmarket::cli
