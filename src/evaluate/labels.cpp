#include <jobmarket/evaluate/labels.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace jobmarket::evaluate {

namespace {

using Json = nlohmann::json;

// Reads an enum-valued key through `from_name`; a missing or null key is `fallback`.
template <typename T, typename F>
Expected<T> enum_at(const Json& j, const char* key, F from_name, T fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (!it->is_string()) return unexpected(fmt::format("'{}' is not a string", key));
  auto v = from_name(it->get<std::string>());
  if (!v) return unexpected(fmt::format("unknown {} '{}'", key, it->get<std::string>()));
  return *v;
}

std::vector<std::string> strings_at(const Json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& v : *it)
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

std::optional<double> number_at(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

}  // namespace

Expected<Label> parse_label(std::string_view line) {
  auto j = Json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return unexpected("not a JSON object");
  Label l;
  for (const char* key : {"id", "corpus", "file"}) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return unexpected(fmt::format("missing string '{}'", key));
  }
  l.id = j["id"].get<std::string>();
  l.corpus = j["corpus"].get<std::string>();
  l.file = j["file"].get<std::string>();
  if (!j.contains("row") || !j["row"].is_number_unsigned())
    return unexpected("missing non-negative integer 'row'");
  l.row = j["row"].get<std::uint64_t>();
  if (auto it = j.find("split"); it != j.end()) {
    if (!it->is_string() || (*it != "dev" && *it != "tune" && *it != "holdout"))
      return unexpected("'split' must be \"dev\", \"tune\" or \"holdout\"");
    l.split = it->get<std::string>();
  }
  if (!j.contains("direction")) return unexpected("missing 'direction'");
  auto direction = enum_at(j, "direction", classify::direction_from_name, classify::Direction::other);
  if (!direction) return unexpected(direction.error());
  l.direction = *direction;
  l.clear = j.value("certainty", "clear") == "clear";
  l.tags = strings_at(j, "tags");

  l.has_barriers = j.contains("min_education");
  if (l.has_barriers) {
    auto min = enum_at(j, "min_education", extract::education_from_name,
                       extract::Education::none_stated);
    if (!min) return unexpected(min.error());
    l.min_education = *min;
    if (j.contains("preferred_education") && !j["preferred_education"].is_null()) {
      auto pref = enum_at(j, "preferred_education", extract::education_from_name,
                          extract::Education::none_stated);
      if (!pref) return unexpected(pref.error());
      l.preferred_education = *pref;
    }
    auto papers = enum_at(j, "papers", extract::requirement_from_name, extract::Requirement::none);
    if (!papers) return unexpected(papers.error());
    l.papers = *papers;
    auto english = enum_at(j, "english", extract::requirement_from_name, extract::Requirement::none);
    if (!english) return unexpected(english.error());
    l.english = *english;
    l.school_tier = strings_at(j, "school_tier");
    l.majors = strings_at(j, "majors");
    l.venues = strings_at(j, "venues");
    if (auto it = j.find("experience_years_min"); it != j.end() && it->is_number_integer())
      l.experience_years_min = it->get<int>();
  }

  if (auto it = j.find("salary"); it != j.end()) {
    l.has_salary = true;
    if (it->is_object()) {
      LabeledSalary s;
      s.low = number_at(*it, "low");
      s.high = number_at(*it, "high");
      s.currency = it->value("currency", Json()).is_string() ? (*it)["currency"].get<std::string>()
                                                              : std::string();
      auto period = enum_at(*it, "period", extract::period_from_name, extract::Period::month);
      if (!period) return unexpected("salary: " + period.error());
      if (it->contains("period") && !(*it)["period"].is_null()) s.period = *period;
      if (auto m = it->find("months_per_year"); m != it->end() && m->is_number_integer())
        s.months_per_year = m->get<int>();
      s.negotiable = it->value("negotiable", false);
      l.salary = s;
    } else if (!it->is_null()) {
      return unexpected("'salary' must be an object or null");
    }
  }
  if (auto it = j.find("posted"); it != j.end()) {
    l.has_posted = true;
    if (it->is_string()) l.posted = it->get<std::string>();
  }
  return l;
}

}  // namespace jobmarket::evaluate
