#pragma once
// The report for people: terminal tables, Markdown (e-mail, wikis) and one self-contained
// HTML page with SVG charts, all made from the report JSON (docs/report.md), so every
// format shows the same numbers.
#include <string>

#include <nlohmann/json.hpp>

#include <jobmarket/render/table.hpp>

namespace jobmarket::render {

std::string report_text(const nlohmann::ordered_json& report, const Style& style = {});
std::string report_markdown(const nlohmann::ordered_json& report);
std::string report_html(const nlohmann::ordered_json& report);

}  // namespace jobmarket::render
