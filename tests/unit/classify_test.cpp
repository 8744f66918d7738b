// The classifier on small hand-written postings and tables: normalization through matching,
// word boundaries, CJK, sections, scoring ties, tags, evidence and determinism.
#include <gtest/gtest.h>

#include <jobmarket/classify/classifier.hpp>
#include <jobmarket/classify/eval.hpp>
#include <jobmarket/normalize/posting.hpp>
#include <jobmarket/rules/rule_set.hpp>

using jobmarket::classify::Classification;
using jobmarket::classify::Classifier;
using jobmarket::classify::Direction;

namespace {

jobmarket::Posting posting(const std::string& title, const std::string& text) {
  jobmarket::Posting p;
  p.get(jobmarket::Field::title) = title;
  p.get(jobmarket::Field::text) = text;
  return p;
}

// A small table so expected scores are easy to compute by hand.
const char* kTable = R"({
  "version": "test-1",
  "scoring": {"title_weight": 3, "repeat_weight": 0.5, "repeat_cap": 1, "min_signal": 1,
              "tag_threshold": 2, "other_margin": 0},
  "sections": [{"name": "company", "weight": 0.1, "headers": ["about us", "公司介绍"]}],
  "rules": [
    {"id": "r.kernel", "kind": "research", "weight": 2, "terms": ["CUDA", "算子"],
     "tags": ["operators"], "tie_research": true, "source": "article: operators"},
    {"id": "r.pretrain", "kind": "research", "weight": 2, "terms": ["pretraining"],
     "tags": ["architecture_pretraining"], "source": "article: pretraining"},
    {"id": "e.rag", "kind": "engineering", "weight": 2, "terms": ["RAG", "向量数据库"],
     "tags": ["rag"], "source": "article: RAG"},
    {"id": "e.agent", "kind": "engineering", "weight": 2, "terms": ["agent", "智能体"],
     "tags": ["agent"], "source": "article: Agent"},
    {"id": "o.sales", "kind": "other", "weight": 5, "fields": ["title"], "terms": ["sales"],
     "source": "issue 3: negative"},
    {"id": "t.fin", "kind": "tag", "weight": 2, "terms": ["bank", "金融"],
     "tags": ["industry_finance"], "source": "article: finance"},
    {"id": "t.health", "kind": "tag", "weight": 2, "terms": ["hospital"],
     "tags": ["industry_healthcare"], "source": "article: healthcare"}
  ]})";

class ClassifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto rules = jobmarket::rules::RuleSet::parse(kTable, "test.json");
    ASSERT_TRUE(rules) << rules.error();
    auto c = Classifier::create(*rules);
    ASSERT_TRUE(c) << c.error();
    m_classifier = std::make_unique<Classifier>(std::move(*c));
    m_ws = std::make_unique<Classifier::Workspace>(m_classifier->make_workspace());
  }
  Classification run(const std::string& title, const std::string& text,
                     jobmarket::classify::Scores* scores = nullptr) {
    auto p = posting(title, text);
    jobmarket::normalize::NormalizedPosting n;
    jobmarket::normalize::normalize_posting(p, n);
    return m_classifier->classify(p, n, *m_ws, scores);
  }
  std::unique_ptr<Classifier> m_classifier;
  std::unique_ptr<Classifier::Workspace> m_ws;
};

}  // namespace

TEST_F(ClassifyTest, FullWidthAndCaseMatchAfterNormalization) {
  auto c = run("Engineer", "build ＲＡＧ pipelines; Rag evaluation");
  EXPECT_EQ(c.direction, Direction::engineering);
  ASSERT_EQ(c.evidence.size(), 1u);
  EXPECT_EQ(c.evidence[0].rule, "e.rag");
  EXPECT_EQ(c.evidence[0].field, jobmarket::Field::text);
  EXPECT_EQ(c.evidence[0].text, "rag");
  EXPECT_EQ(c.tags, (std::vector<std::string>{"rag"}));
}

TEST_F(ClassifyTest, LatinWordBoundaries) {
  // RAG inside storage/leverage and agent inside reagent are not hits: no AI signal.
  auto c = run("Lab technician", "storage of reagents, leverage reagent supply");
  EXPECT_EQ(c.direction, Direction::other);
  EXPECT_TRUE(c.evidence.empty());
  EXPECT_EQ(c.confidence, 1.0);
}

TEST_F(ClassifyTest, CjkMatchesWithoutBoundaries) {
  jobmarket::classify::Scores s;
  auto c = run("开发工程师", "负责智能体开发，熟悉向量数据库", &s);
  EXPECT_EQ(c.direction, Direction::engineering);
  EXPECT_DOUBLE_EQ(s.engineering, 4.0);
  EXPECT_EQ(c.tags, (std::vector<std::string>{"agent", "rag"}));
}

TEST_F(ClassifyTest, TitleHitsWeighMoreThanBodyHits) {
  jobmarket::classify::Scores s;
  auto c = run("CUDA engineer", "build agent tools with RAG", &s);
  EXPECT_DOUBLE_EQ(s.research, 6.0);     // title hit: 2 x 3
  EXPECT_DOUBLE_EQ(s.engineering, 4.0);  // two body hits: 2 + 2
  EXPECT_EQ(c.direction, Direction::research);
  EXPECT_DOUBLE_EQ(c.confidence, 0.6);  // 6 / (6 + 4)
}

TEST_F(ClassifyTest, RepeatsHaveDiminishingReturns) {
  jobmarket::classify::Scores s;
  run("x", "rag rag rag rag rag", &s);
  EXPECT_DOUBLE_EQ(s.engineering, 2.0 * (1.0 + 0.5 * 1.0));  // repeat_cap 1
}

TEST_F(ClassifyTest, CompanySectionsWeighLittle) {
  jobmarket::classify::Scores s;
  auto c = run("Engineer", "About us: we are the RAG company. 公司介绍 智能体", &s);
  EXPECT_DOUBLE_EQ(s.engineering, 2.0 * 0.1 + 2.0 * 0.1);
  EXPECT_EQ(c.direction, Direction::other);  // below min_signal
  // Industry words still count in the company description.
  auto bank = run("Engineer", "build RAG. About us: a bank");
  EXPECT_EQ(bank.tags, (std::vector<std::string>{"industry_finance", "rag"}));
}

TEST_F(ClassifyTest, TieGoesToResearchWithPapersOrTrainingSystems) {
  // GUIDE: a tie goes to research when the research side includes papers or
  // training-systems work (tie_research), else to engineering.
  auto tie_kernel = run("Engineer", "write CUDA kernels and RAG services");
  EXPECT_EQ(tie_kernel.direction, Direction::research);
  EXPECT_DOUBLE_EQ(tie_kernel.confidence, 0.5);
  auto tie_plain = run("Engineer", "pretraining and RAG services");
  EXPECT_EQ(tie_plain.direction, Direction::engineering);
}

TEST_F(ClassifyTest, OtherSignalsAndOtherTags) {
  auto c = run("Sales lead", "sell our RAG platform to hospitals and a hospital chain");
  EXPECT_EQ(c.direction, Direction::other);
  // Sub-direction tags are dropped on "other" postings; the industry stays.
  EXPECT_EQ(c.tags, (std::vector<std::string>{"industry_healthcare"}));
  EXPECT_DOUBLE_EQ(c.confidence, 0.882);  // 15 / (15 + 2) rounded
}

TEST_F(ClassifyTest, AtMostOneIndustryTag) {
  auto c = run("RAG engineer", "bank, bank, and a hospital");
  EXPECT_EQ(c.tags, (std::vector<std::string>{"industry_finance", "rag"}));
}

TEST_F(ClassifyTest, EvidenceInRuleOrderTitleFirst) {
  auto c = run("Agent engineer", "RAG, CUDA and agent work");
  ASSERT_EQ(c.evidence.size(), 4u);
  EXPECT_EQ(c.evidence[0].rule, "r.kernel");
  EXPECT_EQ(c.evidence[1].rule, "e.rag");
  EXPECT_EQ(c.evidence[2].rule, "e.agent");
  EXPECT_EQ(c.evidence[2].field, jobmarket::Field::title);
  EXPECT_EQ(c.evidence[3].rule, "e.agent");
  EXPECT_EQ(c.evidence[3].field, jobmarket::Field::text);
}

TEST_F(ClassifyTest, Deterministic) {
  auto a = run("Agent engineer", "RAG, CUDA and agent work at a bank");
  for (int i = 0; i < 3; ++i) {
    auto b = run("Agent engineer", "RAG, CUDA and agent work at a bank");
    EXPECT_EQ(a.direction, b.direction);
    EXPECT_EQ(a.confidence, b.confidence);
    EXPECT_EQ(a.tags, b.tags);
    ASSERT_EQ(a.evidence.size(), b.evidence.size());
    for (std::size_t k = 0; k < a.evidence.size(); ++k) {
      EXPECT_EQ(a.evidence[k].rule, b.evidence[k].rule);
      EXPECT_EQ(a.evidence[k].text, b.evidence[k].text);
    }
  }
}

TEST(ClassifyNames, Directions) {
  using jobmarket::classify::direction_from_name;
  using jobmarket::classify::direction_name;
  EXPECT_EQ(direction_name(Direction::research), "research");
  EXPECT_EQ(direction_name(Direction::engineering), "engineering");
  EXPECT_EQ(direction_name(Direction::other), "other");
  EXPECT_EQ(direction_from_name("engineering"), Direction::engineering);
  EXPECT_EQ(direction_from_name("Engineering"), std::nullopt);
}

TEST(ClassifyBuiltin, ArticleExamples) {
  auto rules = jobmarket::rules::RuleSet::builtin();
  ASSERT_TRUE(rules) << rules.error();
  auto c = Classifier::create(*rules);
  ASSERT_TRUE(c) << c.error();
  auto ws = c->make_workspace();
  auto run = [&](const std::string& title, const std::string& text) {
    auto p = posting(title, text);
    jobmarket::normalize::NormalizedPosting n;
    jobmarket::normalize::normalize_posting(p, n);
    return c->classify(p, n, ws).direction;
  };
  EXPECT_EQ(run("大模型算法研究员",
                "负责CUDA算子开发与优化，分布式训练，混合精度。要求在NeurIPS/ICML发表论文。"),
            Direction::research);
  EXPECT_EQ(run("大模型应用开发工程师",
                "基于DeepSeek开发Agent与RAG应用，使用Milvus向量数据库和LangChain，Docker部署。"),
            Direction::engineering);
  EXPECT_EQ(run("Account Director", "Sell our API to enterprise customers."), Direction::other);
  EXPECT_EQ(run("Java开发工程师", "负责后台开发，熟悉Spring Boot、MySQL、Redis。"),
            Direction::other);
}

TEST(ClassifyEvalMetrics, CountsAndMerge) {
  jobmarket::classify::Evaluation a, b;
  a.add(Direction::research, Direction::research, {"operators"}, {"operators"});
  a.add(Direction::engineering, Direction::research, {"rag"}, {});
  b.add(Direction::other, Direction::other, {}, {"agent"});
  b.add(Direction::engineering, Direction::engineering, {"rag", "agent"}, {"rag"});
  a.merge(b);
  EXPECT_EQ(a.count(), 4u);
  EXPECT_EQ(a.correct(), 3u);
  EXPECT_DOUBLE_EQ(a.accuracy(), 0.75);
  EXPECT_EQ(a.confusion()[1][0], 1u);
  // research P=1/2 R=1 F1=2/3; engineering P=1 R=1/2 F1=2/3; other F1=1.
  EXPECT_DOUBLE_EQ(a.macro_f1(), (2.0 / 3 + 2.0 / 3 + 1.0) / 3);
  auto micro = a.tag_micro();
  EXPECT_EQ(micro.tp, 2u);
  EXPECT_EQ(micro.fp, 1u);
  EXPECT_EQ(micro.fn, 2u);
  EXPECT_EQ(a.tags().at("rag").fn, 1u);
  EXPECT_EQ(
      a.to_json().dump(),
      R"({"count":4,"correct":3,"accuracy":0.75,"macro_f1":0.7778,"classes":{"research":{"precision":0.5,"recall":1.0,"f1":0.6667},"engineering":{"precision":1.0,"recall":0.5,"f1":0.6667},"other":{"precision":1.0,"recall":1.0,"f1":1.0}},"confusion":{"research":{"research":1,"engineering":0,"other":0},"engineering":{"research":1,"engineering":1,"other":0},"other":{"research":0,"engineering":0,"other":1}},"tags":{"micro_precision":0.6667,"micro_recall":0.5,"micro_f1":0.5714,"per_tag":{"agent":{"tp":0,"fp":1,"fn":1,"support":1,"precision":0.0,"recall":0.0,"f1":0.0},"operators":{"tp":1,"fp":0,"fn":0,"support":1,"precision":1.0,"recall":1.0,"f1":1.0},"rag":{"tp":1,"fp":0,"fn":1,"support":2,"precision":1.0,"recall":0.5,"f1":0.6667}}}})");
}
