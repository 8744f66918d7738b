// Deduplicated reports: a posting's facts rebuild exactly what the posting added; partial
// reports of parts merge into one run over their concatenation, whatever the cut; malformed
// dedup data in a partial is refused with a message.
#include <gtest/gtest.h>

#include <jobmarket/aggregate/report.hpp>
#include <jobmarket/extract/fx.hpp>
#include <jobmarket/pipeline/analyzer.hpp>
#include <jobmarket/read/reader.hpp>
#include <jobmarket/rules/rule_set.hpp>
#include <jobmarket/util/base64.hpp>

#include "test_support.hpp"

using namespace jobmarket;
using Json = nlohmann::ordered_json;

namespace {

std::shared_ptr<pipeline::Analyzer> make_analyzer() {
  auto rules = rules::RuleSet::builtin();
  auto classifier = classify::Classifier::create(*rules);
  auto barriers = extract::BarrierExtractor::builtin();
  pipeline::AnalyzerConfig config;
  config.classifier = std::make_shared<classify::Classifier>(std::move(*classifier));
  config.barriers = std::make_shared<extract::BarrierExtractor>(std::move(*barriers));
  config.evidence = false;
  config.dedup = dedup::Mode::near;
  config.dates.as_of = extract::Date{2025, 12, 31};
  return std::make_shared<pipeline::Analyzer>(std::move(config));
}

// Every posting of a file, analyzed.
std::vector<pipeline::Analysis> analyze(const std::filesystem::path& file) {
  static auto analyzer = make_analyzer();
  auto reader = read::PostingReader::open({file.string()}, {});
  EXPECT_TRUE(reader) << reader.error();
  std::vector<pipeline::Analysis> out;
  auto ws = analyzer->make_workspace();
  pipeline::Analysis a;
  read::Reject reject;
  for (;;) {
    auto n = (*reader)->next(a.posting, reject);
    if (n == read::Next::end) break;
    if (n == read::Next::rejected) continue;
    analyzer->analyze(a, ws);
    out.push_back(a);
  }
  return out;
}

aggregate::Report empty_report(dedup::Mode mode) {
  aggregate::TrendsOptions topt;
  topt.min_sample = 5;
  aggregate::Report r{.meta = {},
                      .overview = {},
                      .filtered_out = 0,
                      .salary = aggregate::SalarySummary(
                          aggregate::salary_summary_options("CNY", extract::FxTable::builtin(), 5)),
                      .barriers = {},
                      .trends = aggregate::Trends(topt)};
  r.meta.version = "test";
  r.meta.rules_version = "r";
  r.meta.options = {{"dedup", std::string(dedup::mode_name(mode))}};
  r.dedup.options.mode = mode;
  r.dedup.index = std::make_shared<dedup::Index>(r.dedup.options);
  return r;
}

// What a run does with one part: the verdicts in order, every posting in the overview,
// the unique ones in the sections, their records kept for a partial.
aggregate::Report run(std::vector<pipeline::Analysis> postings, bool partial, dedup::Mode mode = dedup::Mode::near) {
  auto r = empty_report(mode);
  r.dedup.keep_uniques = partial;
  std::uint64_t n = 0;
  for (auto& a : postings) {
    a.duplicate = r.dedup.index->add(a.fingerprint, dedup::days_of(a.posted), n++).match;
    r.overview.add(a);
    if (a.duplicate == dedup::Match::none) r.add(a, {}, extract::FxTable::builtin());
    else r.add_duplicate(a);
  }
  return r;
}

Json partial_of(const aggregate::Report& r) {
  // Through text, as between processes.
  return Json::parse(r.to_partial_json().dump());
}

// The first path where two JSON values differ ("" when equal), for readable failures.
std::string first_difference(const Json& a, const Json& b, const std::string& path = "") {
  if (a.type() != b.type() && !(a.is_number() && b.is_number())) return path + " (type)";
  if (a.is_object()) {
    for (auto it = a.begin(); it != a.end(); ++it) {
      if (!b.contains(it.key())) return path + "." + it.key() + " (missing)";
      if (auto d = first_difference(it.value(), b.at(it.key()), path + "." + it.key()); !d.empty()) return d;
    }
    return a.size() == b.size() ? "" : path + " (extra keys)";
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return path + " (size " + std::to_string(a.size()) + " vs " + std::to_string(b.size()) + ")";
    for (std::size_t i = 0; i < a.size(); ++i)
      if (auto d = first_difference(a[i], b[i], path + "[" + std::to_string(i) + "]"); !d.empty()) return d;
    return "";
  }
  return a == b ? "" : path + ": " + a.dump() + " vs " + b.dump();
}

// Postings of the sample, then some of them again and a few edited: exact and near
// duplicates, some within the window, some not.
std::vector<pipeline::Analysis> with_repeats() {
  auto all = analyze(jobmarket::testing::source_dir() / "data" / "sample" / "postings.csv");
  auto again = all;
  for (std::size_t i = 0; i < all.size(); i += 3) again.push_back(all[i]);
  static auto analyzer = make_analyzer();
  auto ws = analyzer->make_workspace();
  for (std::size_t i = 1; i < all.size(); i += 5) {
    auto edited = all[i];
    edited.posting.get(Field::text) += "\nApply now.";
    analyzer->analyze(edited, ws);
    again.push_back(edited);
  }
  return again;
}

}  // namespace

TEST(ReportDedup, FactsRebuildWhatThePostingAdded) {
  auto postings = analyze(jobmarket::testing::source_dir() / "data" / "sample" / "postings.csv");
  if (jobmarket::testing::have_shared())
    for (const char* f : {"linkedin-ai-ml-2024/ai_ml_jobs_linkedin.csv", "aijobs-salaries/salaries.csv",
                          "boss-hangzhou-pm-ai/BSspider_0122.csv", "glassdoor-ds-jobs/glassdoor_jobs.csv"}) {
      auto more = analyze(jobmarket::testing::shared_dir() / "corpora" / f);
      if (more.size() > 3000) more.resize(3000);
      postings.insert(postings.end(), more.begin(), more.end());
    }
  auto direct = empty_report(dedup::Mode::none), rebuilt = empty_report(dedup::Mode::none);
  const auto& fx = extract::FxTable::builtin();
  for (const auto& a : postings) {
    direct.overview.add(a);
    direct.add(a, {}, fx);
    aggregate::Annual annual;
    if (a.salary.salary) annual.emplace(extract::annualize(*a.salary.salary, {}, fx, "CNY"));
    // Through bytes, as in a partial.
    std::string bytes;
    nlohmann::json::to_msgpack(aggregate::encode_facts(a, annual), bytes);
    auto facts = aggregate::decode_facts(nlohmann::json::from_msgpack(bytes));
    ASSERT_TRUE(facts) << facts.error();
    rebuilt.overview.add_total(a.classification.direction, a.duplicate, a.identity);
    rebuilt.add_unique(facts->analysis, facts->annual);
  }
  EXPECT_EQ(first_difference(rebuilt.to_json(), direct.to_json()), "");
}

TEST(ReportDedup, MergedPartsEqualOneRunWhereverTheCut) {
  const auto postings = with_repeats();
  const auto one = run(postings, false).to_json().dump();
  for (std::size_t parts : {2, 3, 5}) {
    std::vector<Json> partials;
    for (std::size_t p = 0; p < parts; ++p) {
      const auto from = postings.size() * p / parts, to = postings.size() * (p + 1) / parts;
      partials.push_back(partial_of(run({postings.begin() + from, postings.begin() + to}, true)));
    }
    auto merged = aggregate::Report::from_partial_json(partials[0]);
    ASSERT_TRUE(merged) << merged.error();
    for (std::size_t p = 1; p < parts; ++p) {
      auto next = aggregate::Report::from_partial_json(partials[p], false);
      ASSERT_TRUE(next) << next.error();
      ASSERT_TRUE(merged->merge(*next));
    }
    EXPECT_EQ(first_difference(merged->to_json(), Json::parse(one)), "") << parts << " parts";
    // The same as a tree: the last two first, written as a partial again.
    if (parts < 3) continue;
    auto tail = aggregate::Report::from_partial_json(partials[parts - 2]);
    ASSERT_TRUE(tail->merge(*aggregate::Report::from_partial_json(partials[parts - 1], false)));
    auto head = aggregate::Report::from_partial_json(partials[0]);
    for (std::size_t p = 1; p + 2 < parts; ++p) ASSERT_TRUE(head->merge(*aggregate::Report::from_partial_json(partials[p])));
    ASSERT_TRUE(head->merge(*aggregate::Report::from_partial_json(partial_of(*tail), false)));
    EXPECT_EQ(first_difference(head->to_json(), Json::parse(one)), "") << parts << " parts, as a tree";
  }
  const auto j = Json::parse(one);
  EXPECT_GT(j["overview"]["duplicates"]["exact"].get<int>(), 0);
  EXPECT_GT(j["overview"]["duplicates"]["near"].get<int>(), 0);
}

TEST(ReportDedup, ANearDuplicateIdenticalToAnEarlierPartIsExact) {
  // Part B: X, then X' (near X). Part A: X' itself. One run over A+B finds X' exact.
  auto postings = analyze(jobmarket::testing::source_dir() / "data" / "sample" / "postings.csv");
  auto x = postings[0], edited = postings[0];
  edited.posting.get(Field::text) += "\nApply now.";
  auto analyzer = make_analyzer();
  auto ws = analyzer->make_workspace();
  analyzer->analyze(edited, ws);
  const auto one = run({edited, x, edited}, false);
  EXPECT_EQ(one.overview.duplicates(dedup::Match::exact), 1u);
  EXPECT_EQ(one.overview.duplicates(dedup::Match::near), 1u);
  auto merged = aggregate::Report::from_partial_json(partial_of(run({edited}, true)));
  ASSERT_TRUE(merged->merge(*aggregate::Report::from_partial_json(partial_of(run({x, edited}, true)), false)));
  EXPECT_EQ(first_difference(merged->to_json(), one.to_json()), "");
}

TEST(ReportDedup, MalformedPartsAreRefused) {
  const auto good = partial_of(run(with_repeats(), true));
  auto error = [&](auto&& change) {
    Json j = good;
    change(j);
    auto r = aggregate::Report::from_partial_json(j);
    return r ? std::string("accepted") : r.error();
  };
  EXPECT_EQ(error([](Json& j) { j["dedup"]["index"][0] = "not base64!"; }), "dedup: index: not base64");
  EXPECT_EQ(error([](Json& j) {
              auto bytes = *util::base64_decode(j["dedup"]["index"][0].get<std::string>());
              j["dedup"]["index"][0] = util::base64_encode(bytes.substr(0, bytes.size() - 7));
            }),
            "dedup index: truncated near entries");
  EXPECT_EQ(error([](Json& j) {
              auto bytes = *util::base64_decode(j["dedup"]["uniques"][0].get<std::string>());
              j["dedup"]["uniques"][0] = util::base64_encode(bytes.substr(0, bytes.size() - 1));
            }),
            "dedup: truncated unique posting");
  EXPECT_EQ(error([](Json& j) { j["dedup"]["unique_postings"] = 3; }).substr(0, 27), "dedup: unique_postings 3, b");
  EXPECT_EQ(error([](Json& j) { j["dedup"]["mode"] = "fuzzy"; }), "dedup: unknown mode \"fuzzy\"");
  EXPECT_EQ(error([](Json& j) { j["dedup"]["window_days"] = 30; }),
            "dedup index: made with other --dedup or --dedup-window options");
  EXPECT_EQ(error([](Json&) {}), "accepted");
}

TEST(ReportDedup, FactsRefuseWhatTheyDoNotKnow) {
  EXPECT_EQ(aggregate::decode_facts(nlohmann::json::array({1, 2})).error(), "facts: expected an array of 8");
  auto facts = aggregate::encode_facts(analyze(jobmarket::testing::source_dir() / "data" / "sample" / "postings.csv")[0], {});
  auto j = facts;
  j[0] = 2;
  EXPECT_EQ(aggregate::decode_facts(j).error(), "facts: format 2 is not supported (expected 1)");
  j = facts;
  j[1] = "science";
  EXPECT_EQ(aggregate::decode_facts(j).error(), "facts: unknown direction 'science'");
  j = facts;
  j[6] = nlohmann::json::array({2025, 2, 30, "day"});
  EXPECT_EQ(aggregate::decode_facts(j).error(), "facts: posted: not a date");
}
