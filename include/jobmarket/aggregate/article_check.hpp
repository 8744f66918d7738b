#pragma once
// The article's claims checked against a report's data: for each claim, what the data
// shows and a verdict (supported / not supported / not enough data) by stated thresholds.
// Pure: reads the report JSON (overview, salary, barriers, trends sections).
#include <nlohmann/json.hpp>

namespace jobmarket::aggregate {

// [{"claim": id, "article": what the article says, "data": what this dataset shows,
//   "verdict": "supported"|"not_supported"|"insufficient_data", "threshold": the rule used,
//   "values": {...numbers behind it}}]
nlohmann::ordered_json check_article(const nlohmann::ordered_json& report);

}  // namespace jobmarket::aggregate
