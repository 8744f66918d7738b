// jobmarket salary: per direction and overall, how many postings state a salary, how many
// parse, and annual quantiles in one report currency; the article's salary claim checked
// beside the data (docs/salary.md).
#include <fmt/format.h>

#include <cmath>

#include "analysis.hpp"
#include "command.hpp"
#include "io.hpp"
#include "options.hpp"
#include <jobmarket/aggregate/salary_summary.hpp>
#include <jobmarket/render/escape.hpp>
#include <jobmarket/render/record.hpp>
#include <jobmarket/render/table.hpp>

namespace jobmarket::cli {

namespace {

struct SalaryArgs {
  InputArgs input;
  AnalysisArgs analysis;
  bool show_unparsed = false;
  std::string format = "auto";
  std::string output = "-";
  std::string color = "auto";
};

std::string num(const nlohmann::ordered_json& v) {
  if (v.is_null()) return "-";
  return render::format_number(v.get<double>());
}

std::string to_text(const nlohmann::ordered_json& j, bool show_unparsed, const render::Style& style) {
  std::string out;
  render::Table t;
  t.title = fmt::format("Annual salary ({}), low / midpoint / high", j["currency"].get<std::string>());
  t.columns = {"group", "postings", "with salary", "parsed", "negotiable", "unparsed", "outliers",
               "in stats", "mid p25", "mid median", "mid p75", "low median", "high median"};
  t.align = {render::Align::left};
  t.align.resize(t.columns.size(), render::Align::right);
  auto add = [&](const std::string& name, const nlohmann::ordered_json& g) {
    const bool ins = g["insufficient"].get<bool>();
    auto stat = [&](const char* series, const char* q) {
      return ins ? std::string("insufficient") : num(g[series][q]);
    };
    t.rows.push_back({name, num(g["postings"]), num(g["with_salary"]), num(g["parsed"]),
                      num(g["negotiable"]), num(g["unparsed"]), num(g["outliers"]),
                      num(g["in_statistics"]), stat("annual_mid", "p25"), stat("annual_mid", "median"),
                      stat("annual_mid", "p75"), stat("annual_low", "median"),
                      stat("annual_high", "median")});
  };
  add("all", j["overall"]);
  for (const auto& [name, d] : j["directions"].items()) {
    add(name, d);
    for (const auto& [edu, g] : d["by_education"].items()) add("  " + name + " / " + edu, g);
    for (const auto& [band, g] : d["by_experience"].items()) add("  " + name + " / " + band + " yrs", g);
  }
  t.note = fmt::format("Statistics need {} values (--min-sample); outliers and unknown currencies are excluded.",
                       j["min_sample"].get<std::uint64_t>());
  out += render::to_text(t, style) + "\n";

  const auto& c = j["article_check"];
  render::Table a;
  a.title = "Article: " + c["claim"].get<std::string>();
  a.columns = {"check", "postings", "median midpoint", "share"};
  a.align = {render::Align::left, render::Align::right, render::Align::right, render::Align::right};
  auto share = [](const nlohmann::ordered_json& v) {
    return v.is_null() ? std::string("insufficient") : fmt::format("{:.1f}%", v.get<double>() * 100);
  };
  const auto& f = c["fresh_master_research"];
  a.rows.push_back({fmt::format("research, master+ 0-1 yrs, midpoint in {}-{}", num(c["thresholds"]["fresh_low"]),
                                num(c["thresholds"]["fresh_high"])),
                    num(f["postings"]), num(f["median_mid"]), share(f["share_mid_within"])});
  const auto& s = c["senior_research"];
  a.rows.push_back({fmt::format("research, 5+ yrs, midpoint above {}", num(c["thresholds"]["senior"])),
                    num(s["postings"]), num(s["median_mid"]), share(s["share_mid_above_senior"])});
  a.rows.push_back({"research, all", "", num(c["research_median_mid"]), ""});
  out += render::to_text(a, style) + "\n";

  const auto& u = j["unparsed"];
  if (u["total"].get<std::uint64_t>() > 0) {
    out += fmt::format("note: {} salary strings not understood{}\n", u["total"].get<std::uint64_t>(),
                       show_unparsed ? ":" : " (--show-unparsed lists them)");
    if (show_unparsed) {
      for (const auto& e : u["listed"]) {
        const auto raw = e.get<std::string>();
        const auto& why = u["reasons"];
        out += "  " + render::visible(raw) +
               (why.contains(raw) ? "  (" + why[raw].get<std::string>() + ")" : "") + "\n";
      }
      if (u["truncated"].get<bool>()) out += "  ...\n";
    }
  }
  return out;
}

int run_salary(const SalaryArgs& a, const Globals& g) {
  auto setup = build_analysis(a.analysis, /*evidence=*/false);
  auto options = aggregate::salary_summary_options(setup.currency, *setup.fx, setup.min_sample);
  aggregate::SalarySummary summary(options);
  Output out(a.output);
  auto run = run_analysis(a.input, setup, g, [&](const pipeline::Analysis& an) {
    summary.add(an, setup.conventions, *setup.fx);
  });
  std::string format = a.format;
  if (format == "auto") format = out.is_tty() ? "table" : "json";
  auto j = summary.to_json();
  j["dedup"] = dedup_json(run, setup);
  if (format == "json") {
    out.write(j.dump(2) + "\n");
  } else {
    render::Style style{use_color(a.color, out.is_tty())};
    out.write(to_text(j, a.show_unparsed, style) + dedup_note(run, setup));
  }
  out.commit();
  print_summary_line(run, g);
  return run.exit_code;
}

}  // namespace

Run setup_salary(CLI::App& app) {
  auto a = std::make_shared<SalaryArgs>();
  add_input_options(app, a->input);
  add_analysis_options(app, a->analysis);
  add_dedup_options(app, a->analysis, dedup::Mode::near);
  app.add_flag("--show-unparsed", a->show_unparsed, "List the salary strings that were not understood");
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
  return [a](const Globals& g) { return run_salary(*a, g); };
}

}  // namespace jobmarket::cli
