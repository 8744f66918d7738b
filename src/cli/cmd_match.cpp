// jobmarket match: a job seeker's profile checked against every posting's stated
// barriers; per direction, the share of postings it meets and what it misses most often.
#include <fmt/format.h>

#include "analysis.hpp"
#include "command.hpp"
#include "io.hpp"
#include "options.hpp"
#include <jobmarket/aggregate/profile_match.hpp>
#include <jobmarket/render/table.hpp>

namespace jobmarket::cli {

namespace {

struct MatchArgs {
  InputArgs input;
  AnalysisArgs analysis;
  std::string degree = "none";
  std::vector<std::string> school_tiers;
  std::vector<std::string> majors;
  int papers = 0;
  int years = 0;
  bool english = false;
  bool portfolio = false;
  std::string format = "auto";
  std::string output = "-";
};

std::string to_text(const nlohmann::ordered_json& j) {
  render::Table t;
  t.title = "Postings whose stated requirements the profile meets";
  t.columns = {"direction", "postings", "meets", "share", "with preferred", "missed most often"};
  t.align = {render::Align::left, render::Align::right, render::Align::right, render::Align::right,
             render::Align::right, render::Align::left};
  for (const char* d : {"research", "engineering", "other"}) {
    const auto& dj = j["directions"][d];
    std::string missed;
    std::size_t shown = 0;
    for (const auto& m : dj["missed"]) {
      if (shown++ == 3) break;
      missed += fmt::format("{}{} {}", missed.empty() ? "" : ", ", m["requirement"].get<std::string>(),
                            m["count"].get<std::uint64_t>());
    }
    t.rows.push_back({d, std::to_string(dj["postings"].get<std::uint64_t>()),
                      std::to_string(dj["meets"]["count"].get<std::uint64_t>()),
                      fmt::format("{:.1f}%", dj["meets"]["share"].get<double>() * 100),
                      fmt::format("{:.1f}%", dj["meets_including_preferred"]["share"].get<double>() * 100),
                      missed});
  }
  std::string out = render::to_text(t) + "\n";
  render::Table why;
  why.title = "Why postings are missed";
  why.columns = {"direction", "requirement", "postings", "reason", "count"};
  why.align = {render::Align::left, render::Align::left, render::Align::right, render::Align::left,
               render::Align::right};
  for (const char* d : {"research", "engineering", "other"})
    for (const auto& m : j["directions"][d]["missed"])
      for (const auto& [reason, n] : m["why"].items())
        why.rows.push_back({d, m["requirement"].get<std::string>(), std::to_string(m["count"].get<std::uint64_t>()),
                            reason, std::to_string(n.get<std::uint64_t>())});
  out += render::to_text(why);
  return out;
}

int run_match(const MatchArgs& a, const Globals& g) {
  auto profile = aggregate::make_profile(a.degree, a.school_tiers, a.majors, a.papers, a.years, a.english,
                                         a.portfolio);
  if (!profile) throw UsageError{profile.error()};
  auto setup = build_analysis(a.analysis, /*evidence=*/false);
  Output out(a.output);
  aggregate::ProfileMatch match(*profile);
  auto run = run_analysis(a.input, setup, g, [&](const pipeline::Analysis& an) {
    match.add(an.classification.direction, an.barriers);
  });
  auto j = match.to_json();
  j["dedup"] = dedup_json(run, setup);
  std::string format = a.format;
  if (format == "auto") format = out.is_tty() ? "table" : "json";
  out.write(format == "json" ? j.dump(2) + "\n" : to_text(j) + dedup_note(run, setup));
  out.commit();
  print_summary_line(run, g);
  return run.exit_code;
}

}  // namespace

// Declared in command.hpp once registered in commands.cpp.
Run setup_match(CLI::App& app);

Run setup_match(CLI::App& app) {
  auto a = std::make_shared<MatchArgs>();
  add_input_options(app, a->input);
  add_analysis_options(app, a->analysis);
  add_dedup_options(app, a->analysis, dedup::Mode::near);
  app.add_option("--degree", a->degree, "Highest degree: none, associate, bachelor, master, phd")
      ->check(CLI::IsMember({"none", "associate", "bachelor", "master", "phd"}));
  app.add_option("--school-tier", a->school_tiers,
                 "School tier(s): 985, 211, double_first_class, qs_top, top_generic (985 implies 211...)")
      ->check(CLI::IsMember({"985", "211", "double_first_class", "qs_top", "top_generic"}));
  app.add_option("--major", a->majors, "Major(s): cs, math, stats, ee, physics, other")
      ->check(CLI::IsMember({"cs", "math", "stats", "ee", "physics", "other"}));
  app.add_option("--papers", a->papers, "Top-venue papers published")->check(in_range(0, 1000));
  app.add_option("--years", a->years, "Years of work experience")->check(in_range(0, 80));
  app.add_flag("--english", a->english, "Working English (CET-6, fluent)");
  app.add_flag("--portfolio", a->portfolio, "A public portfolio (GitHub, Kaggle, open-source work)");
  app.add_option("-f,--format", a->format, "Output: table (default on a terminal) or json (default in a pipe)")
      ->check(CLI::IsMember({"auto", "table", "json"}));
  app.add_option("-o,--output", a->output, "Write to FILE atomically instead of stdout");
  on_parsed(app, [a] {
    check_input_args(a->input);
    auto inputs = input_files(a->input);
    for (auto& f : check_analysis_args(a->analysis)) inputs.push_back(std::move(f));
    claim_files(inputs, {{"-o", a->output}});
  });
  return [a](const Globals& g) { return run_match(*a, g); };
}

}  // namespace jobmarket::cli
