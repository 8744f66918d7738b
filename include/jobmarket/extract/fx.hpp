#pragma once
// A dated table of exchange rates to one base currency (data/fx/rates.json built in,
// replaceable with --fx FILE). Conversions never guess: an unknown code is an error.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <jobmarket/util/expected.hpp>

namespace jobmarket::extract {

class FxTable {
 public:
  // Parses {"date": "YYYY-MM-DD", "base": "USD", "source": "...", "rates": {"EUR": 1.04,
  // ...}} where each rate is the value of one unit of that currency in `base`. Errors are
  // "NAME: message".
  static Expected<FxTable> load(std::string_view json_text, std::string_view name);
  // The table built into the binary (data/fx/rates.json).
  static const FxTable& builtin();

  // Value of one unit of `code` in the base currency, or nullopt for an unknown code.
  std::optional<double> rate(std::string_view code) const;
  bool has(std::string_view code) const { return rate(code).has_value(); }
  // amount in `from` expressed in `to`; nullopt when either code is unknown.
  std::optional<double> convert(double amount, std::string_view from, std::string_view to) const;

  const std::string& date() const { return m_date; }
  const std::string& base() const { return m_base; }
  const std::string& source() const { return m_source; }
  const std::string& name() const { return m_name; }
  const std::map<std::string, double, std::less<>>& rates() const { return m_rates; }

 private:
  std::string m_name;
  std::string m_date;
  std::string m_base;
  std::string m_source;
  std::map<std::string, double, std::less<>> m_rates;
  // The same rates keyed by the code's three letters packed in an integer, sorted: rate()
  // runs several times per posting in the summaries, and the map's string comparisons
  // were ~500 instructions a lookup.
  std::vector<std::pair<std::uint32_t, double>> m_packed;
};

}  // namespace jobmarket::extract
