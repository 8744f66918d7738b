#pragma once
// Time buckets for trend series: ISO week, month, quarter and year, named YYYY-Www,
// YYYY-MM, YYYY-Qn and YYYY.
#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include <jobmarket/extract/date.hpp>
#include <jobmarket/util/expected.hpp>

namespace jobmarket::aggregate {

enum class BucketSize { week, month, quarter, year };
std::string_view bucket_size_name(BucketSize s);  // "week", "month", "quarter", "year"
std::optional<BucketSize> bucket_size_from_name(std::string_view name);

// One bucket. `year` is the ISO week-numbering year for weeks (2024-12-30 is in 2025-W01);
// `index` is the week 1..53, month 1..12, quarter 1..4, or 1 for a year.
struct Bucket {
  BucketSize size = BucketSize::month;
  int year = 0;
  int index = 1;
  auto operator<=>(const Bucket&) const = default;
};

// The bucket containing a date, or nullopt when the date is coarser than the bucket: a
// year-precision date ("2024") falls only into year buckets, a month-precision one into
// month, quarter and year buckets. Such dates are never spread over finer buckets.
std::optional<Bucket> bucket_of(const extract::Date& d, BucketSize size);

// "2024-W05", "2024-05", "2024-Q2", "2024".
std::string bucket_key(const Bucket& b);
// Parses a key of the given form back; an error names the expected form.
Expected<Bucket> parse_bucket(std::string_view key);

Bucket next_bucket(const Bucket& b);
Bucket previous_bucket(const Bucket& b);
// The same bucket a year earlier (same week number of the previous ISO year); nullopt for
// week 53 when the previous ISO year has only 52 weeks.
std::optional<Bucket> year_earlier(const Bucket& b);

// First and last calendar day of a bucket (weeks run Monday..Sunday).
extract::Date bucket_first_day(const Bucket& b);
extract::Date bucket_last_day(const Bucket& b);

// ISO 8601 week numbering: 52 or 53 weeks in an ISO year.
int iso_weeks_in_year(int iso_year);
// ISO week-numbering year and week of a day-precision date.
struct IsoWeek {
  int year = 0;
  int week = 1;
};
IsoWeek iso_week(const extract::Date& d);

}  // namespace jobmarket::aggregate
