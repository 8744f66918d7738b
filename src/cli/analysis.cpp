#include "analysis.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
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
  app.add_option("--default-currency", a.default_currency,
                 "Currency of salary amounts that state none (default: CNY in Chinese postings, "
                 "else USD; marked inferred)")
      ->type_name("CODE");
  app.add_option("--fx", a.fx_file, "Exchange-rate table replacing the built-in one (docs/salary.md)")
      ->type_name("FILE");
  app.add_option("--min-sample", a.min_sample, "Fewer postings than this: statistics shown as insufficient")
      ->check(in_range(1, kMaxMinSample));
  app.add_option("-j,--threads", a.threads,
                 fmt::format("Analysis threads (default: one per core; at most {})", pipeline::kMaxWorkers))
      ->check(in_range(0, pipeline::kMaxWorkers));
}

std::vector<NamedFile> check_analysis_args(const AnalysisArgs& a) {
  check_rules_mode(a.rules_mode, a.rules_file);
  extract::DateOptions dates;
  dates.order = a.date_order == "dmy" ? extract::DateOrder::dmy : extract::DateOrder::mdy;
  auto date_arg = [&](const std::string& v, const char* flag) -> std::optional<extract::Date> {
    if (v.empty()) return std::nullopt;
    auto d = extract::parse_date_argument(v, dates);
    if (!d) throw UsageError{fmt::format("{} '{}': {}", flag, v, d.error())};
    return *d;
  };
  date_arg(a.as_of, "--as-of");
  auto since = date_arg(a.since, "--since"), until = date_arg(a.until, "--until");
  if (since && until && *until < *since)
    throw UsageError{fmt::format("--since {} is after --until {}: no posting can be in that range",
                                 a.since, a.until)};
  std::vector<NamedFile> files;
  if (!a.rules_file.empty()) files.push_back({"--rules", a.rules_file});
  if (!a.fx_file.empty()) files.push_back({"--fx", a.fx_file});
  return files;
}

void add_dedup_options(CLI::App& app, AnalysisArgs& a, dedup::Mode default_mode) {
  a.dedup = std::string(dedup::mode_name(default_mode));
  app.add_option("--dedup", a.dedup,
                 "Duplicates: none, exact (same title, company, location, description) or near "
                 "(also similar descriptions; docs/dedup.md)")
      ->check(CLI::IsMember({"none", "exact", "near"}))
      ->default_str(a.dedup);
  app.add_option("--dedup-window", a.dedup_window,
                 "Postings dated further apart than this are not duplicates (days: 60 or 60d; 0 to 3650)")
      ->type_name("DAYS")
      ->default_str("60d");
  app.add_option("--dedup-memory", a.dedup_memory,
                 "Memory for duplicate detection (160M, 1G; 1M to 1024G); the oldest postings are "
                 "forgotten beyond it, and counted")
      ->type_name("SIZE")
      ->default_str("160M");
}

namespace {

// "60", "60d" -> 60; 0 to 3650.
std::int32_t parse_window(const std::string& v) {
  std::string_view s = v;
  if (!s.empty() && (s.back() == 'd' || s.back() == 'D')) s.remove_suffix(1);
  std::int64_t days = -1;
  if (!s.empty() && s.size() <= 5 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    days = std::stoll(std::string(s));
  if (days < 0 || days > 3650)
    throw UsageError{fmt::format("--dedup-window '{}': expected a number of days from 0 to 3650 (60 or 60d)", v)};
  return static_cast<std::int32_t>(days);
}

// "128M", "1G", "512k", "1048576" -> bytes; 1 MiB to 1024 GiB.
std::size_t parse_memory(const std::string& v) {
  std::string_view s = v;
  std::uint64_t unit = 1;
  if (!s.empty()) {
    switch (s.back()) {
      case 'k': case 'K': unit = std::uint64_t{1} << 10; break;
      case 'm': case 'M': unit = std::uint64_t{1} << 20; break;
      case 'g': case 'G': unit = std::uint64_t{1} << 30; break;
      default: break;
    }
    if (unit != 1) s.remove_suffix(1);
  }
  std::uint64_t n = 0;
  bool ok = !s.empty() && s.size() <= 12 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (ok) n = std::stoull(std::string(s));
  const std::uint64_t bytes = n * unit;
  if (!ok || bytes < (std::uint64_t{1} << 20) || bytes > (std::uint64_t{1} << 40) || n > (std::uint64_t{1} << 40))
    throw UsageError{fmt::format("--dedup-memory '{}': expected a size from 1M to 1024G (160M, 1G)", v)};
  return static_cast<std::size_t>(bytes);
}

}  // namespace

AnalysisSetup build_analysis(const AnalysisArgs& a, bool evidence, bool full_fingerprints) {
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
  std::string default_currency = a.default_currency;
  for (auto& c : default_currency) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (!default_currency.empty() && !s.fx->has(default_currency))
    throw UsageError{fmt::format("--default-currency {}: not in the exchange-rate table {} (dated {})",
                                 a.default_currency, s.fx->name(), s.fx->date())};

  s.dedup.mode = *dedup::mode_from_name(a.dedup);
  if (s.dedup.mode == dedup::Mode::none) {
    if (!a.dedup_window.empty()) throw UsageError{"--dedup-window: has no effect with --dedup none"};
    if (!a.dedup_memory.empty()) throw UsageError{"--dedup-memory: has no effect with --dedup none"};
  }
  if (!a.dedup_window.empty()) s.dedup.window_days = parse_window(a.dedup_window);
  if (!a.dedup_memory.empty()) s.dedup.memory_bytes = parse_memory(a.dedup_memory);

  pipeline::AnalyzerConfig config;
  config.classifier = std::make_shared<classify::Classifier>(std::move(*classifier));
  config.barriers = std::make_shared<extract::BarrierExtractor>(std::move(*barriers));
  config.dates = s.dates;
  config.salary_hints.default_currency = default_currency;
  config.evidence = evidence;
  config.dedup = full_fingerprints ? dedup::Mode::near : s.dedup.mode;
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
  if (setup.dedup.mode != dedup::Mode::none) summary.index = std::make_shared<dedup::Index>(setup.dedup);
  // A canonical posting is named by its file's number and its row (Verdict::canonical).
  std::vector<std::string_view> sources;
  auto source_key = [&](const SourceRef& s) -> std::uint64_t {
    std::size_t i = sources.size();
    while (i > 0 && sources[i - 1].data() != s.file.data()) --i;
    if (i == 0) {
      sources.push_back(s.file);
      i = sources.size();
    }
    return std::uint64_t{i - 1} << 40 | s.row;
  };
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
        if (summary.index) {
          // Decided here, in input order, whatever the number of threads.
          const auto v = summary.index->add(a.fingerprint, dedup::days_of(a.posted), source_key(a.posting.source));
          a.duplicate = v.match;
          if (v.match != dedup::Match::none && setup.dedup.keep_sources)
            a.duplicate_of = SourceRef{sources[v.canonical >> 40], v.canonical & ((std::uint64_t{1} << 40) - 1), 0};
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
                      [&](const pipeline::Analysis& a, std::string_view) {
                        if (a.duplicate == dedup::Match::none) on_posting(a);
                      },
                      digest);
}

nlohmann::ordered_json dedup_json(const RunSummary& s, const AnalysisSetup& setup) {
  const auto& o = s.overview;
  const bool on = setup.dedup.mode != dedup::Mode::none;
  const auto st = s.index ? s.index->stats() : dedup::Index::Stats{};
  return {{"mode", dedup::mode_name(setup.dedup.mode)},
          {"window_days", on ? nlohmann::ordered_json(setup.dedup.window_days) : nlohmann::ordered_json(nullptr)},
          {"postings", o.records()},
          {"unique", o.unique()},
          {"exact", o.duplicates(dedup::Match::exact)},
          {"near", o.duplicates(dedup::Match::near)},
          {"evicted", st.evicted},
          {"unchecked", st.unchecked}};
}

std::string dedup_note(const RunSummary& s, const AnalysisSetup& setup) {
  if (setup.dedup.mode == dedup::Mode::none) return {};
  const auto& o = s.overview;
  return fmt::format("note: {} unique of {} postings counted ({} exact and {} near duplicates within {} days; --dedup {})\n",
                     o.unique(), o.records(), o.duplicates(dedup::Match::exact), o.duplicates(dedup::Match::near),
                     setup.dedup.window_days, dedup::mode_name(setup.dedup.mode));
}

void print_summary_line(const RunSummary& s, const Globals& g) {
  if (g.quiet) return;
  using classify::Direction;
  const auto& o = s.overview;
  std::string extra, head = fmt::format("{} postings", o.records());
  if (s.index)
    head += fmt::format(", {} unique ({} exact and {} near duplicates)", o.unique(),
                        o.duplicates(dedup::Match::exact), o.duplicates(dedup::Match::near));
  if (s.filtered_out) extra += fmt::format("; {} outside --since/--until", s.filtered_out);
  if (o.rejected_rows()) extra += fmt::format("; {} rows rejected", o.rejected_rows());
  fmt::print(stderr, "jobmarket: {}: research {}, engineering {}, other {}{}\n", head,
             o.direction_count(Direction::research), o.direction_count(Direction::engineering),
             o.direction_count(Direction::other), extra);
  if (s.index) {
    const auto st = s.index->stats();
    if (st.evicted)
      fmt::print(stderr,
                 "jobmarket: warning: duplicate detection forgot the {} oldest postings to stay within "
                 "--dedup-memory; {} postings counted as unique were not compared with them\n",
                 st.evicted, st.unchecked);
  }
}

}  // namespace jobmarket::cli
