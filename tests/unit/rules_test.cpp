// Rule table loading and validation: exact error messages naming file, rule and problem.
#include <gtest/gtest.h>

#include <jobmarket/rules/rule_set.hpp>

using jobmarket::rules::RuleSet;

namespace {

std::string table(const std::string& rules) {
  return R"({"version": "t1", "rules": [)" + rules + "]}";
}

std::string error_of(const std::string& json, const std::string& file = "my.json") {
  auto r = RuleSet::parse(json, file);
  if (r) return "(no error)";
  return r.error();
}

const std::string kGood =
    R"({"id": "a.rag", "kind": "engineering", "weight": 2, "fields": ["title", "text"],
        "terms": ["RAG", "检索增强"], "tags": ["rag"], "source": "article: RAG"})";

}  // namespace

TEST(RuleSet, ParsesAValidTable) {
  auto r = RuleSet::parse(table(kGood), "my.json");
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->version(), "t1");
  ASSERT_EQ(r->rules().size(), 1u);
  const auto& rule = r->rules()[0];
  EXPECT_EQ(rule.id, "a.rag");
  EXPECT_EQ(rule.kind, jobmarket::rules::RuleKind::engineering);
  EXPECT_EQ(rule.weight, 2.0);
  EXPECT_TRUE(rule.in_title);
  EXPECT_TRUE(rule.in_text);
  EXPECT_EQ(rule.terms, (std::vector<std::string>{"RAG", "检索增强"}));
  EXPECT_EQ(rule.tags, (std::vector<std::string>{"rag"}));
  EXPECT_EQ(r->find("a.rag"), &rule);
  EXPECT_EQ(r->find("nope"), nullptr);
}

TEST(RuleSet, LoadErrorsNameFileRuleAndProblem) {
  EXPECT_EQ(error_of(table(kGood + "," + kGood)), "my.json: rules[1] 'a.rag': duplicate id");
  EXPECT_EQ(error_of(table(R"({"id": "x", "kind": "science", "terms": ["a"], "source": "s"})")),
            "my.json: rules[0] 'x': unknown kind 'science' (expected research, engineering, "
            "other, ai or tag)");
  EXPECT_EQ(error_of(table(R"({"id": "x", "kind": "tag", "terms": ["a"], "tags": ["ragg"],
                               "source": "s"})")),
            "my.json: rules[0] 'x': unknown tag 'ragg'");
  EXPECT_EQ(error_of(table(R"({"id": "x", "kind": "research", "terms": ["ok", " "],
                               "source": "s"})")),
            "my.json: rules[0] 'x': term 1 is empty");
  EXPECT_EQ(error_of(table(R"({"id": "x", "kind": "research", "regex": "(unclosed",
                               "source": "s"})")),
            "my.json: rules[0] 'x': invalid regex '(unclosed': Missing close parenthesis for "
            "group started at index 0.");
  EXPECT_EQ(error_of(table(R"({"id": "x", "kind": "research", "regex": ["a*"],
                               "source": "s"})")),
            "my.json: rules[0] 'x': invalid regex 'a*': matches the empty string, so it would "
            "match every posting");
  EXPECT_EQ(error_of(table(R"({"kind": "research", "terms": ["a"], "source": "s"})")),
            "my.json: rules[0]: missing 'id' (a non-empty string)");
  EXPECT_EQ(error_of(table(R"({"id": "x", "kind": "research", "terms": ["a"]})")),
            "my.json: rules[0] 'x': missing 'source' (say where the rule comes from)");
  EXPECT_EQ(error_of(table(R"({"id": "x", "kind": "research", "source": "s"})")),
            "my.json: rules[0] 'x': no 'terms' and no 'regex'");
  EXPECT_EQ(error_of(table(R"({"id": "x", "kind": "research", "terms": ["a"], "source": "s",
                               "wieght": 2})")),
            "my.json: rules[0] 'x': unknown key 'wieght'");
  EXPECT_EQ(error_of(table(R"({"id": "x", "kind": "research", "terms": ["a"], "source": "s",
                               "fields": ["body"]})")),
            "my.json: rules[0] 'x': unknown field 'body' (expected title or text)");
  EXPECT_EQ(error_of(table(R"({"id": "x", "kind": "research", "terms": ["a"], "source": "s",
                               "weight": "high"})")),
            "my.json: rules[0] 'x': 'weight' must be a number");
  EXPECT_EQ(error_of(table(R"({"id": "x", "kind": "tag", "terms": ["a"], "source": "s"})")),
            "my.json: rules[0] 'x': a 'tag' rule needs 'tags'");
  EXPECT_EQ(error_of(R"({"rules": []})"),
            "my.json: missing 'version' (a non-empty string such as \"2025.1\")");
  EXPECT_EQ(error_of(R"({"version": "1", "rules": [], "extra": 1})"),
            "my.json: unknown top-level key 'extra'");
  EXPECT_EQ(error_of(R"({"version": "1", "rules": [], "sections": [{"name": "co",
                         "weight": -1, "headers": ["about us"]}]})"),
            "my.json: sections[0] 'co': 'weight' must not be negative");
  EXPECT_EQ(error_of(R"({"version": "1", "rules": [], "scoring": {"title_wait": 2}})"),
            "my.json: scoring: unknown key 'title_wait'");
}

TEST(RuleSet, JsonSyntaxErrorsGiveLineAndColumn) {
  auto e = error_of("{\"version\": \"1\",\n \"rules\": [,]}");
  EXPECT_TRUE(e.starts_with("my.json:2:12: invalid JSON: syntax error")) << e;
}

TEST(RuleSet, BuiltinTableLoadsAndEveryRuleSaysWhereItComesFrom) {
  auto r = RuleSet::builtin();
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->version(), "2026.4");
  EXPECT_GT(r->rules().size(), 30u);
  for (const auto& rule : r->rules()) {
    EXPECT_TRUE(rule.source.starts_with("article: ") || rule.source.starts_with("GUIDE: ") ||
                rule.source.starts_with("issue 3: ") ||
                rule.source.starts_with("added from data: "))
        << rule.id << ": " << rule.source;
  }
  // Every GUIDE tag is produced by at least one rule.
  for (auto tag : jobmarket::rules::known_tags()) {
    bool found = false;
    for (const auto& rule : r->rules())
      found = found || std::find(rule.tags.begin(), rule.tags.end(), tag) != rule.tags.end();
    EXPECT_TRUE(found) << tag;
  }
}

TEST(RuleSet, ExtendAddsRulesAndVersions) {
  auto base = RuleSet::builtin();
  ASSERT_TRUE(base);
  auto user = RuleSet::parse(
      R"({"version": "custom-1", "rules": [{"id": "my.rule", "kind": "engineering",
          "terms": ["copilot studio"], "source": "added from data: ours"}]})",
      "mine.json");
  ASSERT_TRUE(user) << user.error();
  auto ext = RuleSet::extend(*base, *user);
  ASSERT_TRUE(ext) << ext.error();
  EXPECT_EQ(ext->version(), "2026.4+custom-1");
  EXPECT_EQ(ext->rules().size(), base->rules().size() + 1);
  EXPECT_NE(ext->find("my.rule"), nullptr);

  auto dup = RuleSet::parse(
      R"({"version": "c2", "rules": [{"id": "engineering.rag", "kind": "engineering",
          "terms": ["x"], "source": "s"}]})",
      "dup.json");
  ASSERT_TRUE(dup);
  auto bad = RuleSet::extend(*base, *dup);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(),
            "dup.json: rules[0] 'engineering.rag': duplicate id (already in "
            "builtin:classify.json)");
}

TEST(RuleSet, LoadRulesModes) {
  const std::string user = table(kGood);
  auto replaced =
      jobmarket::rules::load_rules(user, "u.json", jobmarket::rules::RulesMode::replace);
  ASSERT_TRUE(replaced);
  EXPECT_EQ(replaced->version(), "t1");
  EXPECT_EQ(replaced->rules().size(), 1u);
  auto extended = jobmarket::rules::load_rules(user, "u.json", jobmarket::rules::RulesMode::extend);
  ASSERT_TRUE(extended) << extended.error();
  EXPECT_EQ(extended->version(), "2026.4+t1");
  auto builtin =
      jobmarket::rules::load_rules(std::nullopt, "", jobmarket::rules::RulesMode::extend);
  ASSERT_TRUE(builtin);
  EXPECT_EQ(builtin->version(), "2026.4");
  EXPECT_EQ(jobmarket::rules::rules_mode_from_name("extend"), jobmarket::rules::RulesMode::extend);
  EXPECT_EQ(jobmarket::rules::rules_mode_from_name("merge"), std::nullopt);
}

TEST(RuleSet, ExportRoundTrips) {
  auto base = RuleSet::builtin();
  ASSERT_TRUE(base);
  auto text = base->to_json().dump(2);
  auto again = RuleSet::parse(text, "export.json");
  ASSERT_TRUE(again) << again.error();
  EXPECT_EQ(again->to_json().dump(2), text);
}

#include <filesystem>
#include <fstream>

#include "test_support.hpp"

namespace {
std::string write_temp(const std::string& name, const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << text;
  return path.string();
}
}  // namespace

TEST(RulesCli, ValidateNamesFileRuleAndProblem) {
  auto bad = write_temp("jobmarket_rules_test_bad.json",
                        table(R"({"id": "x", "kind": "tag", "terms": ["a"], "tags": ["ragg"],
                                  "source": "s"})"));
  auto r = jobmarket::testing::run_jobmarket("rules validate " + bad);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "jobmarket: error: " + bad + ": rules[0] 'x': unknown tag 'ragg'\n");

  auto good = write_temp("jobmarket_rules_test_good.json", table(kGood));
  r = jobmarket::testing::run_jobmarket("rules validate " + good);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, good + ": ok: version t1, 1 rules, 0 sections\n");
}

TEST(RulesCli, ShowAndExport) {
  auto r = jobmarket::testing::run_jobmarket("rules show engineering.rag");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("{\n  \"id\": \"engineering.rag\",\n  \"kind\": \"engineering\","))
      << r.out;
  r = jobmarket::testing::run_jobmarket("rules show engineering.ragg");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(
      r.err.starts_with("jobmarket: error: no rule 'engineering.ragg' (rules starting "
                        "with 'engineering': "))
      << r.err;
  auto user = write_temp("jobmarket_rules_test_ext.json",
                         R"({"version": "custom-1", "rules": [{"id": "my.rule",
                             "kind": "engineering", "terms": ["copilot studio"],
                             "source": "added from data: ours"}]})");
  r = jobmarket::testing::run_jobmarket("rules export --rules " + user);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto exported = RuleSet::parse(r.out, "export");
  ASSERT_TRUE(exported) << exported.error();
  EXPECT_EQ(exported->version(), "2026.4+custom-1");
  EXPECT_NE(exported->find("my.rule"), nullptr);
}
