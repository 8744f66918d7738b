// The report as one mergeable value: partial JSON round trip, merge of disjoint parts,
// and refusal to merge parts made with different options.
#include <gtest/gtest.h>

#include <jobmarket/aggregate/report.hpp>

using namespace jobmarket;
using namespace jobmarket::aggregate;

namespace {

Report make(const std::string& file, classify::Direction d, int n) {
  Report r;
  r.meta.version = "0.1.0";
  r.meta.rules_version = "test";
  r.meta.as_of = "2025-12-31";
  r.meta.options = {{"currency", "CNY"}, {"bucket", "month"}};
  r.meta.inputs.push_back({{"file", file}});
  for (int i = 0; i < n; ++i) {
    pipeline::Analysis a;
    a.classification.direction = d;
    // Every section counts every posting, as in `jobmarket report` (a partial whose
    // sections disagree is refused).
    r.overview.add(a);
    r.barriers.add(d, a.barriers);
    r.salary.add(a, std::nullopt);
    r.trends.add(std::nullopt, d, {}, std::nullopt, false);
  }
  return r;
}

}  // namespace

TEST(Report, PartialRoundTripKeepsTheReport) {
  auto r = make("a.csv", classify::Direction::research, 3);
  auto back = Report::from_partial_json(r.to_partial_json());
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->to_json().dump(), r.to_json().dump());
}

TEST(Report, MergeAddsCountsAndInputs) {
  auto a = make("a.csv", classify::Direction::research, 3);
  auto b = make("b.csv", classify::Direction::engineering, 2);
  ASSERT_TRUE(a.merge(b));
  auto j = a.to_json();
  EXPECT_EQ(j["overview"]["records"], 5);
  EXPECT_EQ(j["overview"]["directions"]["engineering"]["count"], 2);
  ASSERT_EQ(j["inputs"].size(), 2u);
  EXPECT_EQ(j["inputs"][1]["file"], "b.csv");
}

TEST(Report, RefusesPartsMadeDifferently) {
  auto a = make("a.csv", classify::Direction::research, 1);
  auto b = make("b.csv", classify::Direction::research, 1);
  b.meta.options["bucket"] = "week";
  auto r = a.merge(b);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), "option 'bucket' is \"week\", not \"month\"");
  EXPECT_EQ(a.overview.records(), 1u);  // unchanged

  auto c = make("c.csv", classify::Direction::research, 1);
  c.meta.as_of = nullptr;
  EXPECT_EQ(a.merge(c).error(), "--as-of null, not \"2025-12-31\"");
  auto d = make("d.csv", classify::Direction::research, 1);
  d.meta.rules_version = "other";
  EXPECT_EQ(a.merge(d).error(), "rules version other, not test");
}

TEST(Report, RejectsWhatIsNotAPartial) {
  EXPECT_FALSE(Report::from_partial_json(nlohmann::ordered_json::parse(R"({"schema_version": 1})")));
  auto p = make("a.csv", classify::Direction::other, 1).to_partial_json();
  p["schema_version"] = 99;
  auto r = Report::from_partial_json(p);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("schema_version 99"), std::string::npos);
  p = make("a.csv", classify::Direction::other, 1).to_partial_json();
  p["overview"].erase("records");
  EXPECT_FALSE(Report::from_partial_json(p));
}
