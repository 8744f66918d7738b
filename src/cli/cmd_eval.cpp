// jobmarket eval: the classifier measured against hand labels (../shared/labeled/dev.jsonl:
// ids CORPUS:ROW, ROW the 0-based data row of `file` in CORPORA/CORPUS/): accuracy,
// macro-F1, confusion matrix and per-tag precision/recall, for clear and borderline items.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <jobmarket/classify/classifier.hpp>
#include <jobmarket/classify/eval.hpp>
#include <jobmarket/cli/app.hpp>
#include <jobmarket/normalize/posting.hpp>
#include <jobmarket/render/escape.hpp>
#include <jobmarket/rules/rule_set.hpp>
#include "command.hpp"
#include "io.hpp"
#include "options.hpp"

namespace jobmarket::cli {

namespace {

struct EvalArgs {
  std::string labels;
  std::string corpora;
  std::string rules_file;
  std::string rules_mode = "extend";
  std::string format = "text";
  bool errors = false;
  std::string output = "-";
};

struct Label {
  std::string id, corpus, file;
  std::uint64_t row = 0;
  classify::Direction direction = classify::Direction::other;
  bool clear = false;
  std::vector<std::string> tags;
};

std::vector<Label> load_labels(const std::string& path) {
  std::vector<Label> out;
  std::istringstream in(read_text_file(path));
  std::string line;
  std::uint64_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line, nullptr, false);
    auto bad = [&](const char* what) {
      return UsageError{fmt::format("{}:{}: {}", path, n, what)};
    };
    if (j.is_discarded() || !j.is_object()) throw bad("not a JSON object");
    Label l;
    try {
      l.id = j.at("id").get<std::string>();
      l.corpus = j.at("corpus").get<std::string>();
      l.file = j.at("file").get<std::string>();
      l.row = j.at("row").get<std::uint64_t>();
      auto d = classify::direction_from_name(j.at("direction").get<std::string>());
      if (!d) throw bad("unknown direction");
      l.direction = *d;
      l.clear = j.value("certainty", "clear") == "clear";
      l.tags = j.value("tags", std::vector<std::string>{});
    } catch (const nlohmann::json::exception&) {
      throw bad("missing or mistyped id/corpus/file/row/direction");
    }
    out.push_back(std::move(l));
  }
  return out;
}

int run_eval(const EvalArgs& a, const Globals& g) {
  auto labels = load_labels(a.labels);
  std::string corpora = a.corpora;
  if (corpora.empty())
    corpora = (std::filesystem::path(a.labels).parent_path().parent_path() / "corpora").string();
  std::optional<std::string> user;
  if (!a.rules_file.empty()) user = read_text_file(a.rules_file);
  auto set = rules::load_rules(
      user ? std::optional<std::string_view>(*user) : std::nullopt, a.rules_file,
      rules::rules_mode_from_name(a.rules_mode).value_or(rules::RulesMode::extend));
  if (!set) throw UsageError{set.error()};
  auto classifier = classify::Classifier::create(*set);
  if (!classifier) throw UsageError{classifier.error()};
  auto ws = classifier->make_workspace();

  std::map<std::string, std::map<std::uint64_t, const Label*>> wanted;
  for (const auto& l : labels) wanted[l.corpus + "/" + l.file][l.row] = &l;
  classify::Evaluation clear, borderline;
  std::vector<std::string> error_lines;
  std::uint64_t missing = 0;
  normalize::NormalizedPosting norm;
  for (const auto& [rel, rows] : wanted) {
    auto path = (std::filesystem::path(corpora) / rel).string();
    auto reader = read::PostingReader::open({path}, read::ReadOptions{});
    if (!reader) throw UsageError{reader.error()};
    Posting p;
    read::Reject rej;
    std::size_t found = 0;
    for (;;) {
      auto n = (*reader)->next(p, rej);
      if (n == read::Next::end) break;
      if (n == read::Next::rejected) continue;
      auto it = rows.find(p.source.row - 1);
      if (it == rows.end()) continue;
      ++found;
      normalize::normalize_posting(p, norm);
      auto c = classifier->classify(p, norm, ws);
      const Label& l = *it->second;
      (l.clear ? clear : borderline).add(l.direction, c.direction, l.tags, c.tags);
      if (c.direction != l.direction)
        error_lines.push_back(
            fmt::format("{} [{}] labeled {} got {} ({:.3f}): {}", l.id,
                        l.clear ? "clear" : "borderline", classify::direction_name(l.direction),
                        classify::direction_name(c.direction), c.confidence, p.title()));
    }
    missing += rows.size() - found;
  }
  if (missing && !g.quiet)
    fmt::print(stderr, "jobmarket: warning: {} labeled rows not found in {}\n", missing, render::visible(corpora));

  Output out(a.output);
  if (a.format == "json") {
    nlohmann::ordered_json j;
    j["rules_version"] = set->version();
    j["labels"] = a.labels;
    j["clear"] = clear.to_json();
    j["borderline"] = borderline.to_json();
    if (a.errors) j["errors"] = error_lines;
    out.write(j.dump(2) + "\n");
  } else {
    std::string text =
        fmt::format("rules {}; labels {}\n\n== clear ==\n", set->version(), a.labels);
    text += clear.to_text();
    text += "\n== borderline ==\n" + borderline.to_text();
    if (a.errors) {
      text += "\n== direction errors ==\n";
      for (const auto& e : error_lines) text += e + "\n";
    }
    out.write(render::visible_lines(text));  // titles and tags quote the input
  }
  out.commit();
  return kExitOk;
}

}  // namespace

Run setup_eval(CLI::App& app) {
  auto a = std::make_shared<EvalArgs>();
  app.add_option("--labels", a->labels,
                 "Hand labels (JSONL: id, corpus, file, row, direction, certainty, tags)")
      ->required()
      ->type_name("FILE");
  app.add_option("--corpora", a->corpora,
                 "Directory holding CORPUS/FILE (default: LABELS/../../corpora)")
      ->type_name("DIR");
  app.add_option("--rules", a->rules_file, "Rule table (JSON) to use with the built-in one")
      ->type_name("FILE");
  app.add_option("--rules-mode", a->rules_mode, "extend: built-in + FILE; replace: FILE only")
      ->check(CLI::IsMember({"extend", "replace"}));
  app.add_option("-f,--format", a->format, "Output format: text|json")
      ->check(CLI::IsMember({"text", "json"}));
  app.add_flag("--errors", a->errors, "Also list every misclassified posting");
  app.add_option("-o,--output", a->output, "Write to FILE instead of stdout")->type_name("FILE");
  on_parsed(app, [a] {
    check_rules_mode(a->rules_mode, a->rules_file);
    std::vector<NamedFile> inputs{{"--labels", a->labels}};
    if (!a->rules_file.empty()) inputs.push_back({"--rules", a->rules_file});
    claim_files(inputs, {{"-o", a->output}});
  });
  return [a](const Globals& g) { return run_eval(*a, g); };
}

}  // namespace jobmarket::cli
