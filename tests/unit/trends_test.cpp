// Buckets (ISO weeks, quarters, year boundaries, leap days) and the trends aggregate:
// exact counts, shares, growth, medians, partial buckets, coarse dates, merge and JSON.
#include <gtest/gtest.h>

#include <jobmarket/aggregate/buckets.hpp>
#include <jobmarket/aggregate/trends.hpp>
#include <jobmarket/render/sparkline.hpp>

namespace jobmarket::aggregate {
namespace {

using classify::Direction;
using extract::Date;
using P = Date::Precision;

Date day(int y, int m, int d) { return Date{y, m, d, P::day}; }

std::string key(const Date& d, BucketSize s) {
  auto b = bucket_of(d, s);
  return b ? bucket_key(*b) : "none";
}

TEST(Buckets, Names) {
  EXPECT_EQ(bucket_size_name(BucketSize::quarter), "quarter");
  EXPECT_EQ(bucket_size_from_name("week"), BucketSize::week);
  EXPECT_EQ(bucket_size_from_name("day"), std::nullopt);
}

TEST(Buckets, KeysOfADate) {
  const Date d = day(2024, 5, 29);
  EXPECT_EQ(key(d, BucketSize::week), "2024-W22");
  EXPECT_EQ(key(d, BucketSize::month), "2024-05");
  EXPECT_EQ(key(d, BucketSize::quarter), "2024-Q2");
  EXPECT_EQ(key(d, BucketSize::year), "2024");
}

TEST(Buckets, IsoWeeksAcrossYearBoundaries) {
  // 2024-12-30 (Monday) starts ISO week 1 of 2025.
  EXPECT_EQ(key(day(2024, 12, 29), BucketSize::week), "2024-W52");
  EXPECT_EQ(key(day(2024, 12, 30), BucketSize::week), "2025-W01");
  EXPECT_EQ(key(day(2025, 1, 1), BucketSize::week), "2025-W01");
  // 2021-01-03 (Sunday) is still in 2020's week 53.
  EXPECT_EQ(key(day(2021, 1, 3), BucketSize::week), "2020-W53");
  EXPECT_EQ(key(day(2021, 1, 4), BucketSize::week), "2021-W01");
  EXPECT_EQ(key(day(2026, 12, 31), BucketSize::week), "2026-W53");
  EXPECT_EQ(key(day(2027, 1, 3), BucketSize::week), "2026-W53");
  EXPECT_EQ(key(day(2023, 1, 1), BucketSize::week), "2022-W52");
  EXPECT_EQ(iso_weeks_in_year(2020), 53);
  EXPECT_EQ(iso_weeks_in_year(2024), 52);
  EXPECT_EQ(iso_weeks_in_year(2026), 53);
  // But the month and year of those days stay calendar ones.
  EXPECT_EQ(key(day(2024, 12, 30), BucketSize::month), "2024-12");
  EXPECT_EQ(key(day(2024, 12, 30), BucketSize::year), "2024");
}

TEST(Buckets, NextPreviousAndYearEarlier) {
  auto b = [](std::string_view k) { return *parse_bucket(k); };
  EXPECT_EQ(bucket_key(next_bucket(b("2020-W52"))), "2020-W53");
  EXPECT_EQ(bucket_key(next_bucket(b("2020-W53"))), "2021-W01");
  EXPECT_EQ(bucket_key(next_bucket(b("2024-W52"))), "2025-W01");
  EXPECT_EQ(bucket_key(previous_bucket(b("2021-W01"))), "2020-W53");
  EXPECT_EQ(bucket_key(previous_bucket(b("2025-W01"))), "2024-W52");
  EXPECT_EQ(bucket_key(next_bucket(b("2024-12"))), "2025-01");
  EXPECT_EQ(bucket_key(previous_bucket(b("2025-01"))), "2024-12");
  EXPECT_EQ(bucket_key(next_bucket(b("2024-Q4"))), "2025-Q1");
  EXPECT_EQ(bucket_key(previous_bucket(b("2025-Q1"))), "2024-Q4");
  EXPECT_EQ(bucket_key(next_bucket(b("2024"))), "2025");
  EXPECT_EQ(bucket_key(*year_earlier(b("2025-03"))), "2024-03");
  EXPECT_EQ(bucket_key(*year_earlier(b("2025-W10"))), "2024-W10");
  // Week 53 has no same week a year earlier (53-week ISO years are never consecutive).
  EXPECT_EQ(year_earlier(b("2020-W53")), std::nullopt);
  EXPECT_EQ(year_earlier(b("2026-W53")), std::nullopt);
  EXPECT_EQ(bucket_key(*year_earlier(b("2021-W01"))), "2020-W01");
}

TEST(Buckets, FirstAndLastDays) {
  auto b = [](std::string_view k) { return *parse_bucket(k); };
  EXPECT_EQ(bucket_first_day(b("2025-W01")), day(2024, 12, 30));
  EXPECT_EQ(bucket_last_day(b("2025-W01")), day(2025, 1, 5));
  EXPECT_EQ(bucket_first_day(b("2020-W53")), day(2020, 12, 28));
  EXPECT_EQ(bucket_last_day(b("2020-W53")), day(2021, 1, 3));
  EXPECT_EQ(bucket_last_day(b("2024-02")), day(2024, 2, 29));
  EXPECT_EQ(bucket_last_day(b("2023-02")), day(2023, 2, 28));
  EXPECT_EQ(bucket_first_day(b("2024-Q3")), day(2024, 7, 1));
  EXPECT_EQ(bucket_last_day(b("2024-Q1")), day(2024, 3, 31));
  EXPECT_EQ(bucket_last_day(b("2024")), day(2024, 12, 31));
}

TEST(Buckets, LeapDays) {
  EXPECT_EQ(key(day(2024, 2, 29), BucketSize::month), "2024-02");
  EXPECT_EQ(key(day(2024, 2, 29), BucketSize::week), "2024-W09");
  EXPECT_EQ(key(day(2024, 2, 29), BucketSize::quarter), "2024-Q1");
}

TEST(Buckets, CoarseDatesFallOnlyIntoCoarseBuckets) {
  const Date year{2024, 1, 1, P::year};
  const Date month{2024, 5, 1, P::month};
  EXPECT_EQ(key(year, BucketSize::week), "none");
  EXPECT_EQ(key(year, BucketSize::month), "none");
  EXPECT_EQ(key(year, BucketSize::quarter), "none");
  EXPECT_EQ(key(year, BucketSize::year), "2024");
  EXPECT_EQ(key(month, BucketSize::week), "none");
  EXPECT_EQ(key(month, BucketSize::month), "2024-05");
  EXPECT_EQ(key(month, BucketSize::quarter), "2024-Q2");
}

TEST(Buckets, ParseErrors) {
  EXPECT_EQ(parse_bucket("2024-13").error(),
            "invalid bucket '2024-13': expected YYYY, YYYY-MM, YYYY-Www or YYYY-Qn");
  EXPECT_FALSE(parse_bucket("2024-W53"));  // 2024 has 52 ISO weeks
  EXPECT_TRUE(parse_bucket("2026-W53"));
  EXPECT_FALSE(parse_bucket("2024-Q5"));
}

TEST(BucketsExhaustive, EveryDayLandsInExactlyOneWeekAndWeeksAreContiguous) {
  // 1999..2031: every day's week contains it, and consecutive days stay in the same week
  // or move to the next one.
  std::optional<Bucket> prev;
  for (std::int64_t n = extract::days_from_civil(1999, 1, 1); n <= extract::days_from_civil(2031, 12, 31); ++n) {
    const Date d = extract::civil_from_days(n);
    const Bucket w = *bucket_of(d, BucketSize::week);
    ASSERT_LE(bucket_first_day(w), d);
    ASSERT_GE(bucket_last_day(w), d);
    if (prev && *prev != w) {
      ASSERT_EQ(next_bucket(*prev), w) << extract::format_date(d);
    }
    prev = w;
  }
}

std::vector<std::string> tags(std::initializer_list<const char*> t) { return {t.begin(), t.end()}; }

TEST(Trends, CountsSharesAndEmptyBuckets) {
  Trends t;
  t.add(day(2024, 1, 1), Direction::research, tags({"agent"}), std::nullopt, true);
  t.add(day(2024, 1, 15), Direction::engineering, tags({"agent", "rag"}), std::nullopt, false);
  t.add(day(2024, 1, 31), Direction::engineering, {}, std::nullopt, false);
  t.add(day(2024, 3, 31), Direction::other, {}, std::nullopt, false);
  t.add(std::nullopt, Direction::research, {}, std::nullopt, false);
  t.add(std::nullopt, Direction::research, {}, std::nullopt, false);
  t.add_unparsed_date("soon");  // the second undated posting's date did not parse
  const auto r = t.report();
  ASSERT_EQ(r.buckets.size(), 3u);
  EXPECT_EQ(bucket_key(r.buckets[1]), "2024-02");
  ASSERT_EQ(r.series.size(), 9u);
  EXPECT_EQ(r.series[0].postings, 1u);
  EXPECT_EQ(*r.series[0].share, 1.0 / 3.0);
  EXPECT_EQ(*r.series[1].share, 2.0 / 3.0);
  EXPECT_EQ(r.series[2].share, std::nullopt);  // other has no AI share
  EXPECT_EQ(r.series[3].postings, 0u);         // February: empty, shown as zero
  EXPECT_EQ(r.series[3].share, std::nullopt);
  EXPECT_EQ(r.series[8].postings, 1u);
  // Data runs from Jan 1 to Mar 31: both ends at bucket boundaries, nothing partial.
  EXPECT_EQ(r.partial, (std::vector<bool>{false, false, false}));
  EXPECT_EQ(r.dated, 4u);
  EXPECT_EQ(r.undated, 1u);
  EXPECT_EQ(r.unparsed_dates, 1u);
  EXPECT_EQ(r.unparsed_examples, std::vector<std::string>{"soon"});
  ASSERT_EQ(r.tags.size(), 2u);
  EXPECT_EQ(r.tags[0].tag, "agent");
  EXPECT_EQ(r.tags[0].points[0].mentions, 2u);
  EXPECT_EQ(*r.tags[0].points[0].share, 2.0 / 3.0);
  EXPECT_EQ(r.tags[0].points[1].share, std::nullopt);
  EXPECT_EQ(r.barrier_drift[0].master_or_above, 1u);
  EXPECT_EQ(*r.barrier_drift[0].share, 1.0);
  EXPECT_EQ(*r.barrier_drift[1].share, 0.0);
}

TEST(Trends, PartialFirstAndLastBuckets) {
  Trends t;
  t.add(day(2024, 1, 2), Direction::research, {}, std::nullopt, false);
  t.add(day(2024, 2, 28), Direction::research, {}, std::nullopt, false);
  EXPECT_EQ(t.report().partial, (std::vector<bool>{true, true}));
  TrendsOptions o;
  o.range = {day(2023, 12, 1), day(2024, 3, 15)};
  Trends f(o);
  f.add(day(2024, 1, 2), Direction::research, {}, std::nullopt, false);
  f.add(day(2024, 3, 16), Direction::research, {}, std::nullopt, false);
  f.add(day(2023, 11, 30), Direction::research, {}, std::nullopt, false);
  f.add(Date{2024, 1, 1, P::year}, Direction::research, {}, std::nullopt, false);  // not wholly inside
  const auto r = f.report();
  // The range decides the span and partiality: Dec 2023 full, Mar 2024 cut at the 15th.
  ASSERT_EQ(r.buckets.size(), 4u);
  EXPECT_EQ(bucket_key(r.buckets.front()), "2023-12");
  EXPECT_EQ(r.partial, (std::vector<bool>{false, false, false, true}));
  EXPECT_EQ(r.filtered_out, 3u);
  EXPECT_EQ(r.dated, 1u);
}

TEST(Trends, YearPrecisionDatesAreTalliedNotSpread) {
  Trends t;  // month buckets
  t.add(Date{2024, 1, 1, P::year}, Direction::research, {}, 100.0, false);
  t.add(Date{2024, 1, 1, P::year}, Direction::other, {}, std::nullopt, false);
  t.add(day(2024, 6, 1), Direction::engineering, {}, std::nullopt, false);
  const auto r = t.report();
  ASSERT_EQ(r.buckets.size(), 1u);
  EXPECT_EQ(r.dated, 1u);
  ASSERT_EQ(r.coarse.size(), 1u);
  EXPECT_EQ(r.coarse[0].period, "2024");
  EXPECT_EQ(r.coarse[0].postings, (std::array<std::uint64_t, 3>{1, 0, 1}));
  TrendsOptions yo;
  yo.bucket = BucketSize::year;
  Trends y(yo);
  y.add(Date{2024, 1, 1, P::year}, Direction::research, {}, 100.0, false);
  EXPECT_EQ(y.report().series[0].postings, 1u);
  EXPECT_EQ(y.report().partial, std::vector<bool>{false});
}

TEST(Trends, GrowthAndMediansNeedTheMinimumSample) {
  TrendsOptions o;
  o.min_sample = 3;
  Trends t(o);
  for (int i = 0; i < 4; ++i) t.add(day(2023, 1, 10), Direction::research, {}, 100.0 * (i + 1), false);
  for (int i = 0; i < 2; ++i) t.add(day(2023, 2, 10), Direction::research, {}, 50.0, false);
  for (int i = 0; i < 6; ++i) t.add(day(2024, 1, 10), Direction::research, {}, 10.0, false);
  const auto r = t.report();
  ASSERT_EQ(r.buckets.size(), 13u);
  const auto& jan23 = r.series[0];
  // The sketch's median of {100, 200, 300, 400}: the value of rank 1.5, within 0.5%.
  EXPECT_NEAR(*jan23.median_salary, 200.0, 200.0 * 0.005);
  EXPECT_EQ(jan23.growth_prev, std::nullopt);
  const auto& feb23 = r.series[3];
  EXPECT_EQ(*feb23.growth_prev, -0.5);        // 4 -> 2
  EXPECT_EQ(feb23.median_salary, std::nullopt);  // 2 salaries < 3
  EXPECT_EQ(r.series[6].growth_prev, std::nullopt);  // base of 2 < min_sample
  const auto& jan24 = r.series[36];
  EXPECT_EQ(bucket_key(jan24.bucket), "2024-01");
  EXPECT_EQ(*jan24.growth_yoy, 0.5);  // 4 -> 6
  EXPECT_EQ(jan24.growth_prev, std::nullopt);  // December was empty
}

TEST(Trends, RisingAndFallingWithCountsBehindEach) {
  TrendsOptions o;
  o.min_sample = 10;
  o.window = 2;
  Trends t(o);
  // Months 1-2: agent in 2 of 10 each month; months 3-4: 8 of 10. "rag" the reverse.
  // "tiny" too rare to claim anything.
  for (int m = 1; m <= 4; ++m)
    for (int i = 0; i < 10; ++i) {
      std::vector<std::string> tg;
      const bool late = m >= 3;
      if (i < (late ? 8 : 2)) tg.push_back("agent");
      if (i < (late ? 1 : 6)) tg.push_back("rag");
      if (i == 0 && m == 4) tg.push_back("tiny");
      t.add(day(2024, m, 1 + i), Direction::engineering, tg, std::nullopt, false);
    }
  const auto r = t.report();
  EXPECT_EQ(r.window, 2u);
  ASSERT_EQ(r.rising.size(), 1u);
  EXPECT_EQ(r.rising[0].tag, "agent");
  EXPECT_EQ(r.rising[0].before_mentions, 4u);
  EXPECT_EQ(r.rising[0].before_postings, 20u);
  EXPECT_EQ(r.rising[0].recent_mentions, 16u);
  EXPECT_EQ(r.rising[0].recent_postings, 20u);
  EXPECT_EQ(r.rising[0].change, 0.6);
  ASSERT_EQ(r.falling.size(), 1u);
  EXPECT_EQ(r.falling[0].tag, "rag");
  EXPECT_EQ(r.falling[0].change, -0.5);
  const auto j = to_json(r);
  EXPECT_EQ(j["window"].dump(), R"({"buckets":2,"before":["2024-01","2024-02"],"recent":["2024-03","2024-04"]})");
}

TEST(Trends, MergeEqualsSinglePassWhateverTheSplit) {
  TrendsOptions o;
  o.min_sample = 2;
  o.window = 1;
  auto feed = [](Trends& t, int from, int to) {
    for (int i = from; i < to; ++i) {
      const Date d = extract::civil_from_days(extract::days_from_civil(2023, 11, 1) + i * 3);
      const auto dir = static_cast<Direction>(i % 3);
      std::vector<std::string> tg;
      if (i % 2) tg.push_back("agent");
      if (i % 5 == 0) tg.push_back("world_model");
      std::optional<Date> date = d;
      if (i % 17 == 0) date.reset();
      if (i % 23 == 0) date = Date{2024, 1, 1, P::year};
      t.add(date, dir, tg, i % 4 ? std::optional<double>(1000.0 * i) : std::nullopt, i % 7 == 0);
      if (i % 29 == 0) t.add_unparsed_date("bad " + std::to_string(i));
    }
  };
  Trends whole(o);
  feed(whole, 0, 200);
  Trends a(o), b(o), c(o);
  feed(a, 0, 70);
  feed(b, 70, 150);
  feed(c, 150, 200);
  Trends ab = a;
  ab.merge(b);
  ab.merge(c);
  Trends cb = c;
  cb.merge(b);
  cb.merge(a);
  const std::string expected = whole.to_json().dump();
  EXPECT_EQ(ab.to_json().dump(), expected);
  EXPECT_EQ(cb.to_json().dump(), expected);
  // Through the partial JSON, as another process would hand it over.
  auto pa = Trends::from_partial_json(a.to_partial_json());
  auto pb = Trends::from_partial_json(nlohmann::ordered_json::parse(b.to_partial_json().dump()));
  auto pc = Trends::from_partial_json(c.to_partial_json());
  ASSERT_TRUE(pa && pb && pc);
  pa->merge(*pb);
  pa->merge(*pc);
  EXPECT_EQ(pa->to_json().dump(), expected);
  EXPECT_EQ(pa->to_partial_json().dump(), ab.to_partial_json().dump());
}

TEST(Trends, PartialJsonErrors) {
  EXPECT_EQ(Trends::from_partial_json(nlohmann::ordered_json::object()).error(),
            "invalid trends partial: not a trends partial");
  auto j = Trends().to_partial_json();
  j["bucket_size"] = "day";
  EXPECT_EQ(Trends::from_partial_json(j).error(), "invalid trends partial: unknown bucket_size");
  j = Trends().to_partial_json();
  j.erase("undated");
  EXPECT_TRUE(Trends::from_partial_json(j).error().starts_with("invalid trends partial: [json.exception"));
}

TEST(Trends, JsonShape) {
  TrendsOptions o;
  o.min_sample = 1;
  Trends t(o);
  t.add(day(2024, 4, 1), Direction::research, tags({"world_model"}), 120000.0, true);
  t.add(day(2024, 4, 30), Direction::engineering, {}, std::nullopt, false);
  t.add(Date{2023, 1, 1, P::year}, Direction::other, {}, std::nullopt, false);
  const std::string expected =
      R"({"bucket_size":"month","min_sample":1,"since":null,"until":null,"first_bucket":"2024-04",)"
      R"("last_bucket":"2024-04","first_date":"2024-04-01","last_date":"2024-04-30","dated":2,"series":[)"
      R"({"bucket":"2024-04","direction":"research","postings":1,"share":0.5,"growth_prev":null,)"
      R"("growth_yoy":null,"median_salary":120000.0,"salary_sample":1,"partial":false},)"
      R"({"bucket":"2024-04","direction":"engineering","postings":1,"share":0.5,"growth_prev":null,)"
      R"("growth_yoy":null,"median_salary":null,"salary_sample":0,"partial":false},)"
      R"({"bucket":"2024-04","direction":"other","postings":0,"share":null,"growth_prev":null,)"
      R"("growth_yoy":null,"median_salary":null,"salary_sample":0,"partial":false}],)"
      R"("tags":[{"tag":"world_model","series":[{"bucket":"2024-04","mentions":1,"postings":2,"share":0.5}]}],)"
      R"("window":{"buckets":0,"before":null,"recent":null},"rising":[],"falling":[],)"
      R"("barrier_drift":[{"bucket":"2024-04","direction":"research","postings":1,"master_or_above":1,"share":1.0},)"
      R"({"bucket":"2024-04","direction":"engineering","postings":1,"master_or_above":0,"share":0.0},)"
      R"({"bucket":"2024-04","direction":"other","postings":0,"master_or_above":0,"share":null}],)"
      R"("coarse_dates":[{"period":"2023","research":0,"engineering":0,"other":1,"postings":1}],)"
      R"("undated":0,"unparsed_dates":0,"unparsed_examples":[],"filtered_out":0})";
  EXPECT_EQ(t.to_json().dump(), expected);
}

TEST(Trends, UnparsedIsNotAlsoUndated) {
  Trends t;
  t.add(std::nullopt, Direction::other, {}, std::nullopt, false);
  t.add_unparsed_date("someday");  // the same posting: its date did not parse
  t.add(std::nullopt, Direction::other, {}, std::nullopt, false);
  t.add_unparsed_date("zzz");
  t.add(std::nullopt, Direction::other, {}, std::nullopt, false);  // truly undated
  t.add_filtered_out(2);
  const auto r = t.report();
  EXPECT_EQ(r.undated, 1u);
  EXPECT_EQ(r.unparsed_dates, 2u);
  EXPECT_EQ(r.filtered_out, 2u);
  EXPECT_EQ(r.unparsed_examples, (std::vector<std::string>{"someday", "zzz"}));
}

TEST(Sparkline, Levels) {
  EXPECT_EQ(render::sparkline(std::vector<double>{}), "");
  EXPECT_EQ(render::sparkline(std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7}), "▁▂▃▄▅▆▇█");
  EXPECT_EQ(render::sparkline(std::vector<double>{0, 0, 0}), "▁▁▁");
  EXPECT_EQ(render::sparkline(std::vector<double>{5, 5}), "██");
  // Zero baseline: 90 and 100 look alike, not like 0 and 100.
  EXPECT_EQ(render::sparkline(std::vector<double>{90, 100}), "▇█");
  EXPECT_EQ(render::sparkline(std::vector<std::optional<double>>{1.0, std::nullopt, 0.0}), "█ ▁");
}

TEST(Trends, EmptyInput) {
  Trends t;
  const auto j = t.to_json();
  EXPECT_EQ(j["series"].size(), 0u);
  EXPECT_TRUE(j["first_bucket"].is_null());
}

}  // namespace
}  // namespace jobmarket::aggregate
