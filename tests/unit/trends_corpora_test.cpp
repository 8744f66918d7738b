// Trends on real corpora: bucket counts must equal counts computed independently here
// from the raw date column (string prefixes, std::chrono for ISO weeks), and every dated
// row must land in exactly one bucket.
#include <gtest/gtest.h>

#include <chrono>
#include <map>

#include "test_support.hpp"

#include <jobmarket/aggregate/trends.hpp>
#include <jobmarket/extract/date.hpp>
#include <jobmarket/read/reader.hpp>

namespace jobmarket::aggregate {
namespace {

// The raw values of one column, read as records (no column mapping, no date parsing).
std::vector<std::string> raw_column(const std::string& path, const std::string& column) {
  auto reader = read::open_records(path, {});
  EXPECT_TRUE(reader) << (reader ? "" : reader.error());
  std::vector<std::string> out;
  if (!reader) return out;
  const auto& header = (*reader)->info().header;
  std::size_t col = header.size();
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == column) col = i;
  EXPECT_LT(col, header.size()) << column;
  read::RawRecord rec;
  read::Reject rej;
  for (;;) {
    auto n = (*reader)->next(rec, rej);
    if (n == read::Next::end) break;
    EXPECT_EQ(n, read::Next::record) << rej.reason;
    if (n == read::Next::record) out.push_back(col < rec.fields.size() ? rec.fields[col] : "");
  }
  return out;
}

// Trends over a file through the real reader, column mapping and parse_date.
Trends trends_of(const std::string& path, BucketSize size) {
  TrendsOptions o;
  o.bucket = size;
  Trends t(o);
  auto reader = read::PostingReader::open({path}, {});
  EXPECT_TRUE(reader);
  if (!reader) return t;
  Posting p;
  read::Reject rej;
  while ((*reader)->next(p, rej) == read::Next::record) {
    const auto& raw = p.get(Field::posted);
    if (raw.empty()) {
      t.add(std::nullopt, classify::Direction::other, {}, std::nullopt, false);
      continue;
    }
    auto d = extract::parse_date(raw);
    if (!d) {
      t.add_unparsed_date(raw);
      continue;
    }
    t.add(*d, classify::Direction::other, {}, std::nullopt, false);
  }
  return t;
}

std::map<std::string, std::uint64_t> bucket_counts(const TrendsReport& r) {
  std::map<std::string, std::uint64_t> out;
  for (const auto& p : r.series)
    if (p.postings) out[bucket_key(p.bucket)] += p.postings;
  return out;
}

std::string iso_week_by_chrono(const std::string& ymd) {
  using namespace std::chrono;
  const year_month_day d{year{std::stoi(ymd.substr(0, 4))}, month{static_cast<unsigned>(std::stoi(ymd.substr(5, 2)))},
                         day{static_cast<unsigned>(std::stoi(ymd.substr(8, 2)))}};
  const sys_days sd{d};
  // The ISO year is the year of the week's Thursday; week 1 holds that year's first Thursday.
  const auto since_monday = weekday{sd} - Monday;  // 0..6, weeks run Monday..Sunday
  const sys_days thursday = sd - since_monday + days{3};
  const year iso_year = year_month_day{thursday}.year();
  const sys_days jan1{iso_year / January / 1};
  const auto week = (thursday - jan1).count() / 7 + 1;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-W%02d", static_cast<int>(iso_year), static_cast<int>(week));
  return buf;
}

TEST(TrendsCorpora, LinkedinMonthsAndWeeksMatchRawColumn) {
  JOBMARKET_REQUIRE_SHARED();
  const auto path = (testing::shared_dir() / "corpora/linkedin-ai-ml-2024/ai_ml_jobs_linkedin.csv").string();
  const auto raw = raw_column(path, "publishedAt");
  ASSERT_EQ(raw.size(), 862u);
  std::map<std::string, std::uint64_t> months, weeks;
  std::uint64_t empty = 0;
  for (const auto& v : raw) {
    if (v.empty()) {
      ++empty;
      continue;
    }
    ASSERT_EQ(v.size(), 10u) << v;
    ++months[v.substr(0, 7)];
    ++weeks[iso_week_by_chrono(v)];
  }
  EXPECT_EQ(empty, 12u);
  EXPECT_EQ(months["2024-05"], 543u);  // SOURCE.md
  EXPECT_EQ(months["2024-04"], 134u);

  const auto m = trends_of(path, BucketSize::month).report();
  EXPECT_EQ(bucket_counts(m), months);
  EXPECT_EQ(m.dated, 850u);
  EXPECT_EQ(m.undated, 12u);
  EXPECT_EQ(m.unparsed_dates, 0u);
  EXPECT_EQ(m.dated + m.undated, raw.size()) << "every row counted exactly once";
  EXPECT_EQ(bucket_key(m.buckets.front()), months.begin()->first);
  EXPECT_EQ(bucket_key(m.buckets.back()), months.rbegin()->first);
  // Empty months between the first and last are present, as zeros.
  std::size_t expected_buckets = 0;
  for (Bucket b = m.buckets.front(); b <= m.buckets.back(); b = next_bucket(b)) ++expected_buckets;
  EXPECT_EQ(m.buckets.size(), expected_buckets);

  const auto w = trends_of(path, BucketSize::week).report();
  EXPECT_EQ(bucket_counts(w), weeks);
  EXPECT_EQ(w.dated, 850u);

  const auto q = trends_of(path, BucketSize::quarter).report();
  std::uint64_t q_total = 0;
  for (const auto& [k, n] : bucket_counts(q)) q_total += n;
  EXPECT_EQ(q_total, 850u);
}

TEST(TrendsCorpora, AijobsWorkYearIsYearPrecision) {
  JOBMARKET_REQUIRE_SHARED();
  const auto path = (testing::shared_dir() / "corpora/aijobs-salaries/salaries.csv").string();
  const auto raw = raw_column(path, "work_year");
  ASSERT_EQ(raw.size(), 74301u);
  std::map<std::string, std::uint64_t> years;
  for (const auto& v : raw) ++years[v];
  const std::map<std::string, std::uint64_t> from_source = {{"2020", 75},    {"2021", 218},
                                                            {"2022", 1660},  {"2023", 8522},
                                                            {"2024", 62229}, {"2025", 1597}};
  EXPECT_EQ(years, from_source);  // SOURCE.md

  const auto y = trends_of(path, BucketSize::year).report();
  EXPECT_EQ(bucket_counts(y), years);
  EXPECT_EQ(y.dated, 74301u);
  EXPECT_EQ(y.unparsed_dates + y.undated, 0u);
  EXPECT_EQ(y.partial, std::vector<bool>(6, false));

  // In a month series the survey years are tallied by year, never spread over months.
  const auto m = trends_of(path, BucketSize::month).report();
  EXPECT_TRUE(m.buckets.empty());
  EXPECT_EQ(m.dated, 0u);
  std::map<std::string, std::uint64_t> coarse;
  for (const auto& c : m.coarse) coarse[c.period] = c.postings[2];
  EXPECT_EQ(coarse, years);
}

}  // namespace
}  // namespace jobmarket::aggregate
