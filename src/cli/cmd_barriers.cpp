// jobmarket barriers: per direction, the distribution of each entry barrier (education,
// school tier, major, papers, experience, English, portfolio) and the article's claims
// side by side with the share of postings meeting each (docs/barriers.md).
#include <fmt/format.h>

#include "analysis.hpp"
#include "command.hpp"
#include "io.hpp"
#include "options.hpp"
#include <jobmarket/aggregate/barrier_summary.hpp>
#include <jobmarket/render/table.hpp>

namespace jobmarket::cli {

namespace {

struct BarriersArgs {
  InputArgs input;
  AnalysisArgs analysis;
  std::string format = "auto";
  std::string output = "-";
};

std::string pct(double share) { return fmt::format("{:.1f}%", share * 100); }

// The human view: the claims, then the main distributions per direction.
std::string to_text(const nlohmann::ordered_json& j) {
  render::Table claims;
  claims.title = "Article claims on entry barriers";
  claims.columns = {"claim", "direction", "meeting", "of", "share"};
  claims.align = {render::Align::left, render::Align::left, render::Align::right, render::Align::right,
                  render::Align::right};
  for (const auto& c : j["claims"])
    claims.rows.push_back({c["claim"].get<std::string>(), c["direction"].get<std::string>(),
                           std::to_string(c["meeting"].get<std::uint64_t>()),
                           std::to_string(c["denominator"].get<std::uint64_t>()), pct(c["share"].get<double>())});
  claims.note = "denominators: docs/barriers.md (education claims count postings that state an education)";
  std::string out = render::to_text(claims) + "\n";
  render::Table dist;
  dist.title = "Barriers by direction (share of postings)";
  dist.columns = {"barrier", "research", "engineering", "other"};
  dist.align = {render::Align::left, render::Align::right, render::Align::right, render::Align::right};
  auto row = [&](const std::string& label, const std::string& group, const std::string& key) {
    std::vector<std::string> r{label};
    for (const char* d : {"research", "engineering", "other"}) {
      const auto& g = j["directions"][d][group];
      r.push_back(g.contains(key) ? pct(g[key]["share"].get<double>()) : "-");
    }
    dist.rows.push_back(std::move(r));
  };
  std::vector<std::string> postings{"postings"};
  for (const char* d : {"research", "engineering", "other"})
    postings.push_back(std::to_string(j["directions"][d]["postings"].get<std::uint64_t>()));
  dist.rows.push_back(postings);
  for (const char* e : {"none_stated", "associate", "bachelor", "master", "phd"})
    row(fmt::format("min education: {}", e), "min_education", e);
  row("school tier named", "school_tier", "any");
  row("major: cs or math", "majors", "cs_or_math");
  row("papers: preferred", "papers", "preferred");
  row("papers: required", "papers", "required");
  row("experience: not stated", "experience_years_min", "not_stated");
  row("english: required", "english", "required");
  row("portfolio: preferred", "portfolio", "preferred");
  row("portfolio: required", "portfolio", "required");
  out += render::to_text(dist);
  return out;
}

int run_barriers(const BarriersArgs& a, const Globals& g) {
  auto setup = build_analysis(a.analysis, /*evidence=*/false);
  Output out(a.output);
  aggregate::BarrierSummary summary;
  auto run = run_analysis(a.input, setup, g, [&](const pipeline::Analysis& an) {
    summary.add(an.classification.direction, an.barriers);
  });
  auto j = summary.to_json();
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
Run setup_barriers(CLI::App& app);

Run setup_barriers(CLI::App& app) {
  auto a = std::make_shared<BarriersArgs>();
  add_input_options(app, a->input);
  add_analysis_options(app, a->analysis);
  add_dedup_options(app, a->analysis, dedup::Mode::near);
  app.add_option("-f,--format", a->format, "Output: table (default on a terminal) or json (default in a pipe)")
      ->check(CLI::IsMember({"auto", "table", "json"}));
  app.add_option("-o,--output", a->output, "Write to FILE atomically instead of stdout");
  on_parsed(app, [a] {
    check_input_args(a->input);
    auto inputs = input_files(a->input);
    for (auto& f : check_analysis_args(a->analysis)) inputs.push_back(std::move(f));
    claim_files(inputs, {{"-o", a->output}});
  });
  return [a](const Globals& g) { return run_barriers(*a, g); };
}

}  // namespace jobmarket::cli
