#pragma once
// Salary strings as found in postings ("30-50K·16薪", "$53K-$91K (Glassdoor est.)",
// "面议"...) parsed into amounts, currency and period; annualized and converted to a
// report currency (docs/salary.md states every convention).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <jobmarket/model/posting.hpp>
#include <jobmarket/util/expected.hpp>

namespace jobmarket::extract {

class FxTable;

enum class Period { hour, day, week, month, year };
std::string_view period_name(Period p);  // "hour", "day", "week", "month", "year"
std::optional<Period> period_from_name(std::string_view name);

enum class SalarySource { field, text };
std::string_view salary_source_name(SalarySource s);  // "field", "text"

struct Salary {
  std::optional<double> low;   // whole currency units (30-50K -> 30000)
  std::optional<double> high;  // low <= high; a single figure gives low == high
  std::string currency;        // ISO 4217 ("CNY", "USD", ...); "" when unknown
  // The string states no currency; `currency` is inferred (docs/salary.md, "Currency when
  // the string does not say"): --default-currency, a Chinese posting's CNY, else USD.
  bool currency_inferred = false;
  Period period = Period::month;
  std::optional<int> months_per_year;  // the N of "N薪"
  bool negotiable = false;             // "面议": no amount, not zero
  bool estimated = false;              // "(Glassdoor est.)", "(Employer est.)", "*"
  SalarySource source = SalarySource::field;
  std::string raw;                     // the string it was parsed from
};

// Result for one posting: a parsed salary, nothing stated, or a string that could not be
// parsed (kept so it can be counted and listed, never guessed).
struct SalaryResult {
  std::optional<Salary> salary;
  std::optional<std::string> unparsed;  // raw string that failed
  // Why, when the parser read a number it refuses rather than guesses: "negative amount",
  // "exponent notation", "amount of 10^13 or more" (kMaxSalaryAmount). Empty otherwise.
  std::string_view reason;
};

// No pay in any currency reaches this many units (10 million USD a year in rials at a
// million per USD); a larger amount is a typo or an attack, refused as unparsed.
inline constexpr double kMaxSalaryAmount = 1e13;

// What the caller knows beyond the string itself. A currency stated in the string always
// wins over the hints.
struct SalaryHints {
  // Used when the string names no currency (--default-currency; a currency column is
  // joined to the salary field instead, "160000\nUSD"). Upper-case ISO code; "" = none,
  // then a Chinese posting's amounts are CNY and any other's USD. Always marked inferred.
  std::string default_currency;
  // Used when the string states no period (the aijobs survey: annual).
  std::optional<Period> default_period;
  // The posting is Chinese (CJK in title/text): a bare "18-25K" is CNY per month.
  bool cjk_context = false;

  bool operator==(const SalaryHints&) const = default;
};

// Parses a salary column value. Several columns mapped to the salary field arrive joined
// with "\n" ("18-25K\n13薪", "160000\nUSD"). Empty, "-1", "NULL", "nan" give no salary.
SalaryResult parse_salary(std::string_view raw, const SalaryHints& hints = {});

// Finds a pay range stated in a description ("The base pay range for this role is
// $150,000 - $200,000 a year"); several ranges give one from the lowest low to the
// highest high. Lone dollar amounts without a period ("$5M funding") are ignored.
// Returns no salary (and nothing unparsed) when the text states none.
SalaryResult find_salary_in_text(std::string_view text);
// The same on normalize::fold(text), for a caller that has it already.
SalaryResult find_salary_in_folded(std::string_view text_folded);

// parse_salary with a memory of the strings parsed last. A dataset repeats a few thousand
// salary strings ("15-25K·13薪", "$80K-$160K") across millions of postings, and one parse
// costs thousands of instructions. Direct-mapped on a hash of the string: fixed memory
// (kSlots entries of strings up to kMaxLength bytes; longer ones are parsed every time),
// and a hit returns exactly what parse_salary returned for the same string and hints.
// One per thread (a pipeline worker keeps one in its workspace).
class SalaryMemo {
 public:
  static constexpr std::size_t kSlots = 1024;
  static constexpr std::size_t kMaxLength = 64;

  // Valid until the next call.
  const SalaryResult& parse(std::string_view raw, const SalaryHints& hints);

  std::uint64_t hits() const { return m_hits; }

 private:
  struct Slot {
    bool used = false;
    std::string raw;
    SalaryHints hints;
    SalaryResult result;
  };
  std::vector<Slot> m_slots;  // kSlots, allocated on first use
  SalaryResult m_long;        // the last string over kMaxLength
  std::uint64_t m_hits = 0;
};

// True when s contains a CJK ideograph (used to set SalaryHints::cjk_context).
bool has_cjk(std::string_view s);

// The salary of a posting: its salary field when non-empty (cjk_context set from the
// title, text and field), else a range found in its text.
// `text_folded`, when given, is normalize::fold(posting.text()) (the analyzer has it).
SalaryResult extract_salary(const Posting& posting, const SalaryHints& hints = {},
                            const std::string* text_folded = nullptr);
// The same into `out` (its strings keep their buffers), with `memo` serving repeated
// salary fields: what the analyzer calls for every posting.
void extract_salary(const Posting& posting, const SalaryHints& hints,
                    const std::string* text_folded, SalaryMemo& memo, SalaryResult& out);

// Annualization conventions (documented in docs/salary.md).
struct SalaryConventions {
  double months_per_year = 12;     // unless the string says N薪
  double hours_per_year = 2080;    // 40 h x 52 weeks
  double days_per_year = 250;      // 5 days x 50 weeks (also ~21 working days x 12)
  double weeks_per_year = 52;
  double outlier_min_usd = 1000;      // annual USD-equivalent below this: outlier
  double outlier_max_usd = 5000000;   // annual USD-equivalent above this: outlier
};

// A salary as yearly amounts in the report currency.
struct AnnualSalary {
  double low = 0;
  double high = 0;
  double mid = 0;            // (low + high) / 2
  std::string currency;      // the report currency
  bool outlier = false;      // outside the conventions' USD-equivalent bounds
};

// Why a salary has no annual value.
enum class NotAnnual { negotiable, no_amount, unknown_currency };
std::string_view not_annual_name(NotAnnual n);  // "negotiable", "no_amount", "unknown_currency"

// Annual low/high/mid of `s` converted to `currency` through `fx`, or why not.
Expected<AnnualSalary, NotAnnual> annualize(const Salary& s, const SalaryConventions& conventions,
                                            const FxTable& fx, std::string_view currency);

}  // namespace jobmarket::extract
