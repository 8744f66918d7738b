#include <jobmarket/aggregate/buckets.hpp>

#include <fmt/format.h>

namespace jobmarket::aggregate {

namespace {

using extract::Date;

Date day(int y, int m, int d) { return Date{y, m, d, Date::Precision::day}; }

int day_of_year(const Date& d) {
  return static_cast<int>(extract::days_from_civil(d.year, d.month, d.day) -
                          extract::days_from_civil(d.year, 1, 1)) + 1;
}

// Monday of ISO week 1: the week that holds January 4th.
std::int64_t iso_year_start(int iso_year) {
  const Date jan4 = day(iso_year, 1, 4);
  return extract::days_from_civil(iso_year, 1, 4) - (extract::weekday(jan4) - 1);
}

int buckets_per_year(BucketSize s, int year) {
  switch (s) {
    case BucketSize::week: return iso_weeks_in_year(year);
    case BucketSize::month: return 12;
    case BucketSize::quarter: return 4;
    case BucketSize::year: return 1;
  }
  return 1;
}

bool parse_int(std::string_view s, int& out) {
  if (s.empty() || s.size() > 4) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

}  // namespace

std::string_view bucket_size_name(BucketSize s) {
  switch (s) {
    case BucketSize::week: return "week";
    case BucketSize::month: return "month";
    case BucketSize::quarter: return "quarter";
    case BucketSize::year: return "year";
  }
  return "month";
}

std::optional<BucketSize> bucket_size_from_name(std::string_view name) {
  if (name == "week") return BucketSize::week;
  if (name == "month") return BucketSize::month;
  if (name == "quarter") return BucketSize::quarter;
  if (name == "year") return BucketSize::year;
  return std::nullopt;
}

IsoWeek iso_week(const Date& d) {
  // The ISO year of a date is the calendar year of the Thursday of its week.
  const std::int64_t days = extract::days_from_civil(d.year, d.month, d.day);
  const Date thursday = extract::civil_from_days(days + 4 - extract::weekday(d));
  return IsoWeek{thursday.year, (day_of_year(thursday) - 1) / 7 + 1};
}

int iso_weeks_in_year(int iso_year) {
  // December 28th is always in the last ISO week of its year.
  return iso_week(day(iso_year, 12, 28)).week;
}

std::optional<Bucket> bucket_of(const Date& d, BucketSize size) {
  switch (size) {
    case BucketSize::week: {
      if (d.precision != Date::Precision::day) return std::nullopt;
      const IsoWeek w = iso_week(d);
      return Bucket{size, w.year, w.week};
    }
    case BucketSize::month:
      if (d.precision == Date::Precision::year) return std::nullopt;
      return Bucket{size, d.year, d.month};
    case BucketSize::quarter:
      if (d.precision == Date::Precision::year) return std::nullopt;
      return Bucket{size, d.year, (d.month - 1) / 3 + 1};
    case BucketSize::year: return Bucket{size, d.year, 1};
  }
  return std::nullopt;
}

std::string bucket_key(const Bucket& b) {
  switch (b.size) {
    case BucketSize::week: return fmt::format("{:04}-W{:02}", b.year, b.index);
    case BucketSize::month: return fmt::format("{:04}-{:02}", b.year, b.index);
    case BucketSize::quarter: return fmt::format("{:04}-Q{}", b.year, b.index);
    case BucketSize::year: return fmt::format("{:04}", b.year);
  }
  return {};
}

Expected<Bucket> parse_bucket(std::string_view key) {
  auto bad = [&] {
    return unexpected(fmt::format("invalid bucket '{}': expected YYYY, YYYY-MM, YYYY-Www or YYYY-Qn", key));
  };
  int year = 0, index = 0;
  if (key.size() < 4 || !parse_int(key.substr(0, 4), year)) return bad();
  if (key.size() == 4) return Bucket{BucketSize::year, year, 1};
  if (key[4] != '-' || key.size() < 6) return bad();
  const auto rest = key.substr(5);
  if (rest[0] == 'W' && rest.size() == 3 && parse_int(rest.substr(1), index) && index >= 1 &&
      index <= iso_weeks_in_year(year))
    return Bucket{BucketSize::week, year, index};
  if (rest[0] == 'Q' && rest.size() == 2 && parse_int(rest.substr(1), index) && index >= 1 && index <= 4)
    return Bucket{BucketSize::quarter, year, index};
  if (rest.size() == 2 && parse_int(rest, index) && index >= 1 && index <= 12)
    return Bucket{BucketSize::month, year, index};
  return bad();
}

Bucket next_bucket(const Bucket& b) {
  if (b.index < buckets_per_year(b.size, b.year)) return Bucket{b.size, b.year, b.index + 1};
  return Bucket{b.size, b.year + 1, 1};
}

Bucket previous_bucket(const Bucket& b) {
  if (b.index > 1) return Bucket{b.size, b.year, b.index - 1};
  return Bucket{b.size, b.year - 1, buckets_per_year(b.size, b.year - 1)};
}

std::optional<Bucket> year_earlier(const Bucket& b) {
  if (b.index > buckets_per_year(b.size, b.year - 1)) return std::nullopt;
  return Bucket{b.size, b.year - 1, b.index};
}

Date bucket_first_day(const Bucket& b) {
  switch (b.size) {
    case BucketSize::week: return extract::civil_from_days(iso_year_start(b.year) + 7 * (b.index - 1));
    case BucketSize::month: return day(b.year, b.index, 1);
    case BucketSize::quarter: return day(b.year, 3 * (b.index - 1) + 1, 1);
    case BucketSize::year: return day(b.year, 1, 1);
  }
  return day(b.year, 1, 1);
}

Date bucket_last_day(const Bucket& b) {
  switch (b.size) {
    case BucketSize::week:
      return extract::civil_from_days(iso_year_start(b.year) + 7 * (b.index - 1) + 6);
    case BucketSize::month: return day(b.year, b.index, extract::days_in_month(b.year, b.index));
    case BucketSize::quarter: {
      const int m = 3 * b.index;
      return day(b.year, m, extract::days_in_month(b.year, m));
    }
    case BucketSize::year: return day(b.year, 12, 31);
  }
  return day(b.year, 12, 31);
}

}  // namespace jobmarket::aggregate
