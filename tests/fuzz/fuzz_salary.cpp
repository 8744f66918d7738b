// The salary parser on arbitrary bytes: a parsed salary is well-formed (low <= high, both
// finite and non-negative, N薪 in range), annualizing it never crashes, and text search
// behaves the same way. The first byte picks the hints so every branch gets fuzzed.
#include <cmath>
#include <cstdint>
#include <string_view>

#include <jobmarket/extract/fx.hpp>
#include <jobmarket/extract/salary.hpp>

namespace {
using namespace jobmarket::extract;

void check(const SalaryResult& r) {
  if (r.salary && r.unparsed) __builtin_trap();  // one or the other, never both
  if (!r.salary) return;
  const Salary& s = *r.salary;
  if (s.low.has_value() != s.high.has_value()) __builtin_trap();
  if (s.low) {
    if (!std::isfinite(*s.low) || !std::isfinite(*s.high)) __builtin_trap();
    if (*s.low < 0 || *s.low > *s.high) __builtin_trap();
  }
  // 面议 alone has no amount (never zero); "15-25K, negotiable" keeps its amounts.
  if (s.negotiable && s.low && !(*s.low > 0)) __builtin_trap();
  if (s.months_per_year && (*s.months_per_year < 1 || *s.months_per_year > 100)) __builtin_trap();
  auto annual = annualize(s, SalaryConventions{}, FxTable::builtin(), "CNY");
  if (annual && (annual->low > annual->high || !std::isfinite(annual->mid))) __builtin_trap();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  SalaryHints hints;
  hints.cjk_context = (data[0] & 1) != 0;
  if (data[0] & 2) hints.default_currency = "USD";
  if (data[0] & 4) hints.default_period = Period::year;
  std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  check(parse_salary(in, hints));
  auto text = find_salary_in_text(in);
  if (text.unparsed) __builtin_trap();  // text search finds a range or nothing
  check(text);
  return 0;
}
