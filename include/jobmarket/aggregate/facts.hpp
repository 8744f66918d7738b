#pragma once
// What the report's sections read from one posting, without its text: direction, tags,
// salary (and its annual amount), barriers and date. Deduplicated partial reports keep
// these for their unique postings, so a merge can leave out the ones an earlier part
// already has and rebuild every section; the history store keeps them per posting.
// Pure: no I/O.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <jobmarket/extract/salary.hpp>
#include <jobmarket/pipeline/analysis.hpp>
#include <jobmarket/util/expected.hpp>

namespace jobmarket::aggregate {

using Annual = std::optional<Expected<extract::AnnualSalary, extract::NotAnnual>>;

struct Facts {
  pipeline::Analysis analysis;  // classification (direction, tags), salary, barriers, dates
  Annual annual;                // annualize()'s result when it was kept, else nullopt
};

// A compact positional JSON array (format in facts.cpp): enum values by name, numbers
// exact, so decode(encode(a)) adds to every section exactly as `a` did. The barriers'
// evidence and the classification's evidence and confidence are not kept.
nlohmann::json encode_facts(const pipeline::Analysis& a, const Annual& annual);
Expected<Facts> decode_facts(const nlohmann::json& j);

}  // namespace jobmarket::aggregate
