#include <jobmarket/aggregate/facts.hpp>

namespace jobmarket::aggregate {

// Format 1, one array:
//   [1, direction, [tags], salary, annual, barriers, posted, unparsed_date]
// salary:   null | "unparsed string" |
//           [low|null, high|null, currency, period, months|null, negotiable, estimated, source, raw]
// annual:   null (not kept) | "negotiable"|"no_amount"|"unknown_currency" | [low, high, mid, currency, outlier]
// barriers: [min_education, preferred|null, [school_tier], [majors], papers, [venues],
//            experience_years_min|null, english, portfolio, school_tier_level, major_level]
// posted:   null | [year, month, day, "day"|"month"|"year"]
namespace {

using Json = nlohmann::json;
constexpr int kFormat = 1;

template <class T>
Json opt(const std::optional<T>& v) {
  return v ? Json(*v) : Json(nullptr);
}

std::string_view precision_name(extract::Date::Precision p) {
  switch (p) {
    case extract::Date::Precision::day: return "day";
    case extract::Date::Precision::month: return "month";
    case extract::Date::Precision::year: return "year";
  }
  return "day";
}

Json date_json(const std::optional<extract::Date>& d) {
  if (!d) return nullptr;
  return Json::array({d->year, d->month, d->day, precision_name(d->precision)});
}

// Reads one enum by name; throws std::invalid_argument (caught below) when unknown.
template <class E>
E named(const Json& j, std::optional<E> (*from)(std::string_view), const char* what) {
  auto v = from(j.get<std::string>());
  if (!v) throw std::invalid_argument(std::string("unknown ") + what + " '" + j.get<std::string>() + "'");
  return *v;
}

std::optional<extract::NotAnnual> not_annual_from_name(std::string_view n) {
  for (auto v : {extract::NotAnnual::negotiable, extract::NotAnnual::no_amount, extract::NotAnnual::unknown_currency})
    if (extract::not_annual_name(v) == n) return v;
  return std::nullopt;
}
std::optional<extract::SalarySource> source_from_name(std::string_view n) {
  for (auto v : {extract::SalarySource::field, extract::SalarySource::text})
    if (extract::salary_source_name(v) == n) return v;
  return std::nullopt;
}
std::optional<extract::Date::Precision> precision_from_name(std::string_view n) {
  for (auto v : {extract::Date::Precision::day, extract::Date::Precision::month, extract::Date::Precision::year})
    if (precision_name(v) == n) return v;
  return std::nullopt;
}

template <class T>
std::optional<T> opt_get(const Json& j) {
  if (j.is_null()) return std::nullopt;
  return j.get<T>();
}

}  // namespace

nlohmann::json encode_facts(const pipeline::Analysis& a, const Annual& annual) {
  Json salary = nullptr;
  if (a.salary.salary) {
    const auto& s = *a.salary.salary;
    salary = Json::array({opt(s.low), opt(s.high), s.currency, extract::period_name(s.period),
                          opt(s.months_per_year), s.negotiable, s.estimated,
                          extract::salary_source_name(s.source), s.raw});
  } else if (a.salary.unparsed) {
    salary = *a.salary.unparsed;
  }
  Json annual_json = nullptr;
  if (annual) {
    if (*annual) {
      const auto& v = annual->value();
      annual_json = Json::array({v.low, v.high, v.mid, v.currency, v.outlier});
    } else {
      annual_json = extract::not_annual_name(annual->error());
    }
  }
  const auto& b = a.barriers;
  Json barriers = Json::array(
      {extract::education_name(b.min_education),
       b.preferred_education ? Json(extract::education_name(*b.preferred_education)) : Json(nullptr),
       b.school_tier, b.majors, extract::requirement_name(b.papers), b.venues, opt(b.experience_years_min),
       extract::requirement_name(b.english), extract::requirement_name(b.portfolio),
       extract::requirement_name(b.school_tier_level), extract::requirement_name(b.major_level)});
  return Json::array({kFormat, classify::direction_name(a.classification.direction), a.classification.tags,
                      std::move(salary), std::move(annual_json), std::move(barriers), date_json(a.posted),
                      opt(a.unparsed_date)});
}

Expected<Facts> decode_facts(const nlohmann::json& j) {
  Facts f;
  auto& a = f.analysis;
  try {
    if (!j.is_array() || j.size() != 8) return unexpected("facts: expected an array of 8");
    if (j[0].get<int>() != kFormat)
      return unexpected("facts: format " + j[0].dump() + " is not supported (expected " + std::to_string(kFormat) + ")");
    a.classification.direction = named(j[1], classify::direction_from_name, "direction");
    a.classification.tags = j[2].get<std::vector<std::string>>();
    const auto& s = j[3];
    if (s.is_string()) {
      a.salary.unparsed = s.get<std::string>();
    } else if (s.is_array()) {
      if (s.size() != 9) return unexpected("facts: salary: expected an array of 9");
      extract::Salary v;
      v.low = opt_get<double>(s[0]);
      v.high = opt_get<double>(s[1]);
      v.currency = s[2].get<std::string>();
      v.period = named(s[3], extract::period_from_name, "period");
      v.months_per_year = opt_get<int>(s[4]);
      v.negotiable = s[5].get<bool>();
      v.estimated = s[6].get<bool>();
      v.source = named(s[7], source_from_name, "salary source");
      v.raw = s[8].get<std::string>();
      a.salary.salary = std::move(v);
    } else if (!s.is_null()) {
      return unexpected("facts: salary: expected null, a string or an array");
    }
    const auto& an = j[4];
    if (an.is_string()) {
      f.annual.emplace(Unexpected<extract::NotAnnual>{named(an, not_annual_from_name, "reason")});
    } else if (an.is_array()) {
      if (an.size() != 5) return unexpected("facts: annual: expected an array of 5");
      extract::AnnualSalary v;
      v.low = an[0].get<double>();
      v.high = an[1].get<double>();
      v.mid = an[2].get<double>();
      v.currency = an[3].get<std::string>();
      v.outlier = an[4].get<bool>();
      f.annual.emplace(std::move(v));
    } else if (!an.is_null()) {
      return unexpected("facts: annual: expected null, a string or an array");
    }
    const auto& b = j[5];
    if (!b.is_array() || b.size() != 11) return unexpected("facts: barriers: expected an array of 11");
    auto& x = a.barriers;
    x.min_education = named(b[0], extract::education_from_name, "education");
    if (!b[1].is_null()) x.preferred_education = named(b[1], extract::education_from_name, "education");
    x.school_tier = b[2].get<std::vector<std::string>>();
    x.majors = b[3].get<std::vector<std::string>>();
    x.papers = named(b[4], extract::requirement_from_name, "requirement");
    x.venues = b[5].get<std::vector<std::string>>();
    x.experience_years_min = opt_get<int>(b[6]);
    x.english = named(b[7], extract::requirement_from_name, "requirement");
    x.portfolio = named(b[8], extract::requirement_from_name, "requirement");
    x.school_tier_level = named(b[9], extract::requirement_from_name, "requirement");
    x.major_level = named(b[10], extract::requirement_from_name, "requirement");
    const auto& d = j[6];
    if (!d.is_null()) {
      if (!d.is_array() || d.size() != 4) return unexpected("facts: posted: expected an array of 4");
      extract::Date date;
      date.year = d[0].get<int>();
      date.month = d[1].get<int>();
      date.day = d[2].get<int>();
      date.precision = named(d[3], precision_from_name, "date precision");
      if (date.month < 1 || date.month > 12 || date.day < 1 || date.day > extract::days_in_month(date.year, date.month))
        return unexpected("facts: posted: not a date");
      a.posted = date;
    }
    a.unparsed_date = opt_get<std::string>(j[7]);
  } catch (const nlohmann::json::exception& e) {
    return unexpected(std::string("facts: ") + e.what());
  } catch (const std::invalid_argument& e) {
    return unexpected(std::string("facts: ") + e.what());
  }
  return f;
}

}  // namespace jobmarket::aggregate
