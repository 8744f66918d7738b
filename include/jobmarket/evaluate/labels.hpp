#pragma once
// Hand labels of postings (../shared/labeled/GUIDE.md): one JSON object a line naming a row
// of a corpus file and what a careful reader says of it: direction, tags, barriers, salary
// and date. Pure: parsed from text; the caller reads the files.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <jobmarket/classify/classification.hpp>
#include <jobmarket/extract/barriers.hpp>
#include <jobmarket/extract/salary.hpp>
#include <jobmarket/util/expected.hpp>

namespace jobmarket::evaluate {

// A labeled salary: amounts null for "面议" (negotiable) or when none is stated.
struct LabeledSalary {
  std::optional<double> low, high;
  std::string currency;  // "" when the label gives none
  std::optional<extract::Period> period;
  std::optional<int> months_per_year;
  bool negotiable = false;
};

struct Label {
  std::string id;      // CORPUS:ROW
  std::string corpus;  // folder in the corpora directory
  std::string file;    // file inside it
  std::uint64_t row = 0;  // 0-based data row (header excluded)
  // "dev" (../shared/labeled/dev.jsonl: tuned on), "tune" or "holdout" (our own labels: the
  // holdout rows are never looked at while rules are changed).
  std::string split = "dev";
  classify::Direction direction = classify::Direction::other;
  bool clear = false;  // certainty "clear" (else "borderline")
  std::vector<std::string> tags;

  // Barriers, present when the label states them (every GUIDE label does).
  bool has_barriers = false;
  extract::Education min_education = extract::Education::none_stated;
  std::optional<extract::Education> preferred_education;
  std::vector<std::string> school_tier, majors, venues;
  extract::Requirement papers = extract::Requirement::none;
  std::optional<int> experience_years_min;
  extract::Requirement english = extract::Requirement::none;

  bool has_salary = false;  // the key is present (null = no salary stated)
  std::optional<LabeledSalary> salary;
  bool has_posted = false;
  std::optional<std::string> posted;  // YYYY-MM-DD
};

// One line of a label file. Errors name what is wrong ("unknown direction 'x'").
Expected<Label> parse_label(std::string_view json_line);

}  // namespace jobmarket::evaluate
