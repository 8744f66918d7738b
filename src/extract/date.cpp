#include <jobmarket/extract/date.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include <jobmarket/util/utf8.hpp>

namespace jobmarket::extract {

namespace {

constexpr int kMinYear = 1900;
constexpr int kMaxYear = 2199;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return c >= 'a' && c <= 'z'; }

// Full-width forms (U+FF01..U+FF5E) and the ideographic space become ASCII, ASCII letters
// are lowered, whitespace runs collapse to one space. Dates are short, so a local pass is
// cheaper and more predictable than full NFKC.
std::string simplify(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  std::size_t i = 0;
  bool pending_space = false;
  while (i < raw.size()) {
    char32_t cp = utf8::decode(raw, i);
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
    if (cp == 0x3000 || cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
    utf8::append(out, cp);
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// A left-to-right reader over the simplified text.
struct Cursor {
  std::string_view s;
  std::size_t i = 0;

  bool done() const { return i >= s.size(); }
  char peek() const { return done() ? '\0' : s[i]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++i;
    return true;
  }
  bool eat(std::string_view lit) {
    if (s.substr(i, lit.size()) != lit) return false;
    i += lit.size();
    return true;
  }
  void skip_spaces() {
    while (peek() == ' ') ++i;
  }
  // Reads a run of digits; returns how many and the value (capped to avoid overflow).
  std::size_t digits(std::int64_t& value) {
    std::size_t n = 0;
    value = 0;
    while (is_digit(peek())) {
      if (n < 18) value = value * 10 + (s[i] - '0');
      ++i;
      ++n;
    }
    return n;
  }
  std::string_view rest() const { return s.substr(i); }
};

std::string quoted(std::string_view raw) { return fmt::format("'{}'", trim(raw)); }

Expected<Date> make_day(std::string_view raw, std::int64_t y, std::int64_t m, std::int64_t d) {
  if (y < kMinYear || y > kMaxYear)
    return unexpected(fmt::format("invalid date {}: year {} is out of range ({}..{})", quoted(raw), y,
                                  kMinYear, kMaxYear));
  if (m < 1 || m > 12)
    return unexpected(fmt::format("invalid date {}: month {} is out of range", quoted(raw), m));
  const int yi = static_cast<int>(y), mi = static_cast<int>(m);
  if (d < 1 || d > days_in_month(yi, mi))
    return unexpected(
        fmt::format("invalid date {}: day {} is out of range for {:04}-{:02}", quoted(raw), d, yi, mi));
  return Date{yi, mi, static_cast<int>(d), Date::Precision::day};
}

Expected<Date> make_month(std::string_view raw, std::int64_t y, std::int64_t m) {
  auto d = make_day(raw, y, m, 1);
  if (!d) return d;
  d->precision = Date::Precision::month;
  return d;
}

Expected<Date> make_year(std::string_view raw, std::int64_t y) {
  auto d = make_day(raw, y, 1, 1);
  if (!d) return d;
  d->precision = Date::Precision::year;
  return d;
}

Unexpected<std::string> unrecognized(std::string_view raw) {
  return unexpected(fmt::format("unrecognized date {}", quoted(raw)));
}

// Optional time of day and zone after a date: [t| ]hh:mm[:ss[.frac]][z|+hh[:mm]|utc|gmt].
// The zone is checked but not applied: the date is kept as written (GUIDE: "the date as
// written"); converting to UTC would move evening postings in the Americas to the next day.
bool time_suffix_ok(Cursor c) {
  if (c.done()) return true;
  if (!c.eat('t') && !c.eat(' ')) return false;
  std::int64_t v = 0;
  if (c.digits(v) != 2 || v > 23) return false;
  if (!c.eat(':')) return false;
  if (c.digits(v) != 2 || v > 59) return false;
  if (c.eat(':')) {
    if (c.digits(v) != 2 || v > 60) return false;
    if (c.eat('.') || c.eat(',')) {
      if (c.digits(v) == 0) return false;
    }
  }
  c.skip_spaces();
  if (c.done()) return true;
  if (c.eat('z') || c.eat("utc") || c.eat("gmt")) {
    if (c.done()) return true;
  }
  if (c.peek() == '+' || c.peek() == '-') {
    ++c.i;
    std::int64_t hh = 0, mm = 0;
    const std::size_t n = c.digits(hh);
    if (n == 4) {
      mm = hh % 100;
      hh /= 100;
    } else if (n == 2) {
      if (c.eat(':') && c.digits(mm) != 2) return false;
    } else {
      return false;
    }
    return hh <= 14 && mm <= 59 && c.done();
  }
  return false;
}

Expected<Date> with_time(std::string_view raw, Expected<Date> date, Cursor c) {
  if (!date) return date;
  if (!time_suffix_ok(c))
    return unexpected(fmt::format("invalid time or time zone in date {}", quoted(raw)));
  return date;
}

// Epoch seconds or milliseconds to the UTC calendar day.
Expected<Date> from_epoch(std::string_view raw, std::int64_t seconds) {
  std::int64_t days = seconds / 86400;
  if (seconds % 86400 < 0) --days;
  Date d = civil_from_days(days);
  if (d.year < kMinYear || d.year > kMaxYear) return unrecognized(raw);
  return d;
}

// All digits (and perhaps a fraction of seconds): year, YYYYMMDD or a Unix epoch.
std::optional<Expected<Date>> parse_number(std::string_view raw, std::string_view s) {
  Cursor c{s};
  std::int64_t v = 0;
  const std::size_t n = c.digits(v);
  if (n == 0) return std::nullopt;
  bool fraction = false;
  if (c.eat('.')) {
    std::int64_t f = 0;
    if (c.digits(f) == 0) return std::nullopt;
    fraction = true;
  }
  if (!c.done()) return std::nullopt;
  if (!fraction && n == 4) return make_year(raw, v);
  if (!fraction && n == 8) return make_day(raw, v / 10000, v / 100 % 100, v % 100);
  if (n == 9 || n == 10) return from_epoch(raw, v);
  if (n == 12 || n == 13) return from_epoch(raw, v / 1000);
  return Expected<Date>(unrecognized(raw));
}

// 2025-03-01, 2025/3/1, 2025.3.1, 2025-03, with an optional time after a full date.
std::optional<Expected<Date>> parse_year_first(std::string_view raw, std::string_view s) {
  Cursor c{s};
  std::int64_t y = 0, m = 0, d = 0;
  if (c.digits(y) != 4) return std::nullopt;
  const char sep = c.peek();
  if (sep != '-' && sep != '/' && sep != '.') return std::nullopt;
  ++c.i;
  const std::size_t mn = c.digits(m);
  if (mn < 1 || mn > 2) return std::nullopt;
  if (c.done()) return make_month(raw, y, m);
  if (!c.eat(sep)) return std::nullopt;
  const std::size_t dn = c.digits(d);
  if (dn < 1 || dn > 2) return std::nullopt;
  return with_time(raw, make_day(raw, y, m, d), c);
}

// 03/01/2025, 25.03.2025, 3-1-2025: day and month ordered by --date-order unless only
// one reading is a valid month.
std::optional<Expected<Date>> parse_year_last(std::string_view raw, std::string_view s,
                                              DateOrder order) {
  Cursor c{s};
  std::int64_t a = 0, b = 0, y = 0;
  const std::size_t an = c.digits(a);
  if (an < 1 || an > 2) return std::nullopt;
  const char sep = c.peek();
  if (sep != '-' && sep != '/' && sep != '.') return std::nullopt;
  ++c.i;
  const std::size_t bn = c.digits(b);
  if (bn < 1 || bn > 2 || !c.eat(sep)) return std::nullopt;
  const std::size_t yn = c.digits(y);
  if (yn == 2)
    return Expected<Date>(unexpected(
        fmt::format("two-digit year in date {} is ambiguous: write the year in full", quoted(raw))));
  if (yn != 4) return std::nullopt;
  std::int64_t month = a, day = b;
  if (a > 12 && b <= 12) {
    month = b;
    day = a;
  } else if (a <= 12 && b > 12) {
    month = a;
    day = b;
  } else if (a <= 12 && b <= 12 && order == DateOrder::dmy) {
    month = b;
    day = a;
  } else if (a > 12 && b > 12) {
    return Expected<Date>(
        unexpected(fmt::format("invalid date {}: neither {} nor {} is a month", quoted(raw), a, b)));
  }
  return with_time(raw, make_day(raw, y, month, day), c);
}

// 2025年3月1日, 2025年3月1号, 2025年3月, 2025年 (spaces allowed between parts).
std::optional<Expected<Date>> parse_cjk(std::string_view raw, std::string_view s) {
  Cursor c{s};
  std::int64_t y = 0, m = 0, d = 0;
  if (c.digits(y) != 4) return std::nullopt;
  c.skip_spaces();
  if (!c.eat("年")) return std::nullopt;
  c.skip_spaces();
  if (c.done()) return make_year(raw, y);
  const std::size_t mn = c.digits(m);
  if (mn < 1 || mn > 2) return std::nullopt;
  c.skip_spaces();
  if (!c.eat("月")) return std::nullopt;
  c.skip_spaces();
  if (c.done()) return make_month(raw, y, m);
  const std::size_t dn = c.digits(d);
  if (dn < 1 || dn > 2) return std::nullopt;
  c.skip_spaces();
  if (!c.eat("日") && !c.eat("号")) return std::nullopt;
  if (c.done()) return make_day(raw, y, m, d);
  c.skip_spaces();
  Cursor t{c.rest()};
  if (t.done()) return make_day(raw, y, m, d);
  // A time after the CJK date: "2025年3月1日 10:30".
  std::string with_space = " " + std::string(t.s);
  if (!time_suffix_ok(Cursor{with_space}))
    return Expected<Date>(unexpected(fmt::format("invalid time or time zone in date {}", quoted(raw))));
  return make_day(raw, y, m, d);
}

constexpr std::array<std::string_view, 12> kMonthNames = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};
constexpr std::array<std::string_view, 7> kWeekdayNames = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

// "may", "may.", "sept", "september": the month 1..12, or 0.
int month_from_word(std::string_view w) {
  if (w.size() < 3) return 0;
  for (std::size_t i = 0; i < kMonthNames.size(); ++i) {
    const auto name = kMonthNames[i];
    if (w.size() <= name.size() && name.substr(0, w.size()) == w) return static_cast<int>(i) + 1;
  }
  if (w == "sept") return 9;
  return 0;
}

bool is_weekday_word(std::string_view w) {
  if (w.size() < 3) return false;
  for (auto name : kWeekdayNames)
    if (w.size() <= name.size() && name.substr(0, w.size()) == w) return true;
  return false;
}

// May 29, 2024 / 29 May 2024 / 29-may-2024 / May 2024 / Wed, 29 May 2024 10:00:00 GMT.
std::optional<Expected<Date>> parse_month_name(std::string_view raw, std::string_view s) {
  Cursor c{s};
  int month = 0;
  std::int64_t day = 0, year = 0;
  bool have_day = false, have_year = false;
  auto skip_seps = [&] {
    while (c.peek() == ' ' || c.peek() == ',' || c.peek() == '-' || c.peek() == '.' || c.peek() == '/')
      ++c.i;
  };
  skip_seps();
  while (!c.done() && !have_year) {
    if (is_alpha(c.peek())) {
      const std::size_t b = c.i;
      while (is_alpha(c.peek())) ++c.i;
      const auto w = c.s.substr(b, c.i - b);
      if (const int m = month_from_word(w); m != 0 && month == 0) month = m;
      else if (!(is_weekday_word(w) && month == 0 && !have_day)) return std::nullopt;
    } else if (is_digit(c.peek())) {
      std::int64_t v = 0;
      const std::size_t n = c.digits(v);
      if (n == 4) {
        year = v;
        have_year = true;
        break;
      }
      if (n > 2 || have_day) return std::nullopt;
      day = v;
      have_day = true;
      c.eat("st") || c.eat("nd") || c.eat("rd") || c.eat("th");
    } else {
      return std::nullopt;
    }
    skip_seps();
  }
  if (month == 0 || !have_year) return std::nullopt;
  if (!have_day) {
    if (!c.done()) return std::nullopt;
    return make_month(raw, year, month);
  }
  return with_time(raw, make_day(raw, year, month, day), c);
}

Date add_days(const Date& d, std::int64_t n) { return civil_from_days(days_from_civil(d.year, d.month, d.day) + n); }

Date sub_months(const Date& d, std::int64_t months) {
  std::int64_t index = static_cast<std::int64_t>(d.year) * 12 + (d.month - 1) - months;
  // Before the supported years (the caller refuses it): never a negative month index.
  if (index < std::int64_t{kMinYear} * 12) return Date{kMinYear - 1, 12, 31, Date::Precision::day};
  const int y = static_cast<int>(index / 12);
  const int m = static_cast<int>(index % 12) + 1;
  return Date{y, m, std::min(d.day, days_in_month(y, m)), Date::Precision::day};
}

// Chinese numerals used in ages: 一..十, 两, 十几 are not ages we try to read.
std::optional<std::int64_t> cjk_number(Cursor& c) {
  static constexpr std::array<std::pair<std::string_view, int>, 11> kDigits = {{
      {"一", 1}, {"两", 2}, {"二", 2}, {"三", 3}, {"四", 4}, {"五", 5},
      {"六", 6}, {"七", 7}, {"八", 8}, {"九", 9}, {"十", 10}}};
  std::int64_t v = 0;
  if (c.digits(v) > 0) return v;
  for (const auto& [text, value] : kDigits)
    if (c.eat(text)) {
      if (value == 10) {  // 十, 十五
        for (const auto& [t2, v2] : kDigits)
          if (v2 < 10 && c.eat(t2)) return 10 + v2;
        return 10;
      }
      if (c.eat("十")) {  // 二十, 二十五
        for (const auto& [t2, v2] : kDigits)
          if (v2 < 10 && c.eat(t2)) return value * 10 + v2;
        return value * 10;
      }
      return value;
    }
  return std::nullopt;
}

enum class Unit { second, minute, hour, day, week, month, year };

// The age in the text, or nullopt when the text is not a relative date.
struct Age {
  std::int64_t n = 0;
  Unit unit = Unit::day;
};

std::optional<Age> english_age(std::string_view s) {
  Cursor c{s};
  c.eat("posted ") || c.eat("reposted ") || c.eat("active ");
  const auto body = c.rest();
  if (body == "just now" || body == "now" || body == "today" || body == "just posted") return Age{0, Unit::day};
  if (body == "yesterday") return Age{1, Unit::day};
  std::int64_t n = 0;
  if (c.digits(n) == 0) {
    if (c.eat("an ") || c.eat("a ") || c.eat("one ")) n = 1;
    else return std::nullopt;
  }
  c.eat('+');
  c.skip_spaces();
  const std::size_t b = c.i;
  while (is_alpha(c.peek())) ++c.i;
  const auto unit = c.s.substr(b, c.i - b);
  c.skip_spaces();
  const bool ago = c.eat("ago");
  if (!c.done()) return std::nullopt;
  static constexpr std::array<std::pair<std::string_view, Unit>, 25> kUnits = {{
      {"s", Unit::second},     {"sec", Unit::second},   {"secs", Unit::second},
      {"second", Unit::second}, {"seconds", Unit::second}, {"m", Unit::minute},
      {"min", Unit::minute},   {"mins", Unit::minute},  {"minute", Unit::minute},
      {"minutes", Unit::minute}, {"h", Unit::hour},     {"hr", Unit::hour},
      {"hrs", Unit::hour},     {"hour", Unit::hour},    {"hours", Unit::hour},
      {"d", Unit::day},        {"day", Unit::day},      {"days", Unit::day},
      {"w", Unit::week},       {"wk", Unit::week},      {"week", Unit::week},
      {"weeks", Unit::week},   {"mo", Unit::month},     {"month", Unit::month},
      {"months", Unit::month}}};
  for (const auto& [name, u] : kUnits)
    if (unit == name) return Age{n, u};
  if (unit == "mos") return Age{n, Unit::month};
  if (unit == "y" || unit == "yr" || unit == "yrs" || unit == "year" || unit == "years") return Age{n, Unit::year};
  (void)ago;
  return std::nullopt;
}

std::optional<Age> chinese_age(std::string_view s) {
  if (s == "刚刚" || s == "今天" || s == "刚发布" || s == "刚刚发布") return Age{0, Unit::day};
  if (s == "昨天") return Age{1, Unit::day};
  if (s == "前天") return Age{2, Unit::day};
  Cursor c{s};
  c.eat("发布于");
  auto n = cjk_number(c);
  if (!n) return std::nullopt;
  c.eat('+');
  c.eat("多");
  c.skip_spaces();
  static constexpr std::array<std::pair<std::string_view, Unit>, 12> kUnits = {{
      {"秒钟", Unit::second}, {"秒", Unit::second},   {"分钟", Unit::minute},
      {"个小时", Unit::hour},  {"小时", Unit::hour},   {"天", Unit::day},
      {"日", Unit::day},      {"个星期", Unit::week}, {"星期", Unit::week},
      {"周", Unit::week},     {"个月", Unit::month},  {"年", Unit::year}}};
  std::optional<Unit> unit;
  for (const auto& [name, u] : kUnits)
    if (c.eat(name)) {
      unit = u;
      break;
    }
  if (!unit) return std::nullopt;
  c.skip_spaces();
  if (!c.eat("前") && !c.eat("以前")) return std::nullopt;
  if (!c.done() && !c.eat("发布")) return std::nullopt;
  if (!c.done()) return std::nullopt;
  return Age{*n, *unit};
}

Date apply_age(const Date& as_of, const Age& age) {
  switch (age.unit) {
    // Sub-day ages count whole days elapsed: "5 hours ago" against a date is that date.
    case Unit::second: return add_days(as_of, -(age.n / 86400));
    case Unit::minute: return add_days(as_of, -(age.n / 1440));
    case Unit::hour: return add_days(as_of, -(age.n / 24));
    case Unit::day: return add_days(as_of, -age.n);
    case Unit::week: return add_days(as_of, -7 * age.n);
    case Unit::month: return sub_months(as_of, age.n);
    case Unit::year: return sub_months(as_of, 12 * age.n);
  }
  return as_of;
}

}  // namespace

std::string_view date_order_name(DateOrder o) { return o == DateOrder::mdy ? "mdy" : "dmy"; }

std::optional<DateOrder> date_order_from_name(std::string_view name) {
  if (name == "mdy") return DateOrder::mdy;
  if (name == "dmy") return DateOrder::dmy;
  return std::nullopt;
}

bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap_year(year)) return 29;
  return kDays[static_cast<std::size_t>(month - 1)];
}

// Howard Hinnant's days_from_civil / civil_from_days algorithms (public domain).
std::int64_t days_from_civil(int year, int month, int day) {
  const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = yoe + era * 400;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return Date{static_cast<int>(y + (m <= 2 ? 1 : 0)), static_cast<int>(m), static_cast<int>(d),
              Date::Precision::day};
}

int weekday(const Date& d) {
  const std::int64_t days = days_from_civil(d.year, d.month, d.day);
  // 1970-01-01 was a Thursday (4).
  std::int64_t w = (days + 3) % 7;
  if (w < 0) w += 7;
  return static_cast<int>(w) + 1;
}

Date first_day(const Date& d) {
  switch (d.precision) {
    case Date::Precision::year: return Date{d.year, 1, 1, Date::Precision::day};
    case Date::Precision::month: return Date{d.year, d.month, 1, Date::Precision::day};
    case Date::Precision::day: break;
  }
  return d;
}

Date last_day(const Date& d) {
  switch (d.precision) {
    case Date::Precision::year: return Date{d.year, 12, 31, Date::Precision::day};
    case Date::Precision::month:
      return Date{d.year, d.month, days_in_month(d.year, d.month), Date::Precision::day};
    case Date::Precision::day: break;
  }
  return d;
}

bool DateRange::contains(const Date& d) const {
  if (since && first_day(d) < first_day(*since)) return false;
  if (until && last_day(d) > last_day(*until)) return false;
  return true;
}

std::string format_date(const Date& d) {
  // By hand: it runs for every record written, and a runtime format string costs ~1600
  // instructions a call.
  if (d.year < 0 || d.year > 9999 || d.month < 0 || d.month > 99 || d.day < 0 || d.day > 99) {
    switch (d.precision) {
      case Date::Precision::year: return fmt::format("{:04}", d.year);
      case Date::Precision::month: return fmt::format("{:04}-{:02}", d.year, d.month);
      case Date::Precision::day: break;
    }
    return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);
  }
  char buf[10];
  auto put = [&](int at, int v, int digits) {
    for (int i = digits - 1; i >= 0; --i, v /= 10) buf[at + i] = static_cast<char>('0' + v % 10);
  };
  put(0, d.year, 4);
  buf[4] = '-';
  put(5, d.month, 2);
  buf[7] = '-';
  put(8, d.day, 2);
  const std::size_t len = d.precision == Date::Precision::year ? 4 : d.precision == Date::Precision::month ? 7 : 10;
  return std::string(buf, len);
}

Expected<Date> parse_date(std::string_view raw, const DateOptions& options) {
  // Plain "YYYY-MM-DD", what most exports write: read directly. The general path below
  // (simplify, relative ages, each layout in turn) cost ~2,100 instructions per posting.
  {
    Cursor c{raw};
    std::int64_t y = 0, m = 0, d = 0;
    if (c.digits(y) == 4 && c.eat('-') && c.digits(m) == 2 && c.eat('-') && c.digits(d) == 2 &&
        c.done())
      return make_day(raw, y, m, d);
  }
  const std::string s = simplify(raw);
  if (s.empty()) return unexpected("empty date");
  std::optional<Age> age = english_age(s);
  if (!age) age = chinese_age(s);
  if (age) {
    if (!options.as_of)
      return unexpected(fmt::format(
          "relative date {} needs a reference date: pass --as-of YYYY-MM-DD", quoted(raw)));
    // A huge age ("6321y", "99999999999 weeks ago") lands before the supported years;
    // the bound keeps the day arithmetic far from overflow.
    constexpr std::int64_t kMaxAge = 10'000'000'000;
    Date d = age->n > kMaxAge ? Date{kMinYear - 1, 1, 1, Date::Precision::day}
                              : apply_age(first_day(*options.as_of), *age);
    if (d.year < kMinYear)
      return unexpected(fmt::format("relative date {} is before {}", quoted(raw), kMinYear));
    return d;
  }
  if (auto r = parse_number(raw, s)) return *r;
  if (auto r = parse_year_first(raw, s)) return *r;
  if (auto r = parse_year_last(raw, s, options.order)) return *r;
  if (auto r = parse_cjk(raw, s)) return *r;
  if (auto r = parse_month_name(raw, s)) return *r;
  return unrecognized(raw);
}

Expected<Date> parse_date_argument(std::string_view raw, const DateOptions& options) {
  DateOptions no_relative = options;
  no_relative.as_of.reset();
  auto d = parse_date(raw, no_relative);
  if (!d && d.error().starts_with("relative date"))
    return unexpected(fmt::format("expected a calendar date, not a relative one: {}", quoted(raw)));
  return d;
}

}  // namespace jobmarket::extract
