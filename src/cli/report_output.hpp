#pragma once
// Where a report goes: stdout or one or more files (each format picked by --format or by
// the file's extension), each replaced atomically. Shared by `report` and `merge`.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "io.hpp"

namespace jobmarket::cli {

// The format for an output path: .json .md .markdown .html .htm .txt by extension, else
// `requested` ("auto" meaning json).
std::string report_format_for(const std::string& path, const std::string& requested);

// -f/--format, -o/--output (repeatable) and --color, as report and merge take them.
void add_report_output_options(CLI::App& app, std::string& format, std::vector<std::string>& outputs,
                               std::string& color);

// Refuses (UsageError) outputs that contradict --format or --partial: `--format markdown
// -o r.json` (the extension picks json), `--partial` with a table, Markdown or HTML format
// or extension (a partial report is JSON).
void check_report_outputs(const std::vector<std::string>& paths, const std::string& format, bool partial);

class ReportOutputs {
 public:
  // Opens every output now (temporaries, so an unwritable path fails before a long run).
  // No paths: stdout, with "auto" meaning table on a terminal and json in a pipe.
  ReportOutputs(const std::vector<std::string>& paths, const std::string& format, std::string color);

  void write(const nlohmann::ordered_json& report);          // every output, in its format
  void write_partial(const nlohmann::ordered_json& partial);  // JSON, whatever the extension

 private:
  std::vector<std::pair<std::unique_ptr<Output>, std::string>> m_outputs;
  std::string m_color;
};

}  // namespace jobmarket::cli
