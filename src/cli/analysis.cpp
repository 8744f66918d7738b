#include "analysis.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "command.hpp"
#include "progress.hpp"
#include <jobmarket/read/byte_source.hpp>
#include <jobmarket/util/embedded.hpp>

namespace jobmarket::cli {

void add_analysis_options(CLI::App& app, AnalysisArgs& a) {
  app.add_option("--rules", a.rules_file, "Classification rule table (JSON) to use with the built-in one")
      ->type_name("FILE");
  app.add_option("--rules-mode", a.rules_mode, "extend: built-in + FILE; replace: FILE only")
      ->check(CLI::IsMember({"extend", "replace"}));
  app.add_option("--as-of", a.as_of, "Reference date for relative ages ('3 days ago'); never the clock")
      ->type_name("DATE");
  app.add_option("--date-order", a.date_order, "Ambiguous numeric dates: mdy (03/01 = March 1) or dmy")
      ->check(CLI::IsMember({"mdy", "dmy"}));
  app.add_option("--since", a.since, "Only postings dated on or after DATE")->type_name("DATE");
  app.add_option("--until", a.until, "Only postings dated on or before DATE")->type_name("DATE");
  app.add_option("--currency", a.currency, "Report currency for salaries (ISO code)")->type_name("CODE");
  app.add_option("--fx", a.fx_file, "Exchange-rate table replacing the built-in one (docs/salary.md)")
      ->type_name("FILE");
  app.add_option("--min-sample", a.min_sample, "Fewer postings than this: statistics shown as insufficient");
  app.add_option("-j,--threads", a.threads, "Analysis threads (default: one per core)");
}

AnalysisSetup build_analysis(const AnalysisArgs& a, bool evidence) {
  AnalysisSetup s;
  auto builtin = rules::RuleSet::builtin();
  if (!builtin) throw UsageError{"built-in rules: " + builtin.error()};
  rules::RuleSet ruleset = *builtin;
  if (!a.rules_file.empty()) {
    const std::string text = read_text_file(a.rules_file);
    s.rules_sha256 = read::sha256_hex(text);
    auto user = rules::RuleSet::parse(text, a.rules_file);
    if (!user) throw UsageError{user.error()};
    if (a.rules_mode == "replace") {
      ruleset = *user;
    } else {
      auto merged = rules::RuleSet::extend(*builtin, *user);
      if (!merged) throw UsageError{merged.error()};
      ruleset = *merged;
    }
  }
  auto classifier = classify::Classifier::create(ruleset);
  if (!classifier) throw UsageError{classifier.error()};
  auto barriers = extract::BarrierExtractor::builtin();
  if (!barriers) throw UsageError{"built-in barrier rules: " + barriers.error()};
  s.rules_version = ruleset.version();

  s.dates.order = a.date_order == "dmy" ? extract::DateOrder::dmy : extract::DateOrder::mdy;
  auto date_arg = [&](const std::string& v, const char* flag) -> std::optional<extract::Date> {
    if (v.empty()) return std::nullopt;
    auto d = extract::parse_date_argument(v, s.dates);
    if (!d) throw UsageError{fmt::format("{} '{}': {}", flag, v, d.error())};
    return *d;
  };
  s.dates.as_of = date_arg(a.as_of, "--as-of");
  s.range.since = date_arg(a.since, "--since");
  s.range.until = date_arg(a.until, "--until");

  if (a.fx_file.empty()) {
    s.fx = std::shared_ptr<const extract::FxTable>(&extract::FxTable::builtin(), [](const auto*) {});
  } else {
    const std::string text = read_text_file(a.fx_file);
    s.fx_sha256 = read::sha256_hex(text);
    auto fx = extract::FxTable::load(text, a.fx_file);
    if (!fx) throw UsageError{fx.error()};
    s.fx = std::make_shared<extract::FxTable>(std::move(*fx));
  }
  s.currency = a.currency;
  for (auto& c : s.currency) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (!s.fx->has(s.currency))
    throw UsageError{fmt::format("--currency {}: not in the exchange-rate table {} (dated {})",
                                 a.currency, s.fx->name(), s.fx->date())};
  s.min_sample = a.min_sample;
  s.threads = a.threads;

  pipeline::AnalyzerConfig config;
  config.classifier = std::make_shared<classify::Classifier>(std::move(*classifier));
  config.barriers = std::make_shared<extract::BarrierExtractor>(std::move(*barriers));
  config.dates = s.dates;
  config.evidence = evidence;
  s.analyzer = std::make_shared<pipeline::Analyzer>(std::move(config));
  return s;
}

RunSummary run_analysis(const InputArgs& input, const AnalysisSetup& setup, const Globals& g,
                        const pipeline::Renderer& render,
                        const std::function<void(const pipeline::Analysis&, std::string_view)>& on_record,
                        bool digest) {
  auto options = to_read_options(input);
  options.digest = digest;
  auto files = input.files.empty() ? std::vector<std::string>{"-"} : input.files;
  auto opened = read::PostingReader::open(files, options);
  if (!opened) throw UsageError{opened.error()};
  auto& reader = **opened;
  RunSummary summary;
  Diagnostics diag(options.strict, g.quiet);
  const auto& first = reader.files().front();
  Progress progress(!g.quiet, first.range ? first.range->end - first.range->start : total_input_bytes(files));
  std::uint64_t rows = 0;
  pipeline::RunnerOptions ro;
  ro.workers = setup.threads;
  ro.render = render;
  pipeline::run(
      reader, setup.analyzer->worker_factory(),
      [&](pipeline::Item& item) {
        progress.tick(++rows, reader.files());
        if (auto* rej = std::get_if<read::Reject>(&item.value)) {
          summary.overview.add_reject(reason_category(rej->reason), rej->row > 0);
          if (!diag.reject(*rej)) {
            summary.stopped = true;
            return false;
          }
          return true;
        }
        auto& a = std::get<pipeline::Analysis>(item.value);
        if (!setup.range.empty() && (!a.posted || !setup.range.contains(*a.posted))) {
          ++summary.filtered_out;
          return true;
        }
        summary.overview.add(a);
        on_record(a, item.rendered);
        return true;
      },
      ro);
  progress.finish();
  summary.files = reader.files();
  diag.summary(reader.rows_read());
  summary.exit_code = diag.exit_code();
  return summary;
}

RunSummary run_analysis(const InputArgs& input, const AnalysisSetup& setup, const Globals& g,
                        const std::function<void(const pipeline::Analysis&)>& on_posting, bool digest) {
  return run_analysis(input, setup, g, {},
                      [&](const pipeline::Analysis& a, std::string_view) { on_posting(a); }, digest);
}

void print_summary_line(const RunSummary& s, const Globals& g) {
  if (g.quiet) return;
  using classify::Direction;
  const auto& o = s.overview;
  std::string extra;
  if (s.filtered_out) extra += fmt::format("; {} outside --since/--until", s.filtered_out);
  if (o.rejected_rows()) extra += fmt::format("; {} rows rejected", o.rejected_rows());
  fmt::print(stderr, "jobmarket: {} postings: research {}, engineering {}, other {}{}\n", o.records(),
             o.direction_count(Direction::research), o.direction_count(Direction::engineering),
             o.direction_count(Direction::other), extra);
}

}  // namespace jobmarket::cli
