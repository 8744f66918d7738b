// jobmarket trends: postings, shares, growth, salary medians, tag mentions and barrier drift
// per time bucket, with a ranked rising/falling list (docs/trends.md).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "analysis.hpp"
#include "db_input.hpp"
#include "command.hpp"
#include "io.hpp"
#include "options.hpp"
#include <jobmarket/aggregate/trends.hpp>
#include <jobmarket/render/escape.hpp>
#include <jobmarket/render/record.hpp>
#include <jobmarket/render/sparkline.hpp>
#include <jobmarket/render/table.hpp>

namespace jobmarket::cli {

namespace {

using aggregate::TrendsReport;
using classify::Direction;

constexpr std::int64_t kMaxTopTags = 1000;

struct TrendsArgs {
  InputArgs input;
  AnalysisArgs analysis;
  std::string bucket = "month";
  std::size_t window = 3;
  std::size_t top_tags = 12;
  std::string format = "auto";
  std::string output = "-";
  std::string color = "auto";
};

std::string pct(const std::optional<double>& v) { return v ? fmt::format("{:.1f}%", *v * 100) : "-"; }
std::string signed_pct(const std::optional<double>& v) {
  return v ? fmt::format("{:+.1f}%", *v * 100) : "-";
}
std::string money(const std::optional<double>& v) {
  return v ? render::format_number(std::round(*v)) : "-";
}

const aggregate::SeriesPoint& point(const TrendsReport& r, std::size_t bucket, Direction d) {
  return r.series[bucket * 3 + static_cast<std::size_t>(d)];
}

// The human view: one row per bucket, then one sparkline per series, then the rankings.
std::string to_text(const TrendsReport& r, const std::string& currency, std::size_t top_tags,
                    const render::Style& style) {
  std::string out;
  const std::string size(aggregate::bucket_size_name(r.options.bucket));
  if (r.buckets.empty()) {
    out += fmt::format("No postings with a {}-level date.\n", size);
  } else {
    render::Table t;
    t.title = fmt::format("Postings per {} ({} dated, {} .. {})", size, r.dated,
                          aggregate::bucket_key(r.buckets.front()), aggregate::bucket_key(r.buckets.back()));
    t.columns = {"bucket", "research", "engineering", "other", "research share", "AI growth",
                 "research median", "engineering median", "master+ (AI)"};
    t.align = {render::Align::left};
    t.align.resize(t.columns.size(), render::Align::right);
    std::optional<std::uint64_t> prev_ai;
    for (std::size_t i = 0; i < r.buckets.size(); ++i) {
      const auto& res = point(r, i, Direction::research);
      const auto& eng = point(r, i, Direction::engineering);
      const auto& oth = point(r, i, Direction::other);
      const std::uint64_t ai = res.postings + eng.postings;
      std::optional<double> growth;
      if (prev_ai && *prev_ai >= r.options.min_sample && *prev_ai > 0)
        growth = (static_cast<double>(ai) - static_cast<double>(*prev_ai)) / static_cast<double>(*prev_ai);
      prev_ai = ai;
      const auto& dr = r.barrier_drift[i * 3], &de = r.barrier_drift[i * 3 + 1];
      const std::uint64_t ai_master = dr.master_or_above + de.master_or_above;
      std::optional<double> master;
      if (ai > 0) master = static_cast<double>(ai_master) / static_cast<double>(ai);
      t.rows.push_back({aggregate::bucket_key(r.buckets[i]) + (r.partial[i] ? " *" : ""),
                        std::to_string(res.postings), std::to_string(eng.postings), std::to_string(oth.postings),
                        pct(res.share), signed_pct(growth), money(res.median_salary), money(eng.median_salary),
                        pct(master)});
    }
    t.note = fmt::format(
        "* partial bucket. Growth and medians need {} postings (--min-sample); salaries are annual {}.",
        r.options.min_sample, currency);
    out += render::to_text(t, style) + "\n";

    render::Table s;
    s.title = "Series";
    s.columns = {"series", "chart", "first", "last", "max"};
    s.align = {render::Align::left, render::Align::left, render::Align::right, render::Align::right,
               render::Align::right};
    auto add_counts = [&](const std::string& name, const std::vector<double>& v) {
      const double mx = v.empty() ? 0 : *std::max_element(v.begin(), v.end());
      s.rows.push_back({name, render::sparkline(v), render::format_number(v.front()),
                        render::format_number(v.back()), render::format_number(mx)});
    };
    auto add_shares = [&](const std::string& name, const std::vector<std::optional<double>>& v) {
      std::optional<double> mx;
      for (const auto& x : v)
        if (x && (!mx || *x > *mx)) mx = x;
      s.rows.push_back({name, render::sparkline(v), pct(v.front()), pct(v.back()), pct(mx)});
    };
    for (Direction d : {Direction::research, Direction::engineering, Direction::other}) {
      std::vector<double> v;
      for (std::size_t i = 0; i < r.buckets.size(); ++i) v.push_back(static_cast<double>(point(r, i, d).postings));
      add_counts(fmt::format("{} postings", d == Direction::research      ? "research"
                                            : d == Direction::engineering ? "engineering"
                                                                          : "other"),
                 v);
    }
    {
      std::vector<std::optional<double>> v;
      for (std::size_t i = 0; i < r.buckets.size(); ++i) v.push_back(point(r, i, Direction::research).share);
      add_shares("research share of AI", v);
    }
    for (Direction d : {Direction::research, Direction::engineering}) {
      std::vector<std::optional<double>> v;
      for (std::size_t i = 0; i < r.buckets.size(); ++i)
        v.push_back(r.barrier_drift[i * 3 + static_cast<std::size_t>(d)].share);
      add_shares(d == Direction::research ? "master+ in research" : "master+ in engineering", v);
    }
    // The most mentioned tags, by total mentions (ties by name).
    std::vector<std::pair<std::uint64_t, const aggregate::TagSeries*>> ranked;
    for (const auto& ts : r.tags) {
      std::uint64_t total = 0;
      for (const auto& p : ts.points) total += p.mentions;
      ranked.emplace_back(total, &ts);
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    if (ranked.size() > top_tags) ranked.resize(top_tags);
    for (const auto& [total, ts] : ranked) {
      std::vector<std::optional<double>> v;
      for (const auto& p : ts->points) v.push_back(p.share);
      add_shares(fmt::format("tag {} ({})", ts->tag, total), v);
    }
    s.note = "chart: one block per bucket, scaled from 0 to the series maximum; blank = no postings";
    out += render::to_text(s, style) + "\n";

    if (r.window > 0) {
      const std::size_t k = r.buckets.size();
      auto range = [&](std::size_t from, std::size_t to) {
        return from == to ? aggregate::bucket_key(r.buckets[from])
                          : aggregate::bucket_key(r.buckets[from]) + ".." + aggregate::bucket_key(r.buckets[to]);
      };
      const std::string before = range(k - 2 * r.window, k - r.window - 1), recent = range(k - r.window, k - 1);
      for (const auto* list : {&r.rising, &r.falling}) {
        render::Table rt;
        rt.title = fmt::format("{} tags: {} vs {}", list == &r.rising ? "Rising" : "Falling", recent, before);
        rt.columns = {"tag", "before", "recent", "change"};
        rt.align = {render::Align::left, render::Align::right, render::Align::right, render::Align::right};
        for (const auto& tt : *list)
          rt.rows.push_back({tt.tag,
                             fmt::format("{}/{} = {}", tt.before_mentions, tt.before_postings, pct(tt.before_share)),
                             fmt::format("{}/{} = {}", tt.recent_mentions, tt.recent_postings, pct(tt.recent_share)),
                             fmt::format("{:+.1f} pp", tt.change * 100)});
        if (rt.rows.empty())
          rt.note = fmt::format("none with at least {} postings on each side and {} mentions (--min-sample)",
                                r.options.min_sample, r.options.min_sample);
        out += render::to_text(rt, style) + "\n";
      }
    } else {
      out += "Rising/falling: fewer than 2 buckets, nothing compared.\n\n";
    }
  }

  std::vector<std::string> notes;
  for (const auto& c : r.coarse)
    notes.push_back(fmt::format("{} postings dated only {} (not spread over {}s)",
                                c.postings[0] + c.postings[1] + c.postings[2], c.period, size));
  if (r.undated) notes.push_back(fmt::format("{} postings without a date", r.undated));
  if (r.unparsed_dates) {
    std::string ex;
    for (const auto& e : r.unparsed_examples) ex += (ex.empty() ? "" : ", ") + fmt::format("'{}'", e);
    notes.push_back(fmt::format("{} dates not understood: {}", r.unparsed_dates, ex));
  }
  if (r.filtered_out) notes.push_back(fmt::format("{} postings outside --since/--until", r.filtered_out));
  for (const auto& n : notes) out += "note: " + render::visible(n) + "\n";  // dates quote the input
  return out;
}

int run_trends(const TrendsArgs& a, const Globals& g) {
  check_db_input(a.input);
  auto setup = build_analysis(a.analysis, /*evidence=*/false);
  aggregate::TrendsOptions topt;
  topt.bucket = *aggregate::bucket_size_from_name(a.bucket);
  topt.min_sample = setup.min_sample;
  topt.window = a.window;
  topt.range = setup.range;
  aggregate::Trends trends(topt);
  Output out(a.output);
  std::uint64_t relative = 0;
  std::string first_relative;
  auto add = [&](const pipeline::Analysis& an) {
    std::optional<double> mid;
    if (an.salary.salary) {
      auto annual = extract::annualize(*an.salary.salary, setup.conventions, *setup.fx, setup.currency);
      if (annual && !annual->outlier) mid = annual->mid;
    }
    if (an.unparsed_date) {
      trends.add_unparsed_date(*an.unparsed_date);
      // A relative age without --as-of is the user's fix to make, not bad data: say so.
      auto why = extract::parse_date(*an.unparsed_date, setup.dates);
      if (!why && why.error().starts_with("relative date")) {
        if (relative == 0) first_relative = *an.unparsed_date;
        ++relative;
      }
    }
    trends.add(an.posted, an.classification.direction, an.classification.tags, mid,
               an.barriers.min_education >= extract::Education::master);
  };
  auto run = a.input.db.empty() ? run_analysis(a.input, setup, g, add) : run_store(a.input.db, setup, g, add);
  trends.add_filtered_out(run.filtered_out);
  std::string format = a.format;
  if (format == "auto") format = out.is_tty() ? "table" : "json";
  const auto report = trends.report();
  if (format == "json") {
    auto j = aggregate::to_json(report);
    j["dedup"] = dedup_json(run, setup);
    out.write(j.dump(2) + "\n");
  } else {
    render::Style style{use_color(a.color, out.is_tty())};
    out.write(to_text(report, setup.currency, a.top_tags, style) + dedup_note(run, setup));
  }
  out.commit();
  if (relative > 0 && !g.quiet)
    fmt::print(stderr, "jobmarket: warning: {} relative dates (first: '{}') need a reference date: pass --as-of YYYY-MM-DD\n",
               relative, render::visible(first_relative));
  print_summary_line(run, g);
  return run.exit_code;
}

}  // namespace

Run setup_trends(CLI::App& app) {
  auto a = std::make_shared<TrendsArgs>();
  add_input_options(app, a->input);
  add_db_input_option(app, a->input);
  add_analysis_options(app, a->analysis);
  add_dedup_options(app, a->analysis, dedup::Mode::near);
  app.add_option("--bucket", a->bucket, "Time buckets: week (ISO), month, quarter or year")
      ->check(CLI::IsMember({"week", "month", "quarter", "year"}))
      ->default_str("month");
  app.add_option("--window", a->window, "Rising/falling: last N buckets against the N before")
      ->check(in_range(1, aggregate::kMaxTrendWindow))
      ->default_str("3");
  app.add_option("--top-tags", a->top_tags, "Tag sparklines shown in the table view")
      ->check(in_range(0, kMaxTopTags))
      ->default_str("12");
  app.add_option("-f,--format", a->format, "Output: table (default on a terminal) or json (default in a pipe)")
      ->check(CLI::IsMember({"auto", "table", "json"}));
  app.add_option("-o,--output", a->output, "Write to FILE atomically instead of stdout");
  app.add_option("--color", a->color, "Color: auto|always|never (auto honors NO_COLOR)")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  on_parsed(app, [a] {
    check_input_args(a->input);
    auto inputs = input_files(a->input);
    for (auto& f : check_analysis_args(a->analysis)) inputs.push_back(std::move(f));
    claim_files(inputs, {{"-o", a->output}});
  });
  return [a](const Globals& g) { return run_trends(*a, g); };
}

}  // namespace jobmarket::cli
