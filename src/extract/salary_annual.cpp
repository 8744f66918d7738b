// Annualization and conversion to the report currency (conventions: docs/salary.md).
#include <jobmarket/extract/fx.hpp>
#include <jobmarket/extract/salary.hpp>

namespace jobmarket::extract {

std::string_view not_annual_name(NotAnnual n) {
  switch (n) {
    case NotAnnual::negotiable: return "negotiable";
    case NotAnnual::no_amount: return "no_amount";
    case NotAnnual::unknown_currency: return "unknown_currency";
  }
  return "no_amount";
}

namespace {

double periods_per_year(const Salary& s, const SalaryConventions& c) {
  switch (s.period) {
    case Period::hour: return c.hours_per_year;
    case Period::day: return c.days_per_year;
    case Period::week: return c.weeks_per_year;
    case Period::month:
      // "N薪" pays N monthly salaries a year (the extra ones as year-end bonus).
      return s.months_per_year ? static_cast<double>(*s.months_per_year) : c.months_per_year;
    case Period::year: return 1;
  }
  return 1;
}

}  // namespace

Expected<AnnualSalary, NotAnnual> annualize(const Salary& s, const SalaryConventions& conventions,
                                            const FxTable& fx, std::string_view currency) {
  if (s.negotiable && !s.low) return Unexpected<NotAnnual>{NotAnnual::negotiable};
  if (!s.low || !s.high) return Unexpected<NotAnnual>{NotAnnual::no_amount};
  if (s.currency.empty() || !fx.has(s.currency) || !fx.has(currency))
    return Unexpected<NotAnnual>{NotAnnual::unknown_currency};
  const double factor = periods_per_year(s, conventions);
  AnnualSalary a;
  a.currency = std::string(currency);
  a.low = *fx.convert(*s.low * factor, s.currency, currency);
  a.high = *fx.convert(*s.high * factor, s.currency, currency);
  a.mid = (a.low + a.high) / 2;
  // Outlier bounds are in USD so they mean the same whatever the report currency; a
  // table without USD falls back to its base currency.
  const std::string_view ref = fx.has("USD") ? std::string_view("USD") : fx.base();
  const double low_ref = *fx.convert(*s.low * factor, s.currency, ref);
  const double high_ref = *fx.convert(*s.high * factor, s.currency, ref);
  a.outlier = low_ref < conventions.outlier_min_usd || high_ref > conventions.outlier_max_usd;
  return a;
}

}  // namespace jobmarket::extract
