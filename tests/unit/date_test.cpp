// parse_date: every form the trends issue lists, with exact values and exact error text.
#include <gtest/gtest.h>

#include <jobmarket/extract/date.hpp>

#include <string>
#include <vector>

namespace jobmarket::extract {
namespace {

using P = Date::Precision;

Date day(int y, int m, int d) { return Date{y, m, d, P::day}; }

std::string parsed(std::string_view raw, const DateOptions& o = {}) {
  auto d = parse_date(raw, o);
  if (!d) return "error: " + d.error();
  return format_date(*d);
}

DateOptions as_of(int y, int m, int d) {
  DateOptions o;
  o.as_of = day(y, m, d);
  return o;
}

TEST(ParseDate, IsoDates) {
  EXPECT_EQ(parsed("2024-05-29"), "2024-05-29");
  EXPECT_EQ(parse_date("2024-05-29")->precision, P::day);
  EXPECT_EQ(parsed("2025/03/01"), "2025-03-01");
  EXPECT_EQ(parsed("2025/1/20"), "2025-01-20");
  EXPECT_EQ(parsed("2025-3-1"), "2025-03-01");
  EXPECT_EQ(parsed("2025.3.1"), "2025-03-01");
  EXPECT_EQ(parsed("  2024-05-29\r\n"), "2024-05-29");
  EXPECT_EQ(parsed("20240529"), "2024-05-29");
}

// "YYYY-MM-DD" is read by a shortcut; a leading space sends the same date through the
// general path, which must agree on every value and every refusal.
TEST(ParseDate, IsoShortcutAgreesWithTheGeneralPath) {
  const std::vector<std::string> years = {"1899", "1900", "2000", "2023", "2024", "2199", "2200", "20a4"};
  const std::vector<std::string> months = {"00", "01", "02", "09", "12", "13", "1x", "-1"};
  const std::vector<std::string> days = {"00", "01", "28", "29", "30", "31", "32", "3 "};
  std::size_t compared = 0;
  for (const auto& y : years)
    for (const auto& m : months)
      for (const auto& d : days) {
        const std::string raw = y + "-" + m + "-" + d;
        auto fast = parse_date(raw);
        auto general = parse_date(" " + raw);
        ASSERT_EQ(fast.has_value(), general.has_value()) << raw;
        if (fast) EXPECT_EQ(*fast, *general) << raw;
        else EXPECT_EQ(fast.error(), general.error()) << raw;  // messages quote the trimmed input
        ++compared;
      }
  EXPECT_EQ(compared, 512u);
}

TEST(ParseDate, TimestampsKeepTheLocalDateAsWritten) {
  EXPECT_EQ(parsed("2026-08-20T16:34:11-04:00"), "2026-08-20");
  // 23:30 at UTC-5 is the next day in UTC; the date as written wins.
  EXPECT_EQ(parsed("2024-12-31T23:30:00-05:00"), "2024-12-31");
  EXPECT_EQ(parsed("2025-01-01T00:30:00+08:00"), "2025-01-01");
  EXPECT_EQ(parsed("2025-08-24T12:00:00.123456"), "2025-08-24");
  EXPECT_EQ(parsed("2025-08-24T12:00:00Z"), "2025-08-24");
  EXPECT_EQ(parsed("2025-08-24 12:00:00"), "2025-08-24");
  EXPECT_EQ(parsed("2025-08-24 12:00"), "2025-08-24");
  EXPECT_EQ(parsed("2025-08-24t12:00:00+0800"), "2025-08-24");
  EXPECT_EQ(parsed("2025-08-24 12:00:00 UTC"), "2025-08-24");
  EXPECT_EQ(parsed("2025-08-24T25:00:00"),
            "error: invalid time or time zone in date '2025-08-24T25:00:00'");
  EXPECT_EQ(parsed("2025-08-24T12:00:00+25:00"),
            "error: invalid time or time zone in date '2025-08-24T12:00:00+25:00'");
  EXPECT_EQ(parsed("2025-08-24 garbage"),
            "error: invalid time or time zone in date '2025-08-24 garbage'");
}

TEST(ParseDate, Chinese) {
  EXPECT_EQ(parsed("2025年3月1日"), "2025-03-01");
  EXPECT_EQ(parsed("2025年03月01号"), "2025-03-01");
  EXPECT_EQ(parsed("2025 年 3 月 1 日"), "2025-03-01");
  EXPECT_EQ(parsed("2025年3月1日 10:30"), "2025-03-01");
  EXPECT_EQ(parsed("2024年5月"), "2024-05");
  EXPECT_EQ(parse_date("2024年5月")->precision, P::month);
  EXPECT_EQ(parsed("2024年"), "2024");
  EXPECT_EQ(parsed("2025年2月30日"), "error: invalid date '2025年2月30日': day 30 is out of range for 2025-02");
}

TEST(ParseDate, FullWidthDigits) {
  EXPECT_EQ(parsed("２０２５年３月１日"), "2025-03-01");
  EXPECT_EQ(parsed("２０２４－０５－２９"), "2024-05-29");
  EXPECT_EQ(parsed("３天前", as_of(2025, 3, 10)), "2025-03-07");
}

TEST(ParseDate, NumericDayMonthOrder) {
  DateOptions mdy;
  DateOptions dmy;
  dmy.order = DateOrder::dmy;
  EXPECT_EQ(parsed("03/01/2025", mdy), "2025-03-01");
  EXPECT_EQ(parsed("03/01/2025", dmy), "2025-01-03");
  EXPECT_EQ(parsed("25/03/2025", mdy), "2025-03-25");
  EXPECT_EQ(parsed("25/03/2025", dmy), "2025-03-25");
  EXPECT_EQ(parsed("03/25/2025", dmy), "2025-03-25");
  EXPECT_EQ(parsed("25.03.2025"), "2025-03-25");
  EXPECT_EQ(parsed("3-1-2025"), "2025-03-01");
  EXPECT_EQ(parsed("03/01/2025 10:00"), "2025-03-01");
  EXPECT_EQ(parsed("13/14/2025"), "error: invalid date '13/14/2025': neither 13 nor 14 is a month");
  EXPECT_EQ(parsed("03/01/25"),
            "error: two-digit year in date '03/01/25' is ambiguous: write the year in full");
  EXPECT_EQ(date_order_from_name("dmy"), DateOrder::dmy);
  EXPECT_EQ(date_order_from_name("ymd"), std::nullopt);
  EXPECT_EQ(date_order_name(DateOrder::mdy), "mdy");
}

TEST(ParseDate, EpochSecondsAndMillisecondsAreUtc) {
  EXPECT_EQ(parsed("1716940800"), "2024-05-29");     // 2024-05-29T00:00:00Z
  EXPECT_EQ(parsed("1716940799"), "2024-05-28");     // one second earlier
  EXPECT_EQ(parsed("1716940800000"), "2024-05-29");
  EXPECT_EQ(parsed("1716940800123"), "2024-05-29");
  EXPECT_EQ(parsed("1716940800.5"), "2024-05-29");
  EXPECT_EQ(parsed("951782400"), "2000-02-29");      // a leap day
  EXPECT_EQ(parsed("12345"), "error: unrecognized date '12345'");
}

TEST(ParseDate, YearAndYearMonth) {
  auto y = parse_date("2024");
  ASSERT_TRUE(y);
  EXPECT_EQ(*y, (Date{2024, 1, 1, P::year}));
  EXPECT_EQ(parsed("2024-05"), "2024-05");
  EXPECT_EQ(parse_date("2024-05")->precision, P::month);
  EXPECT_EQ(parsed("2024/5"), "2024-05");
  EXPECT_EQ(parsed("1800"), "error: invalid date '1800': year 1800 is out of range (1900..2199)");
  EXPECT_EQ(parsed("2024-13"), "error: invalid date '2024-13': month 13 is out of range");
}

TEST(ParseDate, EnglishMonthNames) {
  EXPECT_EQ(parsed("May 29, 2024"), "2024-05-29");
  EXPECT_EQ(parsed("29 May 2024"), "2024-05-29");
  EXPECT_EQ(parsed("Sept. 3rd, 2024"), "2024-09-03");
  EXPECT_EQ(parsed("29-May-2024"), "2024-05-29");
  EXPECT_EQ(parsed("Wed, 29 May 2024 10:00:00 GMT"), "2024-05-29");
  EXPECT_EQ(parsed("March 2024"), "2024-03");
  EXPECT_EQ(parsed("Feb 30, 2024"), "error: invalid date 'Feb 30, 2024': day 30 is out of range for 2024-02");
}

TEST(ParseDate, RelativeAges) {
  const auto o = as_of(2025, 3, 10);
  EXPECT_EQ(parsed("3 days ago", o), "2025-03-07");
  EXPECT_EQ(parsed("3天前", o), "2025-03-07");
  EXPECT_EQ(parsed("刚刚", o), "2025-03-10");
  EXPECT_EQ(parsed("今天", o), "2025-03-10");
  EXPECT_EQ(parsed("昨天", o), "2025-03-09");
  EXPECT_EQ(parsed("前天", o), "2025-03-08");
  EXPECT_EQ(parsed("30+ days ago", o), "2025-02-08");
  EXPECT_EQ(parsed("1d", o), "2025-03-09");
  EXPECT_EQ(parsed("35d", o), "2025-02-03");
  EXPECT_EQ(parsed("2 weeks ago", o), "2025-02-24");
  EXPECT_EQ(parsed("1 month ago", o), "2025-02-10");
  EXPECT_EQ(parsed("a month ago", o), "2025-02-10");
  EXPECT_EQ(parsed("an hour ago", o), "2025-03-10");
  EXPECT_EQ(parsed("25 hours ago", o), "2025-03-09");
  EXPECT_EQ(parsed("Posted 5 days ago", o), "2025-03-05");
  EXPECT_EQ(parsed("just now", o), "2025-03-10");
  EXPECT_EQ(parsed("Yesterday", o), "2025-03-09");
  EXPECT_EQ(parsed("1 year ago", o), "2024-03-10");
  EXPECT_EQ(parsed("2周前", o), "2025-02-24");
  EXPECT_EQ(parsed("1个月前", o), "2025-02-10");
  EXPECT_EQ(parsed("三天前", o), "2025-03-07");
  EXPECT_EQ(parsed("十五天前", o), "2025-02-23");
  EXPECT_EQ(parsed("5小时前", o), "2025-03-10");
  EXPECT_EQ(parsed("30+天前", o), "2025-02-08");
  EXPECT_EQ(parsed("3天前发布", o), "2025-03-07");
}

TEST(ParseDate, RelativeAgesCrossMonthAndLeapDays) {
  EXPECT_EQ(parsed("1 month ago", as_of(2025, 3, 31)), "2025-02-28");
  EXPECT_EQ(parsed("1 month ago", as_of(2024, 3, 31)), "2024-02-29");
  EXPECT_EQ(parsed("1 year ago", as_of(2024, 2, 29)), "2023-02-28");
  EXPECT_EQ(parsed("1 day ago", as_of(2024, 3, 1)), "2024-02-29");
  EXPECT_EQ(parsed("1 day ago", as_of(2025, 1, 1)), "2024-12-31");
  EXPECT_EQ(parsed("2 months ago", as_of(2025, 1, 15)), "2024-11-15");
}

TEST(ParseDate, RelativeWithoutAsOfIsAnError) {
  EXPECT_EQ(parsed("3 days ago"),
            "error: relative date '3 days ago' needs a reference date: pass --as-of YYYY-MM-DD");
  EXPECT_EQ(parsed("刚刚"), "error: relative date '刚刚' needs a reference date: pass --as-of YYYY-MM-DD");
}

TEST(ParseDate, Unparseable) {
  EXPECT_EQ(parsed(""), "error: empty date");
  EXPECT_EQ(parsed("   "), "error: empty date");
  EXPECT_EQ(parsed("soon"), "error: unrecognized date 'soon'");
  EXPECT_EQ(parsed("Q3 2024"), "error: unrecognized date 'Q3 2024'");
  EXPECT_EQ(parsed("2025-02-29"), "error: invalid date '2025-02-29': day 29 is out of range for 2025-02");
  EXPECT_EQ(parsed("2024-02-29"), "2024-02-29");
  EXPECT_EQ(parsed("1900-02-29"), "error: invalid date '1900-02-29': day 29 is out of range for 1900-02");
  EXPECT_EQ(parsed("2000-02-29"), "2000-02-29");
}

TEST(ParseDate, Argument) {
  EXPECT_EQ(format_date(*parse_date_argument("2025-03-01")), "2025-03-01");
  EXPECT_EQ(parse_date_argument("3 days ago", as_of(2025, 1, 1)).error(),
            "expected a calendar date, not a relative one: '3 days ago'");
}

TEST(Calendar, Helpers) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(2024, 5, 29), 19872);
  EXPECT_EQ(civil_from_days(19872), day(2024, 5, 29));
  EXPECT_EQ(civil_from_days(-1), day(1969, 12, 31));
  EXPECT_EQ(weekday(day(2024, 5, 29)), 3);  // Wednesday
  EXPECT_EQ(weekday(day(2023, 1, 1)), 7);   // Sunday
  EXPECT_EQ(days_in_month(2024, 2), 29);
  EXPECT_EQ(days_in_month(2100, 2), 28);
  EXPECT_EQ(first_day(Date{2024, 1, 1, P::year}), day(2024, 1, 1));
  EXPECT_EQ(last_day(Date{2024, 1, 1, P::year}), day(2024, 12, 31));
  EXPECT_EQ(last_day(Date{2024, 2, 1, P::month}), day(2024, 2, 29));
}

TEST(DateRangeTest, CoarseDatesMustFitWhole) {
  DateRange r{day(2024, 3, 1), day(2024, 12, 31)};
  EXPECT_TRUE(r.contains(day(2024, 3, 1)));
  EXPECT_TRUE(r.contains(day(2024, 12, 31)));
  EXPECT_FALSE(r.contains(day(2024, 2, 29)));
  EXPECT_FALSE(r.contains(day(2025, 1, 1)));
  EXPECT_FALSE(r.contains(Date{2024, 1, 1, P::year}));
  EXPECT_TRUE(r.contains(Date{2024, 3, 1, P::month}));
  EXPECT_TRUE(DateRange{}.contains(Date{2024, 1, 1, P::year}));
}

}  // namespace
}  // namespace jobmarket::extract
