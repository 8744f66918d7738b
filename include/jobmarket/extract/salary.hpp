#pragma once
// Salary strings as found in postings ("30-50K·16薪", "$53K-$91K (Glassdoor est.)",
// "面议"...) parsed into amounts, currency and period.
#include <optional>
#include <string>
#include <string_view>

namespace jobmarket::extract {

enum class Period { hour, day, week, month, year };
std::string_view period_name(Period p);

enum class SalarySource { field, text };

struct Salary {
  std::optional<double> low;   // whole currency units (30-50K -> 30000)
  std::optional<double> high;  // low <= high; a single figure gives low == high
  std::string currency;        // ISO 4217 ("CNY", "USD", ...)
  Period period = Period::month;
  std::optional<int> months_per_year;  // the N of "N薪"
  bool negotiable = false;             // "面议": no amount, not zero
  bool estimated = false;              // "(Glassdoor est.)", "*"
  SalarySource source = SalarySource::field;
  std::string raw;                     // the string it was parsed from
};

// Result for one posting: a parsed salary, nothing stated, or a string that could not be
// parsed (kept so it can be counted and listed, never guessed).
struct SalaryResult {
  std::optional<Salary> salary;
  std::optional<std::string> unparsed;  // raw string that failed
};

}  // namespace jobmarket::extract
