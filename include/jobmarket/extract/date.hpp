#pragma once
// Posting dates in the forms scrapers and surveys write them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <jobmarket/util/expected.hpp>

namespace jobmarket::extract {

// A calendar date; `precision` says how much of it the source stated (a survey's
// "2024" is a year, not 2024-01-01).
struct Date {
  int year = 0;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  enum class Precision { day, month, year } precision = Precision::day;
  auto operator<=>(const Date&) const = default;
};

// How to read an ambiguous numeric day/month such as 03/04/2025 (`--date-order`).
// An unambiguous one (25/03/2025) parses the same under either order.
enum class DateOrder { mdy, dmy };
std::string_view date_order_name(DateOrder o);  // "mdy", "dmy"
std::optional<DateOrder> date_order_from_name(std::string_view name);

struct DateOptions {
  DateOrder order = DateOrder::mdy;
  // The reference day for relative ages ("3 days ago", "3天前"); without it they are an
  // error. Never taken from the wall clock, so output is reproducible.
  std::optional<Date> as_of;
};

// Parses one raw date: ISO dates and timestamps (the local date as written; the zone is
// validated, never applied), 2025/03/01, 2025-3-1, 2025.3.1, 2025年3月1日, 03/01/2025,
// 20250301, Unix epoch seconds (9-10 digits) or milliseconds (12-13 digits, UTC), year
// (2024), year-month (2024-05, 2024年5月), English month names (May 29, 2024), and
// relative ages against options.as_of. Pure: no clock, no locale. Years 1900..2199.
Expected<Date> parse_date(std::string_view raw, const DateOptions& options = {});

// Parses an --as-of/--since/--until value: a date as above that must not be relative.
Expected<Date> parse_date_argument(std::string_view raw, const DateOptions& options = {});

// "2024-05-29", "2024-05" or "2024" by precision.
std::string format_date(const Date& d);

// Calendar helpers (proleptic Gregorian).
bool is_leap_year(int year);
int days_in_month(int year, int month);
// Days since 1970-01-01 of a day-precision date, and back.
std::int64_t days_from_civil(int year, int month, int day);
Date civil_from_days(std::int64_t days);
// Day of week, 1 = Monday .. 7 = Sunday.
int weekday(const Date& d);

// The first and last day of the period a date stands for (2024 -> 2024-01-01, 2024-12-31).
Date first_day(const Date& d);
Date last_day(const Date& d);

// An inclusive filter range (`--since`, `--until`); either end may be open. A coarse date
// (a year, a month) is inside only when its whole period is: "2024" is outside
// since=2024-03-01, because the row may be from January.
struct DateRange {
  std::optional<Date> since;
  std::optional<Date> until;
  bool contains(const Date& d) const;
  bool empty() const { return !since && !until; }
};

}  // namespace jobmarket::extract
