// Deduplication on the real corpora: the repeats the corpora are known to hold are found,
// and the rules are measured against hand-labeled pairs (tests/data/dedup_pairs.tsv).
// Skipped when ../shared is absent.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include <jobmarket/dedup/index.hpp>
#include <jobmarket/pipeline/analyzer.hpp>
#include <jobmarket/read/reader.hpp>
#include <jobmarket/rules/rule_set.hpp>

#include "test_support.hpp"

using namespace jobmarket;

namespace {

const pipeline::Analyzer& analyzer() {
  static auto a = [] {
    auto rules = rules::RuleSet::builtin();
    auto classifier = classify::Classifier::create(*rules);
    auto barriers = extract::BarrierExtractor::builtin();
    pipeline::AnalyzerConfig config;
    config.classifier = std::make_shared<classify::Classifier>(std::move(*classifier));
    config.barriers = std::make_shared<extract::BarrierExtractor>(std::move(*barriers));
    config.evidence = false;
    config.dedup = dedup::Mode::near;
    return std::make_shared<pipeline::Analyzer>(std::move(config));
  }();
  return *a;
}

// Every posting of a corpus file by row.
std::map<std::uint64_t, pipeline::Analysis> read_corpus(const std::string& rel) {
  auto reader = read::PostingReader::open({(jobmarket::testing::shared_dir() / "corpora" / rel).string()}, {});
  EXPECT_TRUE(reader) << reader.error();
  std::map<std::uint64_t, pipeline::Analysis> out;
  auto ws = analyzer().make_workspace();
  pipeline::Analysis a;
  read::Reject reject;
  for (;;) {
    auto n = (*reader)->next(a.posting, reject);
    if (n == read::Next::end) break;
    if (n == read::Next::rejected) continue;
    analyzer().analyze(a, ws);
    out[a.posting.source.row] = a;
  }
  return out;
}

struct Counts {
  std::uint64_t postings = 0, unique = 0, exact = 0, near = 0;
};

Counts dedup_file(const std::string& rel, dedup::Mode mode) {
  dedup::Options o;
  o.mode = mode;
  dedup::Index idx(o);
  Counts c;
  for (const auto& [row, a] : read_corpus(rel)) {
    const auto v = idx.add(a.fingerprint, dedup::days_of(a.posted), row);
    ++c.postings;
    (v.match == dedup::Match::none ? c.unique : v.match == dedup::Match::exact ? c.exact : c.near)++;
  }
  return c;
}

}  // namespace

TEST(DedupCorpora, LinkedInRepeatsItsDescriptions) {
  JOBMARKET_REQUIRE_SHARED();
  // 862 rows, 748 distinct descriptions (SOURCE.md): postings re-listed in several cities.
  const auto near = dedup_file("linkedin-ai-ml-2024/ai_ml_jobs_linkedin.csv", dedup::Mode::near);
  EXPECT_EQ(near.postings, 862u);
  EXPECT_EQ(near.unique, 737u);
  EXPECT_EQ(near.exact, 12u);
  EXPECT_EQ(near.near, 113u);
  // Exact: only the rows that repeat title, company, location and text.
  const auto exact = dedup_file("linkedin-ai-ml-2024/ai_ml_jobs_linkedin.csv", dedup::Mode::exact);
  EXPECT_EQ(exact.unique, 850u);
  EXPECT_EQ(exact.exact, 12u);
}

TEST(DedupCorpora, BossListHasThreeHundredJobs) {
  JOBMARKET_REQUIRE_SHARED();
  // 450 rows for 300 job ids: 30 jobs scraped 6 times. No description: exact rule only.
  const auto list = dedup_file("boss-hangzhou-fullstack/boss_jobs.csv", dedup::Mode::near);
  EXPECT_EQ(list.postings, 450u);
  EXPECT_EQ(list.unique, 300u);
  EXPECT_EQ(list.exact, 150u);
  EXPECT_EQ(list.near, 0u);
  const auto texts = dedup_file("boss-hangzhou-fullstack/job_details_with_text.csv", dedup::Mode::near);
  EXPECT_EQ(texts.unique, 300u);
  EXPECT_EQ(texts.exact + texts.near, 150u);
}

TEST(DedupLabeled, PrecisionAndRecall) {
  JOBMARKET_REQUIRE_SHARED();
  std::ifstream in(jobmarket::testing::source_dir() / "tests" / "data" / "dedup_pairs.tsv");
  ASSERT_TRUE(in) << "tests/data/dedup_pairs.tsv";
  std::map<std::string, std::map<std::uint64_t, pipeline::Analysis>> files;
  std::uint64_t tp = 0, fp = 0, fn = 0, tn = 0, unsure = 0, unsure_merged = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string file, a, b, stratum, jaccard, label;
    std::getline(fields, file, '\t');
    std::getline(fields, a, '\t');
    std::getline(fields, b, '\t');
    std::getline(fields, stratum, '\t');
    std::getline(fields, jaccard, '\t');
    std::getline(fields, label, '\t');
    if (!files.count(file)) files[file] = read_corpus(file);
    const auto& postings = files[file];
    const auto& first = postings.at(std::stoull(a));
    const auto& second = postings.at(std::stoull(b));
    dedup::Index idx;  // --dedup near, 60 days
    idx.add(first.fingerprint, dedup::days_of(first.posted), 1);
    const bool merged = idx.find(second.fingerprint, dedup::days_of(second.posted)).match != dedup::Match::none;
    if (label == "unsure") {
      ++unsure;
      unsure_merged += merged;
    } else if (label == "dup") {
      (merged ? tp : fn)++;
      if (!merged) std::printf("  missed: %s rows %s/%s (%s, J=%s)\n", file.c_str(), a.c_str(), b.c_str(), stratum.c_str(), jaccard.c_str());
    } else {
      ASSERT_EQ(label, "not") << line;
      (merged ? fp : tn)++;
      if (merged) std::printf("  wrongly merged: %s rows %s/%s (%s, J=%s)\n", file.c_str(), a.c_str(), b.c_str(), stratum.c_str(), jaccard.c_str());
    }
  }
  const double precision = tp + fp ? static_cast<double>(tp) / static_cast<double>(tp + fp) : 0;
  const double recall = tp + fn ? static_cast<double>(tp) / static_cast<double>(tp + fn) : 0;
  std::printf("labeled pairs: %llu dup, %llu not, %llu unsure; merged %llu of the dup (recall %.2f), "
              "%llu of the not (precision %.2f); %llu of the unsure merged\n",
              static_cast<unsigned long long>(tp + fn), static_cast<unsigned long long>(fp + tn),
              static_cast<unsigned long long>(unsure), static_cast<unsigned long long>(tp), recall,
              static_cast<unsigned long long>(fp), precision, static_cast<unsigned long long>(unsure_merged));
  // As measured when the set was labeled (docs/dedup.md); a change of the rules shows here.
  EXPECT_EQ(tp, 16u);
  EXPECT_EQ(fn, 7u);
  EXPECT_EQ(fp, 1u);
  EXPECT_EQ(tn, 56u);
  EXPECT_EQ(unsure_merged, 3u);
}
