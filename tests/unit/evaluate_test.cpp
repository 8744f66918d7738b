// Hand labels and the scorecard that compares the pipeline's answers with them.
#include <gtest/gtest.h>

#include <jobmarket/evaluate/labels.hpp>
#include <jobmarket/evaluate/scorecard.hpp>

namespace {

using jobmarket::classify::Direction;
using jobmarket::evaluate::Label;
using jobmarket::evaluate::parse_label;

constexpr const char* kFull =
    R"({"id":"c:3","corpus":"c","file":"f.csv","row":3,"split":"holdout","direction":"research",)"
    R"("certainty":"clear","tags":["operators"],"min_education":"master","preferred_education":"phd",)"
    R"("school_tier":["985"],"majors":["cs","math"],"papers":"preferred","venues":["NeurIPS"],)"
    R"("experience_years_min":3,"english":"none","salary":{"low":30000,"high":50000,"currency":"CNY",)"
    R"("period":"month","months_per_year":15,"negotiable":false},"posted":"2025-03-01"})";

TEST(EvaluateLabels, ParsesEveryGuideField) {
  auto l = parse_label(kFull);
  ASSERT_TRUE(l) << l.error();
  EXPECT_EQ(l->id, "c:3");
  EXPECT_EQ(l->row, 3u);
  EXPECT_EQ(l->split, "holdout");
  EXPECT_EQ(l->direction, Direction::research);
  EXPECT_TRUE(l->clear);
  EXPECT_TRUE(l->has_barriers);
  EXPECT_EQ(l->min_education, jobmarket::extract::Education::master);
  EXPECT_EQ(l->preferred_education, jobmarket::extract::Education::phd);
  EXPECT_EQ(l->majors, (std::vector<std::string>{"cs", "math"}));
  EXPECT_EQ(l->papers, jobmarket::extract::Requirement::preferred);
  EXPECT_EQ(l->experience_years_min, 3);
  ASSERT_TRUE(l->salary);
  EXPECT_EQ(*l->salary->low, 30000);
  EXPECT_EQ(l->salary->currency, "CNY");
  EXPECT_EQ(l->salary->period, jobmarket::extract::Period::month);
  EXPECT_EQ(l->salary->months_per_year, 15);
  EXPECT_EQ(l->posted, "2025-03-01");
}

TEST(EvaluateLabels, MinimalLabelDefaultsToDev) {
  auto l = parse_label(R"({"id":"c:0","corpus":"c","file":"f.csv","row":0,"direction":"other"})");
  ASSERT_TRUE(l) << l.error();
  EXPECT_EQ(l->split, "dev");
  EXPECT_TRUE(l->clear);  // certainty absent: clear
  EXPECT_FALSE(l->has_barriers);
  EXPECT_FALSE(l->has_salary);
  EXPECT_FALSE(l->has_posted);
}

TEST(EvaluateLabels, ErrorsNameTheProblem) {
  EXPECT_EQ(parse_label("[1]").error(), "not a JSON object");
  EXPECT_EQ(parse_label(R"({"corpus":"c","file":"f","row":0})").error(), "missing string 'id'");
  EXPECT_EQ(parse_label(R"({"id":"a","corpus":"c","file":"f","row":-1,"direction":"other"})").error(),
            "missing non-negative integer 'row'");
  EXPECT_EQ(parse_label(R"({"id":"a","corpus":"c","file":"f","row":0,"direction":"x"})").error(),
            "unknown direction 'x'");
  EXPECT_EQ(parse_label(R"({"id":"a","corpus":"c","file":"f","row":0})").error(),
            "missing 'direction'");
  EXPECT_EQ(
      parse_label(R"({"id":"a","corpus":"c","file":"f","row":0,"direction":"other","split":"test"})")
          .error(),
      "'split' must be \"dev\", \"tune\" or \"holdout\"");
  EXPECT_EQ(parse_label(R"({"id":"a","corpus":"c","file":"f","row":0,"direction":"other",)"
                        R"("min_education":"diploma"})")
                .error(),
            "unknown min_education 'diploma'");
}

jobmarket::pipeline::Analysis analysis_matching_full_label() {
  jobmarket::pipeline::Analysis a;
  a.classification.direction = Direction::research;
  a.classification.tags = {"operators", "rag"};
  auto& b = a.barriers;
  b.min_education = jobmarket::extract::Education::master;
  b.preferred_education = jobmarket::extract::Education::phd;
  b.school_tier = {"985"};
  b.majors = {"cs"};
  b.papers = jobmarket::extract::Requirement::preferred;
  b.venues = {"neurips"};  // compared without case
  b.experience_years_min = 3;
  jobmarket::extract::Salary s;
  s.low = 30000;
  s.high = 50000;
  s.currency = "CNY";
  s.period = jobmarket::extract::Period::month;
  s.months_per_year = 15;
  a.salary.salary = s;
  a.posted = jobmarket::extract::Date{2025, 3, 1};
  return a;
}

TEST(EvaluateScorecard, CountsEveryField) {
  auto l = parse_label(kFull);
  ASSERT_TRUE(l);
  jobmarket::evaluate::Scorecard card;
  card.add(*l, analysis_matching_full_label());
  EXPECT_EQ(card.count(), 1u);
  EXPECT_EQ(card.clear().correct(), 1u);
  EXPECT_EQ(card.clear().tags().at("rag").fp, 1u);
  EXPECT_EQ(card.barrier_fields().at("min_education").correct, 1u);
  const auto& majors = card.barrier_sets().at("majors");
  EXPECT_EQ(majors.exact.correct, 0u);
  EXPECT_EQ(majors.members.tp, 1u);
  EXPECT_EQ(majors.members.fn, 1u);
  EXPECT_EQ(card.barrier_sets().at("venues").exact.correct, 1u);
  EXPECT_EQ(card.salary().labeled, 1u);
  EXPECT_EQ(card.salary().exact, 1u);
  EXPECT_EQ(card.posted().correct, 1u);

  // A merge adds the counts: the same item twice, once with the salary in another currency.
  jobmarket::evaluate::Scorecard other;
  auto a = analysis_matching_full_label();
  a.salary.salary->currency = "USD";
  other.add(*l, a);
  card.merge(other);
  EXPECT_EQ(card.count(), 2u);
  EXPECT_EQ(card.salary().labeled, 2u);
  EXPECT_EQ(card.salary().exact, 1u);
  EXPECT_EQ(card.salary().currency, 1u);
  EXPECT_EQ(card.salary().bounds, 2u);
  EXPECT_EQ(card.to_json()["salary"].dump(),
            R"({"labeled":2,"exact":1,"accuracy":0.5,"currency":1,"period":2,"bounds":2,)"
            R"("months_per_year":2,"missed":0,"spurious":0})");
}

TEST(EvaluateScorecard, SalaryDifferenceNamesTheParts) {
  jobmarket::evaluate::LabeledSalary label;
  label.low = 100;
  label.high = 200;
  label.currency = "USD";
  label.period = jobmarket::extract::Period::year;
  jobmarket::extract::SalaryResult found;
  EXPECT_EQ(jobmarket::evaluate::salary_difference(label, found), "missed");
  found.unparsed = "??";
  EXPECT_EQ(jobmarket::evaluate::salary_difference(label, found), "unparsed");
  jobmarket::extract::Salary s;
  s.low = 100;
  s.high = 250;
  s.period = jobmarket::extract::Period::year;
  found.salary = s;
  EXPECT_EQ(jobmarket::evaluate::salary_difference(label, found), "currency, bounds");
  found.salary->currency = "USD";
  found.salary->high = 200.4;  // within half a unit
  EXPECT_EQ(jobmarket::evaluate::salary_difference(label, found), "");
  // 面议 without amounts: currency and period are not compared.
  jobmarket::evaluate::LabeledSalary negotiable;
  negotiable.negotiable = true;
  jobmarket::extract::Salary n;
  n.negotiable = true;
  n.currency = "CNY";
  found.salary = n;
  EXPECT_EQ(jobmarket::evaluate::salary_difference(negotiable, found), "");
}

}  // namespace

TEST(EvaluateScorecard, TagDifferenceNamesMissingAndExtraTags) {
  using jobmarket::evaluate::tag_difference;
  using Tags = std::vector<std::string>;
  EXPECT_EQ(tag_difference(Tags{"agent", "rag"}, Tags{"agent", "rag"}), "");
  EXPECT_EQ(tag_difference(Tags{"agent", "rag"}, Tags{"agent"}), "missing rag");
  EXPECT_EQ(tag_difference(Tags{}, Tags{"agent", "rag"}), "extra agent, rag");
  EXPECT_EQ(tag_difference(Tags{"fine_tuning", "rag"}, Tags{"agent", "rag"}),
            "missing fine_tuning; extra agent");
}
