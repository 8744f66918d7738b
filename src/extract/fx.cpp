#include <jobmarket/extract/fx.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include <jobmarket/util/embedded.hpp>

namespace jobmarket::extract {

namespace {

bool is_iso_code(std::string_view s) {
  if (s.size() != 3) return false;
  for (char c : s) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

std::uint32_t pack(std::string_view iso_code) {
  return static_cast<std::uint32_t>(iso_code[0]) << 16 | static_cast<std::uint32_t>(iso_code[1]) << 8 |
         static_cast<std::uint32_t>(iso_code[2]);
}

// A date is kept as text; only its shape is checked so reports can cite it.
bool is_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i == 4 || i == 7) continue;
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

}  // namespace

Expected<FxTable> FxTable::load(std::string_view json_text, std::string_view name) {
  const std::string prefix = std::string(name) + ": ";
  nlohmann::json doc = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return unexpected(prefix + "not valid JSON");
  if (!doc.is_object()) return unexpected(prefix + "expected a JSON object");
  FxTable table;
  table.m_name = std::string(name);
  auto text_member = [&](const char* key, std::string& out) -> bool {
    auto it = doc.find(key);
    if (it == doc.end() || !it->is_string()) return false;
    out = it->get<std::string>();
    return true;
  };
  if (!text_member("date", table.m_date) || !is_iso_date(table.m_date))
    return unexpected(prefix + "\"date\" must be a YYYY-MM-DD string");
  if (!text_member("base", table.m_base) || !is_iso_code(table.m_base))
    return unexpected(prefix + "\"base\" must be a 3-letter upper-case currency code");
  text_member("source", table.m_source);
  auto rates = doc.find("rates");
  if (rates == doc.end() || !rates->is_object())
    return unexpected(prefix + "\"rates\" must be an object of currency code to number");
  for (auto it = rates->begin(); it != rates->end(); ++it) {
    if (!is_iso_code(it.key()))
      return unexpected(prefix + "rate key \"" + it.key() +
                        "\" is not a 3-letter upper-case currency code");
    if (!it->is_number() || !(it->get<double>() > 0) || !std::isfinite(it->get<double>()))
      return unexpected(prefix + "rate of " + it.key() + " must be a positive number");
    table.m_rates[it.key()] = it->get<double>();
  }
  auto base_rate = table.m_rates.find(table.m_base);
  if (base_rate == table.m_rates.end()) {
    table.m_rates[table.m_base] = 1.0;
  } else if (base_rate->second != 1.0) {
    return unexpected(prefix + "rate of the base currency " + table.m_base + " must be 1");
  }
  for (const auto& [code, r] : table.m_rates) table.m_packed.emplace_back(pack(code), r);  // sorted, as the map
  return table;
}

const FxTable& FxTable::builtin() {
  static const FxTable table = [] {
    auto text = builtin_file("rates.json");
    if (!text) std::abort();  // the build embeds it; missing means a broken build
    auto loaded = load(*text, "rates.json (built in)");
    if (!loaded) std::abort();  // checked by salary_test at build time
    return std::move(loaded).value();
  }();
  return table;
}

std::optional<double> FxTable::rate(std::string_view code) const {
  if (!is_iso_code(code)) return std::nullopt;  // every key is one (load checks)
  const std::uint32_t key = pack(code);
  auto it = std::lower_bound(m_packed.begin(), m_packed.end(), key,
                             [](const auto& entry, std::uint32_t k) { return entry.first < k; });
  if (it == m_packed.end() || it->first != key) return std::nullopt;
  return it->second;
}

std::optional<double> FxTable::convert(double amount, std::string_view from,
                                       std::string_view to) const {
  if (from == to && has(from)) return amount;
  auto f = rate(from);
  auto t = rate(to);
  if (!f || !t) return std::nullopt;
  return amount * *f / *t;
}

}  // namespace jobmarket::extract
