// jobmarket eval: the whole pipeline (classification, barriers, salary, date) measured
// against hand labels. Label ids are CORPUS:ROW, ROW the 0-based data row of `file` in
// CORPORA/CORPUS/. Items are grouped by their label's split (dev, tune, holdout: the
// holdout rows are never looked at while rules change), printed side by side.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <sstream>

#include <jobmarket/cli/app.hpp>
#include <jobmarket/evaluate/labels.hpp>
#include <jobmarket/evaluate/scorecard.hpp>
#include <jobmarket/render/escape.hpp>
#include <jobmarket/render/table.hpp>
#include <jobmarket/util/utf8.hpp>
#include "analysis.hpp"
#include "command.hpp"
#include "io.hpp"
#include "options.hpp"

namespace jobmarket::cli {

namespace {

constexpr const char* kSplits[] = {"dev", "tune", "holdout"};

struct EvalArgs {
  std::vector<std::string> labels;
  std::string corpora;
  std::vector<std::string> splits;
  std::string rules_file;
  std::string rules_mode = "extend";
  std::string format = "table";
  bool errors = false;
  std::string output = "-";
};

std::vector<evaluate::Label> load_labels(const std::string& path) {
  std::vector<evaluate::Label> out;
  std::istringstream in(read_text_file(path));
  std::string line;
  std::uint64_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto l = evaluate::parse_label(line);
    if (!l) throw UsageError{fmt::format("{}:{}: {}", path, n, l.error())};
    out.push_back(std::move(*l));
  }
  return out;
}

// The corpora directory: --corpora, else LABELS/../../corpora (../shared/labeled/dev.jsonl
// sits beside ../shared/corpora).
std::string corpora_dir(const EvalArgs& a) {
  if (!a.corpora.empty()) return a.corpora;
  auto guess = std::filesystem::path(a.labels.front()).parent_path().parent_path() / "corpora";
  if (!std::filesystem::is_directory(guess))
    throw UsageError{fmt::format("--corpora: not given, and {} is not a directory", guess.string())};
  return guess.string();
}

struct Group {
  std::string name;
  evaluate::Scorecard card;
  std::vector<std::string> errors;
};
// In kSplits order: dev, tune, holdout.
using Groups = std::vector<Group>;

std::string ratio_cell(std::uint64_t a, std::uint64_t b) {
  return b == 0 ? "-" : fmt::format("{:.3f}", static_cast<double>(a) / static_cast<double>(b));
}
std::string f3(double x) { return fmt::format("{:.3f}", x); }

std::string render_tables(const Groups& groups, const std::string& version) {
  using render::Align;
  std::vector<std::string> header{"metric"};
  for (const auto& g : groups) header.push_back(g.name);
  std::vector<Align> right(header.size(), Align::right);
  right[0] = Align::left;

  std::string out = fmt::format("jobmarket eval · rules {}\n\n", version);
  render::Table overview{"Overview", header, right, {}, ""};
  auto row = [&](std::string metric, auto cell) {
    std::vector<std::string> r{std::move(metric)};
    for (const auto& g : groups) r.push_back(cell(g.card));
    overview.rows.push_back(std::move(r));
  };
  using evaluate::Scorecard;
  row("items", [](const Scorecard& c) { return std::to_string(c.count()); });
  row("clear items", [](const Scorecard& c) { return std::to_string(c.clear().count()); });
  row("direction accuracy, clear", [](const Scorecard& c) { return f3(c.clear().accuracy()); });
  row("direction macro-F1, clear", [](const Scorecard& c) { return f3(c.clear().macro_f1()); });
  row("direction accuracy, borderline",
      [](const Scorecard& c) { return f3(c.borderline().accuracy()); });
  row("direction accuracy, all", [](const Scorecard& c) { return f3(c.all().accuracy()); });
  row("tags micro-F1, clear", [](const Scorecard& c) { return f3(c.clear().tag_micro().f1()); });
  row("tags micro-F1, all", [](const Scorecard& c) { return f3(c.all().tag_micro().f1()); });
  row("tags micro P / R, all", [](const Scorecard& c) {
    auto m = c.all().tag_micro();
    return fmt::format("{:.3f} / {:.3f}", m.precision(), m.recall());
  });
  row("salary exact", [](const Scorecard& c) {
    return ratio_cell(c.salary().exact, c.salary().labeled);
  });
  row("salary labeled / missed / spurious", [](const Scorecard& c) {
    return fmt::format("{} / {} / {}", c.salary().labeled, c.salary().missed, c.salary().spurious);
  });
  row("posted date", [](const Scorecard& c) { return ratio_cell(c.posted().correct, c.posted().items); });
  out += render::to_text(overview) + "\n";

  for (const auto& g : groups) {
    const auto& name = g.name;
    const auto ev = g.card.all();
    render::Table conf{fmt::format("Direction confusion, {} (rows: label, columns: jobmarket; clear + borderline)", name),
                       {"label", "research", "engineering", "other", "recall"},
                       {Align::left, Align::right, Align::right, Align::right, Align::right},
                       {},
                       ""};
    for (auto d : {classify::Direction::research, classify::Direction::engineering,
                   classify::Direction::other}) {
      const auto& r = ev.confusion()[static_cast<std::size_t>(d)];
      conf.rows.push_back({std::string(classify::direction_name(d)), std::to_string(r[0]),
                           std::to_string(r[1]), std::to_string(r[2]), f3(ev.class_recall(d))});
    }
    out += render::to_text(conf) + "\n";

    render::Table tags{fmt::format("Tags, {} (all items)", name),
                       {"tag", "support", "tp", "fp", "fn", "precision", "recall", "F1"},
                       {Align::left, Align::right, Align::right, Align::right, Align::right,
                        Align::right, Align::right, Align::right},
                       {},
                       ""};
    for (const auto& [t, c] : ev.tags())
      tags.rows.push_back({t, std::to_string(c.tp + c.fn), std::to_string(c.tp),
                           std::to_string(c.fp), std::to_string(c.fn), f3(c.precision()),
                           f3(c.recall()), f3(c.f1())});
    out += render::to_text(tags) + "\n";

    render::Table bar{fmt::format("Barriers, {}", name),
                      {"field", "items", "exact", "precision", "recall", "F1"},
                      {Align::left, Align::right, Align::right, Align::right, Align::right,
                       Align::right},
                      {},
                      ""};
    for (const auto& [f, c] : g.card.barrier_fields())
      bar.rows.push_back({f, std::to_string(c.items), f3(c.accuracy()), "", "", ""});
    for (const auto& [f, c] : g.card.barrier_sets())
      bar.rows.push_back({f, std::to_string(c.exact.items), f3(c.exact.accuracy()),
                          f3(c.members.precision()), f3(c.members.recall()), f3(c.members.f1())});
    const auto& s = g.card.salary();
    bar.note = fmt::format(
        "salary: {} labeled, exact {}, currency {}, period {}, bounds {}, 薪 months {}; "
        "missed {}, spurious {}",
        s.labeled, ratio_cell(s.exact, s.labeled), ratio_cell(s.currency, s.labeled),
        ratio_cell(s.period, s.labeled), ratio_cell(s.bounds, s.labeled),
        ratio_cell(s.months, s.labeled), s.missed, s.spurious);
    out += render::to_text(bar) + "\n";

    if (!g.errors.empty()) {
      out += fmt::format("Errors, {}\n", name);
      for (const auto& e : g.errors) out += e + "\n";
      out += "\n";
    }
  }
  return out;
}

int run_eval(const EvalArgs& a, const Globals& g) {
  std::vector<evaluate::Label> labels;
  for (const auto& f : a.labels) {
    auto more = load_labels(f);
    labels.insert(labels.end(), std::make_move_iterator(more.begin()),
                  std::make_move_iterator(more.end()));
  }
  const std::string corpora = corpora_dir(a);
  AnalysisArgs args;
  args.rules_file = a.rules_file;
  args.rules_mode = a.rules_mode;
  auto setup = build_analysis(args, true);
  const auto& analyzer = *setup.analyzer;
  auto ws = analyzer.make_workspace();

  auto wanted_split = [&](const std::string& s) {
    return a.splits.empty() || std::find(a.splits.begin(), a.splits.end(), s) != a.splits.end();
  };
  // Rows wanted per file, each file read once in a streaming pass.
  std::map<std::string, std::multimap<std::uint64_t, const evaluate::Label*>> wanted;
  for (const auto& l : labels)
    if (wanted_split(l.split)) wanted[l.corpus + "/" + l.file].emplace(l.row, &l);
  Groups groups;
  for (const char* s : kSplits)
    if (wanted_split(s) && std::any_of(labels.begin(), labels.end(),
                                        [&](const auto& l) { return l.split == s; }))
      groups.push_back({s, {}, {}});
  auto group_of = [&](const std::string& split) -> Group& {
    return *std::find_if(groups.begin(), groups.end(), [&](const Group& x) { return x.name == split; });
  };
  std::uint64_t missing = 0;
  pipeline::Analysis an;
  for (const auto& [rel, rows] : wanted) {
    auto path = (std::filesystem::path(corpora) / rel).string();
    auto reader = read::PostingReader::open({path}, read::ReadOptions{});
    if (!reader) throw UsageError{reader.error()};
    read::Reject rej;
    std::size_t found = 0;
    for (;;) {
      auto n = (*reader)->next(an.posting, rej);
      if (n == read::Next::end) break;
      if (n == read::Next::rejected) continue;
      auto [lo, hi] = rows.equal_range(an.posting.source.row - 1);
      if (lo == hi) continue;
      analyzer.analyze(an, ws);
      for (auto it = lo; it != hi; ++it) {
        const auto& l = *it->second;
        ++found;
        auto& grp = group_of(l.split);
        grp.card.add(l, an);
        if (!a.errors) continue;
        // 80 columns, never half a character (the JSON output must stay valid UTF-8).
        const auto title = utf8::truncate_to_width(an.posting.title(), 80);
        const auto& c = an.classification;
        if (c.direction != l.direction)
          grp.errors.push_back(fmt::format(
              "{} [{}] direction: labeled {}, got {} ({:.3f}): {}", l.id,
              l.clear ? "clear" : "borderline", classify::direction_name(l.direction),
              classify::direction_name(c.direction), c.confidence, title));
        if (auto diff = evaluate::tag_difference(l.tags, c.tags); !diff.empty())
          grp.errors.push_back(fmt::format("{} tags: {}: {}", l.id, diff, title));
        if (l.has_salary && l.salary) {
          auto diff = evaluate::salary_difference(*l.salary, an.salary);
          if (!diff.empty())
            grp.errors.push_back(fmt::format(
                "{} salary: {} ('{}')", l.id, diff,
                an.salary.salary ? an.salary.salary->raw : an.salary.unparsed.value_or("")));
        }
      }
    }
    missing += rows.size() - found;
  }
  if (missing && !g.quiet)
    fmt::print(stderr, "jobmarket: warning: {} labeled rows not found in {}\n", missing, render::visible(corpora));

  Output out(a.output);
  if (a.format == "json") {
    nlohmann::ordered_json j;
    j["rules_version"] = setup.rules_version;
    j["labels"] = a.labels;
    nlohmann::ordered_json gj;
    for (const auto& grp : groups) {
      auto c = grp.card.to_json();
      if (a.errors) c["errors"] = grp.errors;
      gj[grp.name] = std::move(c);
    }
    j["groups"] = std::move(gj);
    out.write(j.dump(2) + "\n");
  } else {
    out.write(render::visible_lines(render_tables(groups, setup.rules_version)));  // titles quote the input
  }
  out.commit();
  return missing ? kExitDataErrors : kExitOk;
}

}  // namespace

Run setup_eval(CLI::App& app) {
  auto a = std::make_shared<EvalArgs>();
  app.add_option("--labels", a->labels,
                 "Hand labels (JSONL, ../shared/labeled/GUIDE.md); repeat for several files")
      ->required()
      ->type_name("FILE");
  app.add_option("--corpora", a->corpora,
                 "Directory holding CORPUS/FILE (default: LABELS/../../corpora)")
      ->type_name("DIR");
  app.add_option("--split", a->splits, "Only items of these splits: dev, tune, holdout")
      ->check(CLI::IsMember({"dev", "tune", "holdout"}))
      ->type_name("NAME");
  app.add_option("--rules", a->rules_file, "Rule table (JSON) to use with the built-in one")
      ->type_name("FILE");
  app.add_option("--rules-mode", a->rules_mode, "extend: built-in + FILE; replace: FILE only")
      ->check(CLI::IsMember({"extend", "replace"}));
  app.add_option("-f,--format", a->format, "Output format: table|json (text = table)")
      ->check(CLI::IsMember({"table", "text", "json"}));
  app.add_flag("--errors", a->errors, "Also list every direction, tag and salary disagreement");
  app.add_option("-o,--output", a->output, "Write to FILE instead of stdout")->type_name("FILE");
  on_parsed(app, [a] {
    check_rules_mode(a->rules_mode, a->rules_file);
    std::vector<NamedFile> inputs;
    for (const auto& f : a->labels) inputs.push_back({"--labels", f});
    if (!a->rules_file.empty()) inputs.push_back({"--rules", a->rules_file});
    claim_files(inputs, {{"-o", a->output}});
  });
  return [a](const Globals& g) { return run_eval(*a, g); };
}

}  // namespace jobmarket::cli
