#include "report_output.hpp"

#include <jobmarket/render/report.hpp>

#include "options.hpp"

namespace jobmarket::cli {

std::string report_format_for(const std::string& path, const std::string& requested) {
  auto ends = [&](std::string_view e) {
    return path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0;
  };
  if (ends(".json")) return "json";
  if (ends(".md") || ends(".markdown")) return "markdown";
  if (ends(".html") || ends(".htm")) return "html";
  if (ends(".txt")) return "table";
  return requested == "auto" ? "json" : requested;
}

void check_report_outputs(const std::vector<std::string>& paths, const std::string& format, bool partial) {
  refuse_together(partial, "--partial", format != "auto" && format != "json", "--format " + format,
                  "a partial report is JSON");
  for (const auto& path : paths) {
    const std::string by_name = report_format_for(path, "auto");
    const bool named = by_name != "json" || path.ends_with(".json");  // an extension chose it
    if (!named) continue;
    refuse_together(partial, "--partial", by_name != "json", "-o " + path, "a partial report is JSON");
    refuse_together(format != "auto" && format != by_name, "--format " + format, true, "-o " + path,
                    "the extension asks for " + by_name);
  }
}

void add_report_output_options(CLI::App& app, std::string& format, std::vector<std::string>& outputs,
                               std::string& color) {
  app.add_option("-f,--format", format,
                 "Output: table (default on a terminal), json (default in a pipe), markdown, html")
      ->check(CLI::IsMember({"auto", "table", "json", "markdown", "html"}));
  app.add_option("-o,--output", outputs,
                 "Write to FILE atomically (repeatable; .json .md .html .txt pick the format)")
      ->type_name("FILE");
  app.add_option("--color", color, "Color: auto|always|never (auto honors NO_COLOR)")
      ->check(CLI::IsMember({"auto", "always", "never"}));
}

ReportOutputs::ReportOutputs(const std::vector<std::string>& paths, const std::string& format,
                             std::string color)
    : m_color(std::move(color)) {
  for (const auto& path : paths)
    m_outputs.emplace_back(std::make_unique<Output>(path), report_format_for(path, format));
  if (m_outputs.empty()) {
    auto out = std::make_unique<Output>("-");
    std::string f = format == "auto" ? (out->is_tty() ? "table" : "json") : format;
    m_outputs.emplace_back(std::move(out), f);
  }
}

void ReportOutputs::write(const nlohmann::ordered_json& report) {
  for (auto& [out, format] : m_outputs) {
    if (format == "json") {
      out->write(report.dump(2) + "\n");
    } else if (format == "markdown") {
      out->write(render::report_markdown(report));
    } else if (format == "html") {
      out->write(render::report_html(report));
    } else {
      render::Style style{use_color(m_color, out->is_tty())};
      out->write(render::report_text(report, style));
    }
    out->commit();
  }
}

void ReportOutputs::write_partial(const nlohmann::ordered_json& partial) {
  for (auto& [out, format] : m_outputs) {
    out->write(partial.dump() + "\n");
    out->commit();
  }
}

}  // namespace jobmarket::cli
