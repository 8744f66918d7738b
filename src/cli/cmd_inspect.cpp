// jobmarket inspect: how each input is read: format, encoding, delimiter, header, the
// column-to-field mapping and why, row count and rejected rows.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "command.hpp"
#include "io.hpp"
#include "options.hpp"
#include <jobmarket/cli/app.hpp>
#include <jobmarket/render/table.hpp>

namespace jobmarket::cli {

namespace {

struct InspectArgs {
  InputArgs input;
  std::string format = "table";
  std::string color = "auto";
};

std::string delimiter_name(char d) {
  switch (d) {
    case '\t': return "tab";
    case ',': return "comma";
    case ';': return "semicolon";
    case '|': return "pipe";
    case '\0': return "-";
    default: return std::string(1, d);
  }
}

int run_inspect(const InspectArgs& a, const Globals& g) {
  auto options = to_read_options(a.input);
  options.strict = false;  // inspect counts every problem rather than stopping (--strict is refused)
  auto files = a.input.files.empty() ? std::vector<std::string>{"-"} : a.input.files;
  Output out("-");
  const bool color = use_color(a.color, out.is_tty());
  nlohmann::ordered_json doc = nlohmann::ordered_json::array();
  std::string text;
  int code = kExitOk;
  for (const auto& f : files) {
    auto reader = read::PostingReader::open({f}, options);
    if (!reader) throw UsageError{reader.error()};
    Posting p;
    read::Reject rej;
    std::vector<read::Reject> shown;
    std::map<std::string, std::uint64_t> reasons;
    std::uint64_t records = 0;
    for (;;) {
      auto n = (*reader)->next(p, rej);
      if (n == read::Next::end) break;
      if (n == read::Next::record) ++records;
      else {
        ++reasons[reason_category(rej.reason)];
        if (shown.size() < 10) shown.push_back(rej);
      }
    }
    const auto& info = (*reader)->files().front();
    const std::uint64_t rows = (*reader)->rows_read();
    const std::uint64_t rejected = (*reader)->rejected();
    if (rejected) code = kExitDataErrors;
    if (a.format == "json") {
      nlohmann::ordered_json j;
      j["file"] = info.file;
      j["format"] = read::format_name(info.format);
      j["encoding"] = info.encoding;
      if (info.format == read::Format::csv || info.format == read::Format::tsv)
        j["delimiter"] = std::string(1, info.delimiter);
      j["columns"] = info.header;
      auto& m = j["mapping"] = nlohmann::ordered_json::object();
      for (std::size_t fi = 0; fi < kFieldCount; ++fi) {
        const auto& fm = info.mapping.fields[fi];
        if (fm.columns.empty()) {
          m[std::string(field_name(static_cast<Field>(fi)))] = nullptr;
          continue;
        }
        nlohmann::ordered_json cols = nlohmann::ordered_json::array();
        for (auto c : fm.columns) cols.push_back(info.header[c]);
        m[std::string(field_name(static_cast<Field>(fi)))] = {{"columns", cols}, {"why", fm.why}};
      }
      j["rows"] = rows;
      j["records"] = records;
      j["rejected"] = rejected;
      j["reject_reasons"] = reasons;
      auto& ex = j["rejects"] = nlohmann::ordered_json::array();
      for (const auto& r : shown)
        ex.push_back({{"line", r.line}, {"row", r.row}, {"reason", r.reason}});
      doc.push_back(j);
      continue;
    }
    render::Style style{color};
    render::Table summary;
    summary.title = info.file;
    summary.columns = {"property", "value"};
    summary.rows = {
        {"format", std::string(read::format_name(info.format))},
        {"encoding", info.encoding},
        {"delimiter", delimiter_name(info.format == read::Format::csv || info.format == read::Format::tsv
                                         ? info.delimiter : '\0')},
        {"columns", std::to_string(info.header.size())},
        {"rows", std::to_string(rows)},
        {"records", std::to_string(records)},
        {"rejected", std::to_string(rejected)},
    };
    text += render::to_text(summary, style) + "\n";
    render::Table mapping;
    mapping.title = "mapping";
    mapping.columns = {"field", "columns", "why"};
    for (std::size_t fi = 0; fi < kFieldCount; ++fi) {
      const auto& fm = info.mapping.fields[fi];
      std::string cols;
      for (auto c : fm.columns) cols += (cols.empty() ? "" : ", ") + info.header[c];
      mapping.rows.push_back({std::string(field_name(static_cast<Field>(fi))),
                              cols.empty() ? "-" : cols, fm.columns.empty() ? "no matching header" : fm.why});
    }
    text += render::to_text(mapping, style) + "\n";
    render::Table header;
    header.title = "columns";
    header.columns = {"#", "name"};
    header.align = {render::Align::right};
    for (std::size_t c = 0; c < info.header.size(); ++c)
      header.rows.push_back({std::to_string(c + 1), info.header[c]});
    text += render::to_text(header, style);
    if (!shown.empty()) {
      render::Table rt;
      rt.title = "rejected rows";
      rt.columns = {"line", "row", "reason"};
      rt.align = {render::Align::right, render::Align::right};
      for (const auto& r : shown)
        rt.rows.push_back({std::to_string(r.line), r.row ? std::to_string(r.row) : "-", r.reason});
      if (rejected > shown.size()) rt.note = fmt::format("... and {} more", rejected - shown.size());
      text += "\n" + render::to_text(rt, style);
    }
    text += "\n";
  }
  (void)g;
  out.write(a.format == "json" ? doc.dump(2) + "\n" : text);
  out.commit();
  return code;
}

}  // namespace

Run setup_inspect(CLI::App& app) {
  auto a = std::make_shared<InspectArgs>();
  add_input_options(app, a->input);
  app.add_option("-f,--format", a->format, "Output format: table|json")
      ->check(CLI::IsMember({"table", "json"}))
      ->default_str("table");
  app.add_option("--color", a->color, "Color: auto|always|never (auto honors NO_COLOR)")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  on_parsed(app, [a] {
    // inspect reads every row to count every problem: --strict would be silently ignored.
    if (a->input.strict)
      throw UsageError{"--strict: inspect reads every row to count every problem, it never stops at the first"};
    check_input_args(a->input);
    claim_files(input_files(a->input), {{"stdout", "-"}});
  });
  return [a](const Globals& g) { return run_inspect(*a, g); };
}

}  // namespace jobmarket::cli
