// pipeline::Analyzer scans each field once with the classification and barrier tables
// combined; the results must be those of each consumer scanning on its own.
#include <gtest/gtest.h>

#include <jobmarket/pipeline/analyzer.hpp>
#include <jobmarket/read/reader.hpp>
#include <jobmarket/rules/rule_set.hpp>

#include "test_support.hpp"

using namespace jobmarket;

namespace {

void expect_same_evidence(const std::vector<classify::Evidence>& a,
                          const std::vector<classify::Evidence>& b, std::uint64_t row) {
  ASSERT_EQ(a.size(), b.size()) << "row " << row;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].rule, b[i].rule) << "row " << row;
    EXPECT_EQ(a[i].field, b[i].field) << "row " << row;
    EXPECT_EQ(a[i].text, b[i].text) << "row " << row;
  }
}

void expect_same_barriers(const extract::Barriers& a, const extract::Barriers& b, std::uint64_t row) {
  EXPECT_EQ(a.min_education, b.min_education) << "row " << row;
  EXPECT_EQ(a.preferred_education, b.preferred_education) << "row " << row;
  EXPECT_EQ(a.school_tier, b.school_tier) << "row " << row;
  EXPECT_EQ(a.majors, b.majors) << "row " << row;
  EXPECT_EQ(a.papers, b.papers) << "row " << row;
  EXPECT_EQ(a.venues, b.venues) << "row " << row;
  EXPECT_EQ(a.experience_years_min, b.experience_years_min) << "row " << row;
  EXPECT_EQ(a.english, b.english) << "row " << row;
  EXPECT_EQ(a.portfolio, b.portfolio) << "row " << row;
  EXPECT_EQ(a.school_tier_level, b.school_tier_level) << "row " << row;
  EXPECT_EQ(a.major_level, b.major_level) << "row " << row;
  expect_same_evidence(a.evidence, b.evidence, row);
}

pipeline::AnalyzerConfig builtin_config() {
  auto rules = rules::RuleSet::builtin();
  EXPECT_TRUE(rules);
  auto classifier = classify::Classifier::create(*rules);
  EXPECT_TRUE(classifier);
  auto barriers = extract::BarrierExtractor::builtin();
  EXPECT_TRUE(barriers);
  pipeline::AnalyzerConfig config;
  config.classifier = std::make_shared<classify::Classifier>(std::move(*classifier));
  config.barriers = std::make_shared<extract::BarrierExtractor>(std::move(*barriers));
  return config;
}

// Calls fn(posting) for each posting of the bundled sample; returns how many there were.
template <typename Fn>
std::size_t for_each_sample_posting(Fn fn) {
  auto reader = read::PostingReader::open(
      {(jobmarket::testing::source_dir() / "data" / "sample" / "postings.csv").string()}, {});
  EXPECT_TRUE(reader);
  if (!reader) return 0;
  std::size_t postings = 0;
  for (;;) {
    Posting posting;
    read::Reject reject;
    auto n = (*reader)->next(posting, reject);
    if (n == read::Next::end) break;
    if (n == read::Next::rejected) continue;
    ++postings;
    fn(posting);
  }
  return postings;
}

}  // namespace

// The runner recycles analyses (and workers their workspaces): analyzing a posting into an
// Analysis that held another posting's results must give exactly the fresh results.
TEST(Analyzer, ReusedAnalysisGivesTheFreshResult) {
  pipeline::Analyzer analyzer(builtin_config());
  auto reused_ws = analyzer.make_workspace();
  pipeline::Analysis reused;
  auto postings = for_each_sample_posting([&](const Posting& posting) {
    reused.posting = posting;
    analyzer.analyze(reused, reused_ws);
    pipeline::Analysis fresh;
    fresh.posting = reused.posting;
    auto fresh_ws = analyzer.make_workspace();
    analyzer.analyze(fresh, fresh_ws);
    const auto row = fresh.posting.source.row;
    EXPECT_EQ(reused.classification.direction, fresh.classification.direction) << "row " << row;
    EXPECT_EQ(reused.classification.confidence, fresh.classification.confidence) << "row " << row;
    EXPECT_EQ(reused.classification.tags, fresh.classification.tags) << "row " << row;
    expect_same_evidence(reused.classification.evidence, fresh.classification.evidence, row);
    expect_same_barriers(reused.barriers, fresh.barriers, row);
    EXPECT_EQ(reused.salary.salary.has_value(), fresh.salary.salary.has_value()) << "row " << row;
    EXPECT_EQ(reused.salary.unparsed, fresh.salary.unparsed) << "row " << row;
    EXPECT_EQ(reused.posted, fresh.posted) << "row " << row;
    EXPECT_EQ(reused.unparsed_date, fresh.unparsed_date) << "row " << row;
  });
  EXPECT_GT(postings, 10u);
}

TEST(Analyzer, CombinedScanGivesTheSeparateScansResults) {
  const auto config = builtin_config();
  pipeline::Analyzer analyzer(config);
  auto ws = analyzer.make_workspace();
  auto cws = config.classifier->make_workspace();
  auto bws = config.barriers->make_workspace();
  auto postings = for_each_sample_posting([&](const Posting& posting) {
    pipeline::Analysis a;
    a.posting = posting;
    analyzer.analyze(a, ws);
    normalize::NormalizedPosting norm;
    normalize::normalize_posting(a.posting, norm);
    auto c = config.classifier->classify(a.posting, norm, cws);
    auto b = config.barriers->extract(a.posting, norm, bws);
    const auto row = a.posting.source.row;
    EXPECT_EQ(a.classification.direction, c.direction) << "row " << row;
    EXPECT_EQ(a.classification.confidence, c.confidence) << "row " << row;
    EXPECT_EQ(a.classification.tags, c.tags) << "row " << row;
    expect_same_evidence(a.classification.evidence, c.evidence, row);
    expect_same_barriers(a.barriers, b, row);
  });
  EXPECT_GT(postings, 10u);
}

// Without evidence (the summaries never read it) every decision stays the same; only the
// evidence lists are empty. A reused analysis that held evidence loses it.
TEST(Analyzer, WithoutEvidenceDecidesTheSame) {
  auto config = builtin_config();
  pipeline::Analyzer with(config);
  config.evidence = false;
  pipeline::Analyzer without(config);
  auto ws_with = with.make_workspace();
  auto ws_without = without.make_workspace();
  std::size_t had_evidence = 0;
  pipeline::Analysis reused;
  auto postings = for_each_sample_posting([&](const Posting& posting) {
    pipeline::Analysis a;
    a.posting = posting;
    with.analyze(a, ws_with);
    reused.posting = a.posting;
    without.analyze(reused, ws_without);
    const auto row = a.posting.source.row;
    EXPECT_EQ(reused.classification.direction, a.classification.direction) << "row " << row;
    EXPECT_EQ(reused.classification.confidence, a.classification.confidence) << "row " << row;
    EXPECT_EQ(reused.classification.tags, a.classification.tags) << "row " << row;
    EXPECT_TRUE(reused.classification.evidence.empty()) << "row " << row;
    EXPECT_TRUE(reused.barriers.evidence.empty()) << "row " << row;
    auto expected = a.barriers;
    expected.evidence.clear();
    expect_same_barriers(reused.barriers, expected, row);
    EXPECT_EQ(reused.salary.salary.has_value(), a.salary.salary.has_value()) << "row " << row;
    EXPECT_EQ(reused.posted, a.posted) << "row " << row;
    // Evidence left over in a recycled analysis must not survive the next posting.
    reused.classification.evidence = a.classification.evidence;
    reused.barriers.evidence = a.barriers.evidence;
    if (!a.barriers.evidence.empty() || !a.classification.evidence.empty()) ++had_evidence;
  });
  EXPECT_GT(postings, 10u);
  EXPECT_GT(had_evidence, 10u);
}
