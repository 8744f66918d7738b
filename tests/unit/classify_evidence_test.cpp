// How strong a term's evidence is by where it stands (docs/rules.md, "Evidence strength"):
// clause cues (optional, negated), section headings written as headings, the role and team
// parts of a title, a non-AI role in the title, rules that need another, tag weights.
// Scores are small enough to compute by hand.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <jobmarket/classify/classifier.hpp>
#include <jobmarket/normalize/clauses.hpp>
#include <jobmarket/normalize/posting.hpp>
#include <jobmarket/rules/rule_set.hpp>

using jobmarket::classify::Classifier;
using jobmarket::classify::Direction;
using jobmarket::classify::Scores;

namespace {

const char* kTable = R"({
  "version": "evidence-1",
  "scoring": {"title_weight": 3, "title_team_weight": 1, "repeat_weight": 0, "repeat_cap": 0,
              "min_signal": 1, "tag_threshold": 2, "cross_tag_factor": 1,
              "other_title_factor": 0.5},
  "sections": [{"name": "benefits", "weight": 0.1, "headers": ["benefits"]}],
  "cues": [
    {"name": "optional", "weight": 0.5, "terms": ["优先", "a plus"], "source": "test"},
    {"name": "negated", "weight": 0, "terms": ["不需要", "not required"], "source": "test"}
  ],
  "title_roles": {"terms": ["工程师", "engineer"], "source": "test"},
  "rules": [
    {"id": "e.agent", "kind": "engineering", "weight": 2, "terms": ["agent"], "tags": ["agent"],
     "source": "test"},
    {"id": "e.llm", "kind": "engineering", "weight": 2, "fields": ["text"], "terms": ["doubao"],
     "tags": ["llm_application"], "source": "test"},
    {"id": "a.dl", "kind": "ai", "weight": 1, "terms": ["pytorch"], "source": "test"},
    {"id": "e.image", "kind": "engineering", "weight": 2, "terms": ["opencv"],
     "tags": ["multimodal_cv"], "needs": ["a.dl"], "source": "test"},
    {"id": "t.deploy", "kind": "tag", "weight": 1.5, "tag_weight": 0.5, "terms": ["deploy"],
     "tags": ["mlops_deployment"], "source": "test"},
    {"id": "o.android", "kind": "other", "weight": 1, "fields": ["title"], "terms": ["android"],
     "source": "test"}
  ]})";

class EvidenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto rules = jobmarket::rules::RuleSet::parse(kTable, "evidence.json");
    ASSERT_TRUE(rules) << rules.error();
    auto c = Classifier::create(*rules);
    ASSERT_TRUE(c) << c.error();
    m_classifier = std::make_unique<Classifier>(std::move(*c));
    m_ws = std::make_unique<Classifier::Workspace>(m_classifier->make_workspace());
  }
  jobmarket::classify::Classification run(const std::string& title, const std::string& text,
                                          Scores* scores) {
    jobmarket::Posting p;
    p.get(jobmarket::Field::title) = title;
    p.get(jobmarket::Field::text) = text;
    jobmarket::normalize::NormalizedPosting n;
    jobmarket::normalize::normalize_posting(p, n);
    return m_classifier->classify(p, n, *m_ws, scores);
  }
  double engineering(const std::string& title, const std::string& text) {
    Scores s;
    run(title, text, &s);
    return s.engineering;
  }
  std::unique_ptr<Classifier> m_classifier;
  std::unique_ptr<Classifier::Workspace> m_ws;
};

}  // namespace

TEST_F(EvidenceTest, OptionalAndNegatedCluesWeakenTheirClauseOnly) {
  EXPECT_DOUBLE_EQ(engineering("", "负责agent开发。"), 2.0);
  // The cue follows the term it weakens, in the same clause.
  EXPECT_DOUBLE_EQ(engineering("", "有agent开发经验者优先。"), 1.0);
  EXPECT_DOUBLE_EQ(engineering("", "experience with agent frameworks is a plus."), 1.0);
  EXPECT_DOUBLE_EQ(engineering("", "agent experience not required."), 0.0);
  EXPECT_DOUBLE_EQ(engineering("", "不需要agent经验"), 0.0);
  // Another clause keeps its full weight: "负责agent开发" counts 2, the optional one adds
  // nothing with repeat_weight 0.
  EXPECT_DOUBLE_EQ(engineering("", "负责agent开发；有agent经验者优先"), 2.0);
  // A lead-in clause ending with ':' passes its cue to the next clause.
  EXPECT_DOUBLE_EQ(engineering("", "a plus: agent frameworks"), 1.0);
}

TEST_F(EvidenceTest, HeaderTermsCountOnlyWhereWrittenAsHeadings) {
  EXPECT_DOUBLE_EQ(engineering("", "Benefits: agent training budget"), 2.0 * 0.1);
  // "benefits" inside a sentence is not a heading: the section does not change.
  EXPECT_DOUBLE_EQ(engineering("", "the benefits of agent design"), 2.0);
  jobmarket::normalize::NormalizedPosting n;
  jobmarket::Posting p;
  p.get(jobmarket::Field::text) = "1. Benefits\n2. we offer";
  jobmarket::normalize::normalize_posting(p, n);
  EXPECT_TRUE(jobmarket::normalize::is_heading(n.text, n.text_clauses[1], 3, 11));
}

TEST_F(EvidenceTest, TitleTeamPartCountsLikeText) {
  Scores s;
  run("agent engineer", "", &s);
  EXPECT_DOUBLE_EQ(s.engineering, 2.0 * 3);
  run("Backend engineer - agent", "", &s);  // the role part is "backend engineer"
  EXPECT_DOUBLE_EQ(s.engineering, 2.0 * 1);
  run("【实习】agent工程师-平台", "", &s);  // a bracketed prefix is an aside
  EXPECT_DOUBLE_EQ(s.engineering, 2.0 * 3);
}

TEST_F(EvidenceTest, TitleFocusPartCountsAsTheRole) {
  Scores s;
  run("后台工程师-agent平台", "", &s);  // a team or product part
  EXPECT_DOUBLE_EQ(s.engineering, 2.0 * 1);
  run("后台工程师-agent方向", "", &s);  // "X方向" names the job's own focus
  EXPECT_DOUBLE_EQ(s.engineering, 2.0 * 3);
  run("后台工程师（agent 方向 ）", "", &s);
  EXPECT_DOUBLE_EQ(s.engineering, 2.0 * 3);
  // Beside a non-AI role the focus still weighs as the role (and, as any engineering term
  // in the title, keeps the text from being discounted).
  auto c = run("Android工程师-agent方向", "调用 doubao 接口", &s);
  EXPECT_DOUBLE_EQ(s.engineering, 2.0 * 3 + 2.0);
  EXPECT_EQ(c.direction, Direction::engineering);
}

TEST_F(EvidenceTest, NonAiRoleInTitleHalvesTheAiEvidenceElsewhere) {
  Scores s;
  auto c = run("Android工程师", "调用 doubao 接口", &s);
  EXPECT_DOUBLE_EQ(s.engineering, 2.0 * 0.5);
  EXPECT_DOUBLE_EQ(s.other, 3.0);
  EXPECT_EQ(c.direction, Direction::other);
  // An AI term in the title makes it an AI job: no discount.
  run("Android工程师-agent", "调用 doubao 接口", &s);
  EXPECT_DOUBLE_EQ(s.engineering, 2.0 + 2.0);
}

TEST_F(EvidenceTest, NeedsAndTagWeight) {
  Scores s;
  auto c = run("", "opencv image tools", &s);
  EXPECT_DOUBLE_EQ(s.engineering, 0.0);  // needs a.dl
  EXPECT_TRUE(c.tags.empty());
  c = run("", "opencv and pytorch models", &s);
  EXPECT_DOUBLE_EQ(s.engineering, 2.0);
  EXPECT_EQ(c.tags, (std::vector<std::string>{"multimodal_cv"}));
  // tag_weight 0.5: three deploy clauses in the title would be needed; one in the title
  // (factor 3) gives 1.5, below the threshold of 2.
  c = run("deploy engineer", "agent", &s);
  EXPECT_EQ(c.tags, (std::vector<std::string>{"agent"}));
  ASSERT_EQ(s.tags.size(), 2u);
  EXPECT_EQ(s.tags[1].first, "mlops_deployment");
  EXPECT_DOUBLE_EQ(s.tags[1].second, 1.5);
}

TEST(EvidenceRules, NewKeysAreValidated) {
  auto err = [](const char* json) {
    auto r = jobmarket::rules::RuleSet::parse(json, "x.json");
    if (!r) return r.error();
    auto c = Classifier::create(*r);
    return c ? std::string() : c.error();
  };
  EXPECT_EQ(err(R"({"version":"v","rules":[],"cues":[{"name":"c","weight":2,"terms":["x"],"source":"s"}]})"),
            "x.json: cues[0] 'c': 'weight' must be between 0 and 1");
  EXPECT_EQ(err(R"({"version":"v","rules":[],"cues":[{"name":"c","weight":0.5,"terms":[],"source":"s"}]})"),
            "x.json: cues[0] 'c': 'terms' is empty");
  EXPECT_EQ(err(R"({"version":"v","rules":[],"title_roles":{"terms":["a"]}})"),
            "x.json: title_roles: missing 'source' (say where the rule comes from)");
  EXPECT_EQ(err(R"({"version":"v","rules":[{"id":"a","kind":"ai","terms":["x"],"tag_weight":-1,"source":"s"}]})"),
            "x.json: rules[0] 'a': 'tag_weight' must not be negative");
  EXPECT_EQ(err(R"({"version":"v","rules":[{"id":"a","kind":"ai","terms":["x"],"needs":["zz"],"source":"s"}]})"),
            "x.json: rule 'a': 'needs' names no rule: 'zz'");
}

TEST(EvidenceRules, PerTagThresholdsReplaceTheGlobalOneForTheirTag) {
  // One "deploy" in the text scores 0.5 for mlops_deployment (tag_weight 0.5), one "agent"
  // 1 for agent: below the global bar of 2, above their own bars.
  auto table = [](const char* thresholds) {
    return fmt::format(R"({{"version":"t","scoring":{{"tag_threshold":2,"cross_tag_factor":2,
      "repeat_weight":0,"tag_thresholds":{}}},
      "rules":[{{"id":"e","kind":"engineering","weight":1,"terms":["agent"],"tags":["agent"],"source":"s"}},
               {{"id":"d","kind":"tag","weight":1,"tag_weight":0.5,"terms":["deploy"],
                 "tags":["mlops_deployment"],"source":"s"}},
               {{"id":"r","kind":"research","weight":5,"terms":["pretraining"],"source":"s"}}]}})",
                       thresholds);
  };
  auto tags_of = [&](const char* thresholds, const char* text) {
    auto rules = jobmarket::rules::RuleSet::parse(table(thresholds), "t.json");
    EXPECT_TRUE(rules) << rules.error();
    auto c = Classifier::create(*rules);
    EXPECT_TRUE(c) << c.error();
    auto ws = c->make_workspace();
    jobmarket::Posting p;
    p.get(jobmarket::Field::text) = text;
    jobmarket::normalize::NormalizedPosting n;
    jobmarket::normalize::normalize_posting(p, n);
    return c->classify(p, n, ws).tags;
  };
  using Tags = std::vector<std::string>;
  EXPECT_EQ(tags_of("{}", "agent; deploy"), Tags{});
  EXPECT_EQ(tags_of(R"({"agent":1,"mlops_deployment":0.5})", "agent; deploy"),
            (Tags{"agent", "mlops_deployment"}));
  // A research posting: the engineering-side agent tag needs cross_tag_factor x the larger
  // of its own bar and the global one (2 x 2), not 2 x 1: a lowered bar stays on its side.
  EXPECT_EQ(tags_of(R"({"agent":1})", "pretraining; agent"), Tags{});
  auto rules = jobmarket::rules::RuleSet::parse(table(R"({"agent":1.5})"), "t.json");
  ASSERT_TRUE(rules) << rules.error();
  EXPECT_DOUBLE_EQ(rules->scoring().threshold_of("agent"), 1.5);
  EXPECT_DOUBLE_EQ(rules->scoring().threshold_of("rag"), 2.0);
  EXPECT_EQ(rules->to_json()["scoring"]["tag_thresholds"].dump(), R"({"agent":1.5})");
}

TEST(EvidenceRules, PerTagThresholdsAreValidated) {
  auto err = [](const char* scoring) {
    auto r = jobmarket::rules::RuleSet::parse(
        fmt::format(R"({{"version":"v","rules":[],"scoring":{}}})", scoring), "x.json");
    return r ? std::string() : r.error();
  };
  EXPECT_EQ(err(R"({"tag_thresholds":[1]})"),
            "x.json: scoring: 'tag_thresholds' must be an object of tag: number");
  EXPECT_EQ(err(R"({"tag_thresholds":{"ragg":1}})"), "x.json: scoring: tag_thresholds: unknown tag 'ragg'");
  EXPECT_EQ(err(R"({"tag_thresholds":{"rag":-1}})"), "x.json: scoring: tag_thresholds: 'rag' is negative");
  EXPECT_EQ(err(R"({"tag_thresholds":{"rag":"high"}})"), "x.json: scoring: 'rag' must be a number");
}

TEST(EvidenceRules, TagsWhenCountOnlyOnPostingsOfThatDirection) {
  // "llm" marks an AI role (kind ai) and, on an engineering posting only, names
  // llm_application: the same word on a research posting is the model being built.
  const char* table = R"({"version":"t","scoring":{"tag_threshold":2,"repeat_weight":0,"min_signal":1},
    "rules":[{"id":"e","kind":"engineering","weight":2,"terms":["agent"],"tags":["agent"],"source":"s"},
             {"id":"r","kind":"research","weight":3,"terms":["pretraining"],"source":"s"},
             {"id":"a","kind":"ai","weight":1,"tag_weight":2,"terms":["llm"],
              "tags":["llm_application"],"tags_when":"engineering","source":"s"}]})";
  auto rules = jobmarket::rules::RuleSet::parse(table, "t.json");
  ASSERT_TRUE(rules) << rules.error();
  auto c = Classifier::create(*rules);
  ASSERT_TRUE(c) << c.error();
  auto ws = c->make_workspace();
  auto run = [&](const char* text) {
    jobmarket::Posting p;
    p.get(jobmarket::Field::text) = text;
    jobmarket::normalize::NormalizedPosting n;
    jobmarket::normalize::normalize_posting(p, n);
    return c->classify(p, n, ws);
  };
  using Tags = std::vector<std::string>;
  auto eng = run("build agent features on an llm");
  EXPECT_EQ(eng.direction, Direction::engineering);
  EXPECT_EQ(eng.tags, (Tags{"agent", "llm_application"}));
  auto res = run("llm pretraining");
  EXPECT_EQ(res.direction, Direction::research);
  EXPECT_EQ(res.tags, Tags{});
  // A generic AI role (ai score only) is engineering: the tag counts there too.
  auto generic = run("we use an llm");
  EXPECT_EQ(generic.direction, Direction::engineering);
  EXPECT_EQ(generic.tags, Tags{"llm_application"});
  EXPECT_EQ(rules->to_json()["rules"][2]["tags_when"], "engineering");

  auto err = [](const char* rule) {
    auto r = jobmarket::rules::RuleSet::parse(fmt::format(R"({{"version":"v","rules":[{}]}})", rule),
                                              "x.json");
    return r ? std::string() : r.error();
  };
  EXPECT_EQ(err(R"({"id":"a","kind":"ai","terms":["x"],"tags":["rag"],"tags_when":"other","source":"s"})"),
            R"(x.json: rules[0] 'a': 'tags_when' must be "research" or "engineering")");
  EXPECT_EQ(err(R"({"id":"a","kind":"ai","terms":["x"],"tags_when":"research","source":"s"})"),
            "x.json: rules[0] 'a': 'tags_when' on a rule without 'tags'");
}
