// jobmarket rules list|show ID|validate FILE|export: see and check the classification rule
// table (docs/rules.md): the built-in one, or with --rules FILE replacing or extending it.
#include <fmt/format.h>

#include <set>

#include <jobmarket/classify/classifier.hpp>
#include <jobmarket/cli/app.hpp>
#include <jobmarket/extract/barriers.hpp>
#include <jobmarket/normalize/text.hpp>
#include <jobmarket/render/escape.hpp>
#include <jobmarket/render/table.hpp>
#include <jobmarket/rules/rule_set.hpp>
#include "command.hpp"
#include "io.hpp"
#include "options.hpp"

namespace jobmarket::cli {

namespace {

struct RulesArgs {
  std::string rules_file;
  std::string rules_mode = "extend";
  std::string format = "table";
  std::string export_format = "json";
  std::string id;
  std::string file;
  std::string output = "-";
};

// The effective table, compiled once so a bad regex is reported here too.
rules::RuleSet effective_rules(const RulesArgs& a) {
  std::optional<std::string> text;
  if (!a.rules_file.empty()) text = read_text_file(a.rules_file);
  auto mode = rules::rules_mode_from_name(a.rules_mode).value_or(rules::RulesMode::extend);
  auto set = rules::load_rules(text ? std::optional<std::string_view>(*text) : std::nullopt,
                               a.rules_file, mode);
  if (!set) throw UsageError{set.error()};
  auto compiled = classify::Classifier::create(*set);
  if (!compiled) throw UsageError{compiled.error()};
  return std::move(*set);
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

int run_list(const RulesArgs& a) {
  auto set = effective_rules(a);
  Output out(a.output);
  if (a.format == "json") {
    auto j = nlohmann::ordered_json::array();
    for (const auto& r : set.rules()) {
      nlohmann::ordered_json o;
      o["id"] = r.id;
      o["kind"] = rules::rule_kind_name(r.kind);
      o["weight"] = r.weight;
      o["terms"] = r.terms.size() + r.regex.size();
      o["tags"] = r.tags;
      o["source"] = r.source;
      j.push_back(o);
    }
    out.write(j.dump(2) + "\n");
  } else {
    render::Table t;
    t.title = fmt::format("rules {} ({} rules)", set.version(), set.rules().size());
    t.columns = {"id", "kind", "weight", "fields", "terms", "tags"};
    t.align = {render::Align::left, render::Align::left, render::Align::right, render::Align::left,
               render::Align::right};
    for (const auto& r : set.rules()) {
      std::string fields = r.in_title && r.in_text ? "title,text" : r.in_title ? "title" : "text";
      t.rows.push_back({r.id, std::string(rules::rule_kind_name(r.kind)),
                        fmt::format("{:g}", r.weight), fields,
                        std::to_string(r.terms.size() + r.regex.size()), join(r.tags)});
    }
    out.write(render::to_text(t));
  }
  out.commit();
  return kExitOk;
}

int run_show(const RulesArgs& a) {
  auto set = effective_rules(a);
  const auto* r = set.find(a.id);
  if (!r) {
    // Suggest ids sharing the prefix before the first dot ("did you mean").
    std::string near;
    auto prefix = a.id.substr(0, a.id.find('.'));
    for (const auto& x : set.rules())
      if (x.id.starts_with(prefix)) near += (near.empty() ? "" : ", ") + x.id;
    throw UsageError{near.empty() ? fmt::format("no rule '{}'", a.id)
                                  : fmt::format("no rule '{}' (rules starting with '{}': {})", a.id,
                                                prefix, near)};
  }
  Output out(a.output);
  out.write(rules::RuleSet::rule_to_json(*r).dump(2) + "\n");
  out.commit();
  return kExitOk;
}

int run_validate(const RulesArgs& a, const Globals& g) {
  auto text = read_text_file(a.file);
  auto set = rules::RuleSet::parse(text, a.file);
  if (!set) throw UsageError{set.error()};
  auto compiled = classify::Classifier::create(*set);
  if (!compiled) throw UsageError{compiled.error()};
  // An extending table must not reuse built-in ids.
  if (a.rules_mode == "extend") {
    auto base = rules::RuleSet::builtin();
    if (base) {
      auto ext = rules::RuleSet::extend(*base, *set);
      if (!ext) throw UsageError{ext.error()};
    }
  }
  if (!g.quiet)
    fmt::print("{}: ok: version {}, {} rules, {} sections\n", render::visible(a.file), render::visible(set->version()),
               set->rules().size(), set->sections().size());
  return kExitOk;
}

// One literal per line, as the matcher sees it (folded: NFKC + case folding), first
// occurrence only: the classification rules' terms, the section headers, cues and title
// roles, then the built-in barrier table's terms. Every one is searched for in every posting, so `rg -F -i -f` over
// this list does comparable matching work (scripts/bench.sh). Regexes have no literal form
// and are left out.
std::string export_terms(const rules::RuleSet& set) {
  std::string out;
  std::set<std::string> seen;
  auto add = [&](const std::string& term) {
    auto folded = normalize::fold(term);
    if (!folded.empty() && seen.insert(folded).second) out += folded + "\n";
  };
  for (const auto& r : set.rules())
    for (const auto& t : r.terms) add(t);
  for (const auto& s : set.sections())
    for (const auto& h : s.headers) add(h);
  for (const auto& c : set.cues())
    for (const auto& t : c.terms) add(t);
  for (const auto& t : set.title_roles().terms) add(t);
  auto barriers = extract::BarrierExtractor::builtin();
  if (!barriers) throw UsageError{barriers.error()};
  for (const auto& p : barriers->patterns())
    if (!p.is_regex) add(p.text);
  return out;
}

int run_export(const RulesArgs& a) {
  auto set = effective_rules(a);
  Output out(a.output);
  if (a.export_format == "terms")
    out.write(export_terms(set));
  else
    out.write(set.to_json().dump(2) + "\n");
  out.commit();
  return kExitOk;
}

void add_table_options(CLI::App* sub, RulesArgs& a) {
  sub->add_option("--rules", a.rules_file, "Rule table (JSON) to use with the built-in one")
      ->type_name("FILE");
  sub->add_option("--rules-mode", a.rules_mode, "extend: built-in + FILE; replace: FILE only")
      ->check(CLI::IsMember({"extend", "replace"}));
  sub->add_option("-o,--output", a.output, "Write to FILE instead of stdout")->type_name("FILE");
}

}  // namespace

Run setup_rules(CLI::App& app) {
  auto a = std::make_shared<RulesArgs>();
  app.require_subcommand(1, 1);
  auto* list = app.add_subcommand("list", "List the rules: id, kind, weight, fields, terms, tags");
  add_table_options(list, *a);
  list->add_option("-f,--format", a->format, "Output format: table|json")
      ->check(CLI::IsMember({"table", "json"}));
  auto* show = app.add_subcommand("show", "Show one rule as JSON");
  show->add_option("id", a->id, "Rule id, e.g. engineering.rag")->required();
  add_table_options(show, *a);
  auto* validate = app.add_subcommand(
      "validate", "Check a rule table: every problem names the file, the rule and the problem");
  validate->add_option("file", a->file, "Rule table (JSON)")->required()->type_name("FILE");
  validate
      ->add_option("--rules-mode", a->rules_mode,
                   "extend (default): also check its ids against the built-in table")
      ->check(CLI::IsMember({"extend", "replace"}));
  auto* exp = app.add_subcommand(
      "export", "Write the effective rule table as JSON, or its literal terms one per line");
  add_table_options(exp, *a);
  exp->add_option("-f,--format", a->export_format,
                  "json: the table; terms: every literal term (folded), one per line, for "
                  "`rg -F -i -f` (regexes are left out)")
      ->check(CLI::IsMember({"json", "terms"}));
  for (CLI::App* sub : {list, show, exp}) {
    on_parsed(*sub, [a] {
      check_rules_mode(a->rules_mode, a->rules_file);
      std::vector<NamedFile> inputs;
      if (!a->rules_file.empty()) inputs.push_back({"--rules", a->rules_file});
      claim_files(inputs, {{"-o", a->output}});
    });
  }
  on_parsed(*validate, [a] { claim_files({{"input", a->file}}, {}); });
  return [a, list, show, validate, exp](const Globals& g) -> int {
    if (list->parsed()) return run_list(*a);
    if (show->parsed()) return run_show(*a);
    if (validate->parsed()) return run_validate(*a, g);
    if (exp->parsed()) return run_export(*a);
    return kExitUsage;
  };
}

}  // namespace jobmarket::cli
