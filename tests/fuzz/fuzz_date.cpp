// The date parser on arbitrary bytes: a parsed date is a real calendar date inside the
// supported years, and its formatted form parses back to itself. The first byte picks the
// day/month order and whether relative ages have a reference day.
#include <cstdint>
#include <string_view>

#include <jobmarket/extract/date.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace jobmarket::extract;
  if (size == 0) return 0;
  DateOptions options;
  options.order = (data[0] & 1) ? DateOrder::dmy : DateOrder::mdy;
  if (data[0] & 2) options.as_of = Date{2025, 6, 30};
  std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  for (auto parsed : {parse_date(in, options), parse_date_argument(in, options)}) {
    if (!parsed) {
      if (parsed.error().empty()) __builtin_trap();  // every failure says why
      continue;
    }
    const Date& d = *parsed;
    if (d.year < 1900 || d.year > 2199 || d.month < 1 || d.month > 12 || d.day < 1 ||
        d.day > days_in_month(d.year, d.month))
      __builtin_trap();
    auto again = parse_date(format_date(d));
    if (!again || *again != d) __builtin_trap();
    if (d.precision == Date::Precision::day &&
        civil_from_days(days_from_civil(d.year, d.month, d.day)) != d)
      __builtin_trap();
  }
  return 0;
}
