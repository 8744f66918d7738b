// jobmarket classify / explain: one record per posting with its direction, confidence,
// tags, evidence, salary, barriers and date; `explain` prints the evidence for people.
#include <fmt/format.h>

#include "analysis.hpp"
#include "db_input.hpp"
#include "command.hpp"
#include "io.hpp"
#include "options.hpp"
#include <jobmarket/cli/app.hpp>
#include <jobmarket/render/escape.hpp>
#include <jobmarket/render/record.hpp>
#include <jobmarket/util/utf8.hpp>

namespace jobmarket::cli {

namespace {

struct ClassifyArgs {
  InputArgs input;
  AnalysisArgs analysis;
  std::string format = "auto";
  std::string output = "-";
  std::string color = "auto";
  bool explain = false;
  bool no_evidence = false;
  bool no_formula_guard = false;
};

// The first line of `s` in exactly `width` columns, control characters made visible.
std::string fit(std::string_view raw, std::size_t width) {
  auto nl = raw.find('\n');
  if (nl != std::string_view::npos) raw = raw.substr(0, nl);
  const std::string shown = render::visible(raw);
  std::string_view s = shown;
  std::string out(utf8::truncate_to_width(s, width));
  if (out.size() < s.size()) {
    out = std::string(utf8::truncate_to_width(s, width - 1)) + "…";
  }
  std::size_t w = utf8::display_width(out);
  return out + std::string(width > w ? width - w : 0, ' ');
}

std::string salary_short(const extract::SalaryResult& r) {
  if (r.unparsed) return "?" + *r.unparsed;  // shown through fit() or visible()
  if (!r.salary) return "";
  const auto& s = *r.salary;
  if (s.negotiable && !s.low) return "negotiable";
  auto num = [](double v) {
    return v >= 1000 && std::fmod(v, 1000) == 0 ? fmt::format("{}k", v / 1000) : render::format_number(v);
  };
  std::string amount = s.low && s.high && *s.low != *s.high ? num(*s.low) + "-" + num(*s.high)
                       : s.low                              ? num(*s.low)
                                                            : "";
  return fmt::format("{} {}/{}{}", amount, s.currency, extract::period_name(s.period),
                     s.months_per_year ? fmt::format("x{}", *s.months_per_year) : "");
}

// Streaming fixed-width table: a header, then one line per posting (no buffering, so it
// works on any input size).
class TableWriter {
 public:
  TableWriter(Output& out, bool color) : m_out(out), m_color(color) {}
  void header() {
    std::string h = fmt::format("{:>6}  {}  {}  {:>5}  {}  {}  {}", "row", fit("title", 34),
                                fit("direction", 11), "conf", fit("tags", 30), fit("salary", 22),
                                "education");
    m_out.write(m_color ? "\x1b[1m" + h + "\x1b[0m\n" : h + "\n");
  }
  void row(const pipeline::Analysis& a) {
    static constexpr const char* kColors[] = {"\x1b[35m", "\x1b[36m", "\x1b[2m"};
    const auto& c = a.classification;
    std::string tags;
    for (const auto& t : c.tags) tags += (tags.empty() ? "" : ",") + t;
    std::string dir = fit(classify::direction_name(c.direction), 11);
    if (m_color) dir = kColors[static_cast<int>(c.direction)] + dir + "\x1b[0m";
    m_out.write(fmt::format("{:>6}  {}  {}  {:>5.2f}  {}  {}  {}\n", a.posting.source.row,
                            fit(a.posting.title(), 34), dir, c.confidence, fit(tags, 30),
                            fit(salary_short(a.salary), 22),
                            extract::education_name(a.barriers.min_education)));
  }

 private:
  Output& m_out;
  bool m_color;
};

void write_explanation(Output& out, const pipeline::Analysis& a, const pipeline::Analyzer& analyzer,
                       classify::Classifier::Workspace& ws, normalize::NormalizedPosting& norm) {
  classify::Scores scores;
  normalize::normalize_posting(a.posting, norm);
  analyzer.classifier().classify(a.posting, norm, ws, &scores);
  const auto& c = a.classification;
  const auto& p = a.posting;
  // Everything from the input (and from a user's rule table) goes through visible().
  using render::visible;
  std::string s = fmt::format("{}:{} (row {})  {}{}\n", visible(p.source.file), p.source.line, p.source.row,
                              p.title().empty() ? "(no title)" : visible(p.title()),
                              p.get(Field::company).empty() ? "" : "  —  " + visible(p.get(Field::company)));
  s += fmt::format("  direction   {} (confidence {:.2f}; scores: research {:.2f}, engineering {:.2f}, other {:.2f})\n",
                   classify::direction_name(c.direction), c.confidence, scores.research,
                   scores.engineering, scores.other);
  std::string tags;
  for (const auto& t : c.tags) tags += (tags.empty() ? "" : ", ") + t;
  s += fmt::format("  tags        {}\n", tags.empty() ? "-" : visible(tags));
  if (!scores.tags.empty()) {
    std::string ts;
    const auto& sc = analyzer.classifier().rules().scoring();
    for (const auto& [t, v] : scores.tags)
      ts += fmt::format("{}{} {:.2f}/{}", ts.empty() ? "" : ", ", t, v,
                        render::format_number(sc.threshold_of(t)));
    s += fmt::format("  tag scores  {} (score/needed)\n", ts);
  }
  if (c.evidence.empty()) s += "  evidence    none: no rule matched\n";
  for (std::size_t i = 0; i < c.evidence.size(); ++i) {
    const auto& e = c.evidence[i];
    const auto* rule = analyzer.classifier().rules().find(e.rule);
    const double added = i < scores.evidence.size() ? scores.evidence[i] : 0.0;
    s += fmt::format("  {}{:<34} {:<5} \"{}\" {:+.2f}{}\n", i == 0 ? "evidence    " : "            ",
                     visible(e.rule), field_name(e.field), visible(e.text), added,
                     rule ? fmt::format("  [{}, weight {}; {}]", rules::rule_kind_name(rule->kind),
                                        render::format_number(rule->weight), visible(rule->source))
                          : "");
  }
  const std::string salary = salary_short(a.salary);
  s += fmt::format("  salary      {}{}\n", salary.empty() ? "-" : visible(salary),
                   a.salary.reason.empty() ? "" : fmt::format(" ({})", a.salary.reason));
  const auto& b = a.barriers;
  s += fmt::format("  barriers    education {}{}, experience {}, papers {}\n",
                   extract::education_name(b.min_education),
                   b.preferred_education ? fmt::format(" (preferred {})", extract::education_name(*b.preferred_education)) : "",
                   b.experience_years_min ? fmt::format("{}+ years", *b.experience_years_min) : "not stated",
                   extract::requirement_name(b.papers));
  s += fmt::format("  posted      {}\n", a.posted ? extract::format_date(*a.posted)
                                                  : a.unparsed_date ? "unparsed: " + visible(*a.unparsed_date) : "-");
  if (a.duplicate != dedup::Match::none)
    s += fmt::format("  duplicate   of {} row {} ({})\n", visible(a.duplicate_of.file), a.duplicate_of.row,
                     dedup::match_name(a.duplicate));
  s += "\n";
  out.write(s);
}

int run_classify(const ClassifyArgs& a, const Globals& g) {
  check_db_input(a.input);
  const bool from_db = !a.input.db.empty();
  if (from_db && a.analysis.dedup != "none")
    throw UsageError{"--dedup: not with --db (the store's postings carry the duplicate_of found at ingest)"};
  auto setup = build_analysis(a.analysis);
  setup.dedup.keep_sources = true;  // records name the posting they repeat
  const bool dedup_on = setup.dedup.mode != dedup::Mode::none || from_db;
  Output out(a.output);
  std::string format = a.format;
  if (format == "auto") format = (a.explain ? "table" : out.is_tty() ? "table" : "ndjson");
  const bool color = use_color(a.color, out.is_tty());
  render::RecordOptions ro{setup.rules_version, !a.no_evidence, dedup_on};
  TableWriter table(out, color);
  classify::Classifier::Workspace explain_ws = setup.analyzer->classifier().make_workspace();
  normalize::NormalizedPosting norm;
  std::string buf;
  bool first = true;
  if (format == "table" && !a.explain) table.header();
  if (format == "json") out.write("[");
  if (format == "csv" || format == "tsv") {
    char d = format == "csv" ? ',' : '\t';
    buf.clear();
    const auto& cols = render::record_columns();
    for (std::size_t i = 0; i < cols.size(); ++i) {
      if (i) buf += d;
      render::append_csv_cell(buf, cols[i], d, !a.no_formula_guard);
    }
    if (dedup_on) buf += d + std::string("duplicate_of");
    out.write(buf + "\n");
  }
  // JSON records are rendered by the workers (pipeline::Renderer); this thread only writes
  // them in order. Deduplicating, a record's duplicate_of is known only here, in input
  // order: this thread renders them.
  const bool json_records = !a.explain && (format == "ndjson" || format == "json");
  pipeline::Renderer render;
  if (json_records && !dedup_on) {
    render = [&ro, ndjson = format == "ndjson"](const pipeline::Analysis& an, std::string& rendered) {
      render::append_record_json(rendered, an, ro);
      if (ndjson) rendered += '\n';
    };
  }
  auto emit = [&](const pipeline::Analysis& an, std::string_view rendered) {
    if (a.explain) {
      write_explanation(out, an, *setup.analyzer, explain_ws, norm);
      return;
    }
    if (json_records) {
      if (format == "json") out.write(first ? "\n" : ",\n");
      first = false;
      if (dedup_on) {
        buf.clear();
        render::append_record_json(buf, an, ro);
        if (format == "ndjson") buf += '\n';
        out.write(buf);
      } else {
        out.write(rendered);
      }
      return;
    }
    buf.clear();
    if (format == "csv" || format == "tsv") {
      char d = format == "csv" ? ',' : '\t';
      auto row = render::record_row(an, ro);
      for (std::size_t i = 0; i < row.size(); ++i) {
        if (i) buf += d;
        render::append_csv_cell(buf, row[i], d, !a.no_formula_guard);
      }
      if (dedup_on) {
        buf += d;
        if (an.duplicate != dedup::Match::none)
          render::append_csv_cell(buf, fmt::format("{}:{}", an.duplicate_of.file, an.duplicate_of.row), d,
                                  !a.no_formula_guard);
      }
      buf += '\n';
    } else {
      table.row(an);
    }
    first = false;
    out.write(buf);
  };
  RunSummary summary;
  if (!from_db) {
    summary = run_analysis(a.input, setup, g, render, emit);
  } else {
    // Every stored posting (one record per distinct posting, not per sighting), labeled by
    // this run's rules, with the duplicate_of found at ingest.
    auto st = store::Store::open(a.input.db, {});
    if (!st) throw UsageError{st.error()};
    auto ws = setup.analyzer->make_workspace();
    pipeline::Analysis an;
    auto ok = st->for_each_posting([&](const store::StoredPosting& p) -> Expected<bool> {
      an.posting = p.posting;
      setup.analyzer->analyze(an, ws);
      an.duplicate = p.match == "exact" ? dedup::Match::exact : p.match == "near" ? dedup::Match::near : dedup::Match::none;
      an.duplicate_of = SourceRef{p.canonical_file, p.canonical_row, 0};
      summary.overview.add(an);
      emit(an, {});
      return true;
    });
    if (!ok) throw UsageError{ok.error()};
  }
  if (format == "json") out.write(first ? "]\n" : "\n]\n");
  out.commit();
  print_summary_line(summary, g);
  return summary.exit_code;
}

Run setup(CLI::App& app, bool explain) {
  auto a = std::make_shared<ClassifyArgs>();
  a->explain = explain;
  add_input_options(app, a->input);
  add_db_input_option(app, a->input);
  add_analysis_options(app, a->analysis);
  add_dedup_options(app, a->analysis, dedup::Mode::none);
  if (!explain) {
    app.add_option("-f,--format", a->format, "Output: table (default on a terminal), ndjson (default in a pipe), json, csv, tsv")
        ->check(CLI::IsMember({"auto", "table", "ndjson", "json", "csv", "tsv"}));
    app.add_flag("--explain", a->explain, "Print the evidence behind each label for people (as `jobmarket explain`)");
    app.add_flag("--no-evidence", a->no_evidence, "Leave the evidence list out of JSON records");
    app.add_flag("--no-formula-guard", a->no_formula_guard, "CSV: do not neutralize cells starting with = + - @");
  }
  app.add_option("-o,--output", a->output, "Write to FILE atomically instead of stdout");
  app.add_option("--color", a->color, "Color: auto|always|never (auto honors NO_COLOR)")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  on_parsed(app, [a, explain] {
    check_input_args(a->input);
    auto inputs = input_files(a->input);
    for (auto& f : check_analysis_args(a->analysis)) inputs.push_back(std::move(f));
    if (!explain) {
      refuse_together(a->explain, "--explain", a->format != "auto" && a->format != "table",
                      "--format " + a->format, "--explain prints text for people");
      refuse_together(a->explain, "--explain", a->no_evidence, "--no-evidence",
                      "the explanation is the evidence");
    }
    claim_files(inputs, {{"-o", a->output}});
  });
  return [a](const Globals& g) { return run_classify(*a, g); };
}

}  // namespace

Run setup_classify(CLI::App& app) { return setup(app, false); }
Run setup_explain(CLI::App& app) { return setup(app, true); }

}  // namespace jobmarket::cli
