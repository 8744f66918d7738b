// The NDJSON record writer (render/record.cpp) writes numbers and dates by hand on its hot
// path; they must read exactly as the formatting library would write them.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>

#include <jobmarket/extract/date.hpp>
#include <jobmarket/render/record.hpp>

using namespace jobmarket;

namespace {

std::string field_of(const std::string& json, const std::string& key) {
  auto at = json.find("\"" + key + "\":");
  if (at == std::string::npos) return "<missing>";
  at += key.size() + 3;
  auto end = json.find_first_of(",}", at);
  return json.substr(at, end - at);
}

}  // namespace

TEST(Record, ConfidenceAsFormatWritesIt) {
  pipeline::Analysis a;
  render::RecordOptions o;
  for (int k = 0; k <= 1000; ++k) {
    a.classification.confidence = std::round(k / 1000.0 * 1000.0) / 1000.0;
    std::string out;
    render::append_record_json(out, a, o);
    EXPECT_EQ(field_of(out, "confidence"), fmt::format("{:.3f}", a.classification.confidence)) << k;
  }
  for (double v : {-0.0, 0.12345, 1.5, -0.25, 0.9999999}) {
    a.classification.confidence = v;
    std::string out;
    render::append_record_json(out, a, o);
    EXPECT_EQ(field_of(out, "confidence"), fmt::format("{:.3f}", v)) << v;
  }
}

TEST(Record, DatesAndNumbers) {
  using extract::Date;
  EXPECT_EQ(extract::format_date({2025, 3, 1, Date::Precision::day}), "2025-03-01");
  EXPECT_EQ(extract::format_date({2025, 3, 1, Date::Precision::month}), "2025-03");
  EXPECT_EQ(extract::format_date({2025, 3, 1, Date::Precision::year}), "2025");
  EXPECT_EQ(extract::format_date({987, 12, 31, Date::Precision::day}), "0987-12-31");
  EXPECT_EQ(extract::format_date({12345, 1, 2, Date::Precision::day}), "12345-01-02");
  pipeline::Analysis a;
  a.posting.source.row = 1234567890123ULL;
  a.posting.source.line = 7;
  extract::Salary s;
  s.low = 1e300;
  s.high = 25000.5;
  s.months_per_year = 14;
  a.salary.salary = s;
  a.barriers.experience_years_min = -3;
  std::string out;
  render::append_record_json(out, a, {});
  EXPECT_EQ(field_of(out, "row"), "1234567890123");
  EXPECT_EQ(field_of(out, "line"), "7");
  EXPECT_EQ(field_of(out, "low"), render::format_number(1e300));
  EXPECT_EQ(field_of(out, "high"), "25000.5");
  EXPECT_EQ(field_of(out, "months_per_year"), "14");
  EXPECT_EQ(field_of(out, "experience_years_min"), "-3");
}
