#include <jobmarket/evaluate/scorecard.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include <jobmarket/extract/date.hpp>

namespace jobmarket::evaluate {

namespace {

double ratio(std::uint64_t a, std::uint64_t b) {
  return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b);
}

// Metrics are serialized with 4 decimals so evaluations are byte-stable.
double round4(double x) { return std::round(x * 10000.0) / 10000.0; }

std::set<std::string> lowered(const std::vector<std::string>& v) {
  std::set<std::string> out;
  for (auto s : v) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.insert(std::move(s));
  }
  return out;
}

void add_set(SetCounts& c, const std::vector<std::string>& gold,
             const std::vector<std::string>& found) {
  auto g = lowered(gold), f = lowered(found);
  c.exact.add(g == f);
  for (const auto& x : g) ++(f.contains(x) ? c.members.tp : c.members.fn);
  for (const auto& x : f)
    if (!g.contains(x)) ++c.members.fp;
}

bool same_amount(const std::optional<double>& a, const std::optional<double>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || std::abs(*a - *b) <= 0.5;
}

nlohmann::ordered_json exact_json(const ExactCounts& c) {
  return {{"items", c.items}, {"correct", c.correct}, {"accuracy", round4(c.accuracy())}};
}

}  // namespace

double ExactCounts::accuracy() const { return ratio(correct, items); }

void SetCounts::merge(const SetCounts& o) {
  exact.merge(o.exact);
  members.tp += o.members.tp;
  members.fp += o.members.fp;
  members.fn += o.members.fn;
}

void SalaryCounts::merge(const SalaryCounts& o) {
  labeled += o.labeled, exact += o.exact, currency += o.currency, period += o.period;
  bounds += o.bounds, months += o.months, missed += o.missed, spurious += o.spurious;
}

std::string salary_difference(const LabeledSalary& label, const extract::SalaryResult& found) {
  if (!found.salary) return found.unparsed ? "unparsed" : "missed";
  const auto& s = *found.salary;
  std::string out;
  auto differs = [&](const char* what) { out += (out.empty() ? "" : ", ") + std::string(what); };
  // "面议" without amounts says nothing of currency or period.
  const bool amounts = label.low || label.high;
  if (amounts && s.currency != label.currency) differs("currency");
  if (amounts && label.period && s.period != *label.period) differs("period");
  if (!same_amount(label.low, s.low) || !same_amount(label.high, s.high)) differs("bounds");
  if (label.months_per_year != s.months_per_year) differs("months_per_year");
  if (label.negotiable != s.negotiable) differs("negotiable");
  return out;
}

std::string tag_difference(const std::vector<std::string>& label,
                           const std::vector<std::string>& found) {
  std::string missing, extra;
  auto add = [](std::string& list, const std::string& tag) { list += (list.empty() ? "" : ", ") + tag; };
  for (const auto& t : label)
    if (std::find(found.begin(), found.end(), t) == found.end()) add(missing, t);
  for (const auto& t : found)
    if (std::find(label.begin(), label.end(), t) == label.end()) add(extra, t);
  std::string out;
  if (!missing.empty()) out = "missing " + missing;
  if (!extra.empty()) out += (out.empty() ? "extra " : "; extra ") + extra;
  return out;
}

void Scorecard::add(const Label& l, const pipeline::Analysis& a) {
  const auto& c = a.classification;
  (l.clear ? m_clear : m_borderline).add(l.direction, c.direction, l.tags, c.tags);

  if (l.has_barriers) {
    const auto& b = a.barriers;
    m_fields["min_education"].add(b.min_education == l.min_education);
    m_fields["preferred_education"].add(b.preferred_education == l.preferred_education);
    m_fields["papers"].add(b.papers == l.papers);
    m_fields["english"].add(b.english == l.english);
    m_fields["experience_years_min"].add(b.experience_years_min == l.experience_years_min);
    add_set(m_sets["school_tier"], l.school_tier, b.school_tier);
    add_set(m_sets["majors"], l.majors, b.majors);
    add_set(m_sets["venues"], l.venues, b.venues);
  }

  if (l.has_salary) {
    if (l.salary) {
      ++m_salary.labeled;
      auto diff = salary_difference(*l.salary, a.salary);
      if (diff.empty()) ++m_salary.exact;
      if (!a.salary.salary) {
        ++m_salary.missed;
      } else {
        const auto& s = *a.salary.salary;
        const bool amounts = l.salary->low || l.salary->high;
        m_salary.currency += (!amounts || s.currency == l.salary->currency) ? 1 : 0;
        m_salary.period += (!amounts || !l.salary->period || s.period == *l.salary->period) ? 1 : 0;
        m_salary.bounds +=
            (same_amount(l.salary->low, s.low) && same_amount(l.salary->high, s.high)) ? 1 : 0;
        m_salary.months += l.salary->months_per_year == s.months_per_year ? 1 : 0;
      }
    } else if (a.salary.salary) {
      ++m_salary.spurious;
    }
  }

  if (l.has_posted) {
    std::optional<std::string> found;
    if (a.posted) found = extract::format_date(*a.posted);
    m_posted.add(found == l.posted);
  }
}

void Scorecard::merge(const Scorecard& o) {
  m_clear.merge(o.m_clear);
  m_borderline.merge(o.m_borderline);
  for (const auto& [k, v] : o.m_fields) m_fields[k].merge(v);
  for (const auto& [k, v] : o.m_sets) m_sets[k].merge(v);
  m_salary.merge(o.m_salary);
  m_posted.merge(o.m_posted);
}

classify::Evaluation Scorecard::all() const {
  classify::Evaluation e = m_clear;
  e.merge(m_borderline);
  return e;
}

nlohmann::ordered_json Scorecard::to_json() const {
  nlohmann::ordered_json j;
  j["items"] = count();
  j["clear"] = m_clear.to_json();
  j["borderline"] = m_borderline.to_json();
  j["all"] = all().to_json();
  nlohmann::ordered_json barriers;
  for (const auto& [k, v] : m_fields) barriers[k] = exact_json(v);
  for (const auto& [k, v] : m_sets) {
    auto s = exact_json(v.exact);
    s["precision"] = round4(v.members.precision());
    s["recall"] = round4(v.members.recall());
    s["f1"] = round4(v.members.f1());
    barriers[k] = s;
  }
  j["barriers"] = barriers;
  const auto& s = m_salary;
  j["salary"] = {{"labeled", s.labeled},
                 {"exact", s.exact},
                 {"accuracy", round4(ratio(s.exact, s.labeled))},
                 {"currency", s.currency},
                 {"period", s.period},
                 {"bounds", s.bounds},
                 {"months_per_year", s.months},
                 {"missed", s.missed},
                 {"spurious", s.spurious}};
  j["posted"] = exact_json(m_posted);
  return j;
}

}  // namespace jobmarket::evaluate
