#pragma once
// Posting dates in the forms scrapers and surveys write them.
#include <cstdint>
#include <optional>
#include <string>

namespace jobmarket::extract {

// A calendar date; `precision` says how much of it the source stated (a survey's
// "2024" is a year, not 2024-01-01).
struct Date {
  int year = 0;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  enum class Precision { day, month, year } precision = Precision::day;
  auto operator<=>(const Date&) const = default;
};

}  // namespace jobmarket::extract
