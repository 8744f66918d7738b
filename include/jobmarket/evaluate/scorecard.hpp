#pragma once
// How well the pipeline's answers agree with hand labels: direction (clear and borderline
// items apart), tags, every barrier field, salary and posting date. Pure counting and
// mergeable, like the report's summaries.
#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include <jobmarket/classify/eval.hpp>
#include <jobmarket/evaluate/labels.hpp>
#include <jobmarket/pipeline/analysis.hpp>

namespace jobmarket::evaluate {

// A field compared as one value: how many labeled items, how many equal.
struct ExactCounts {
  std::uint64_t items = 0, correct = 0;
  double accuracy() const;
  void add(bool ok) { ++items, correct += ok ? 1 : 0; }
  void merge(const ExactCounts& o) { items += o.items, correct += o.correct; }
};

// A field compared as a set (majors, school tiers, venues): exact sets, and the members
// found, spurious and missed over all items.
struct SetCounts {
  ExactCounts exact;
  classify::TagCounts members;
  void merge(const SetCounts& o);
};

struct SalaryCounts {
  std::uint64_t labeled = 0;   // items whose label states a salary (amounts or 面议)
  std::uint64_t exact = 0;     // currency, period, bounds, 薪 months and 面议 all agree
  std::uint64_t currency = 0, period = 0, bounds = 0, months = 0;
  std::uint64_t missed = 0;    // labeled, but no salary found (or the string did not parse)
  std::uint64_t spurious = 0;  // no salary labeled, one found
  void merge(const SalaryCounts& o);
};

// What differs between a label's salary and the one found ("" when they agree): the names
// of the parts that differ, e.g. "currency, bounds".
std::string salary_difference(const LabeledSalary& label, const extract::SalaryResult& found);

// What differs between labeled and found tags ("" when they agree): "missing a, b; extra c".
std::string tag_difference(const std::vector<std::string>& label,
                           const std::vector<std::string>& found);

class Scorecard {
 public:
  void add(const Label& label, const pipeline::Analysis& analysis);
  void merge(const Scorecard& other);

  std::uint64_t count() const { return m_clear.count() + m_borderline.count(); }
  const classify::Evaluation& clear() const { return m_clear; }
  const classify::Evaluation& borderline() const { return m_borderline; }
  // Clear and borderline items together.
  classify::Evaluation all() const;
  // Barrier fields by GUIDE name (min_education, preferred_education, papers, english,
  // experience_years_min), and the set-valued ones.
  const std::map<std::string, ExactCounts>& barrier_fields() const { return m_fields; }
  const std::map<std::string, SetCounts>& barrier_sets() const { return m_sets; }
  const SalaryCounts& salary() const { return m_salary; }
  const ExactCounts& posted() const { return m_posted; }

  // Stable-order JSON (docs/rules.md, "Measuring"): direction (clear, borderline, all),
  // tags of all items, barriers, salary, posted.
  nlohmann::ordered_json to_json() const;

 private:
  classify::Evaluation m_clear, m_borderline;
  std::map<std::string, ExactCounts> m_fields;
  std::map<std::string, SetCounts> m_sets;
  SalaryCounts m_salary;
  ExactCounts m_posted;
};

}  // namespace jobmarket::evaluate
