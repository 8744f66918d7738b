// jobmarket convert: postings in any supported input format, written back out with the
// raw fields as read, one record per row, each with its source (file, row, line).
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <set>

#include "command.hpp"
#include <jobmarket/cli/app.hpp>
#include "io.hpp"
#include "options.hpp"
#include <jobmarket/render/escape.hpp>

namespace jobmarket::cli {

namespace {

struct ConvertArgs {
  InputArgs input;
  std::string format = "ndjson";
  std::string output = "-";
  bool no_formula_guard = false;
};

void append_source_json(std::string& out, const SourceRef& s) {
  out += "{\"file\":";
  render::append_json_string(out, s.file);
  out += fmt::format(",\"row\":{},\"line\":{}}}", s.row, s.line);
}

int run_convert(const ConvertArgs& a, const Globals& g) {
  auto options = to_read_options(a.input);
  auto files = a.input.files.empty() ? std::vector<std::string>{"-"} : a.input.files;
  std::vector<std::unique_ptr<read::RecordReader>> readers;
  for (const auto& f : files) {
    auto r = read::open_records(f, options);
    if (!r) throw UsageError{r.error()};
    readers.push_back(std::move(*r));
  }
  Output out(a.output);
  Diagnostics diag(options.strict, g.quiet);
  const bool json = a.format == "json", ndjson = a.format == "ndjson";
  const char delim = a.format == "tsv" ? '\t' : ',';
  std::vector<std::string> csv_header;
  const read::RecordReader* csv_reader = nullptr;  // the input whose header was written
  std::set<std::string> warned_keys;
  std::string buf;
  std::uint64_t rows = 0, records = 0;
  bool first = true;
  if (json) out.write("[");
  for (auto& reader : readers) {
    read::RawRecord rec;
    read::Reject rej;
    for (;;) {
      auto n = reader->next(rec, rej);
      if (n == read::Next::end) break;
      if (n == read::Next::rejected) {
        if (rej.row) ++rows;
        if (!diag.reject(rej)) {
          out.commit();
          return kExitDataErrors;
        }
        continue;
      }
      ++rows;
      ++records;
      const auto& header = reader->info().header;
      buf.clear();
      if (json || ndjson) {
        if (json) buf += first ? "\n" : ",\n";
        buf += "{\"_source\":";
        append_source_json(buf, rec.source);
        for (std::size_t i = 0; i < header.size() && i < rec.fields.size(); ++i) {
          buf += ',';
          render::append_json_string(buf, header[i]);
          buf += ':';
          render::append_json_string(buf, rec.fields[i]);
        }
        buf += ndjson ? "}\n" : "}";
      } else {
        if (csv_header.empty()) {
          // CSV needs one header: the first file's. Later files must match it.
          csv_header = header;
          csv_reader = reader.get();
          std::string h = fmt::format("_file{0}_row{0}_line", delim);
          for (const auto& name : header) {
            h += delim;
            render::append_csv_cell(h, name, delim, !a.no_formula_guard);
          }
          out.write(h + "\n");
        } else if (reader.get() == csv_reader && header.size() > csv_header.size()) {
          // A JSON input met a key after the CSV header was written: say so, once per key.
          for (std::size_t k = csv_header.size(); k < header.size(); ++k) {
            if (warned_keys.insert(header[k]).second)
              spdlog::warn("{}:{}: key '{}' is not in the CSV header written before it; its "
                           "values are left out (use --format ndjson to keep every key)",
                           render::visible(rec.source.file), rec.source.line, render::visible(header[k]));
          }
        } else if (reader.get() != csv_reader &&
                   (header.size() != csv_header.size() ||
                    !std::equal(csv_header.begin(), csv_header.end(), header.begin()))) {
          throw UsageError{fmt::format(
              "{}: columns differ from the first input's; --format {} needs one header "
              "(use --format ndjson to combine files with different columns)",
              reader->info().file, a.format)};
        }
        render::append_csv_cell(buf, rec.source.file, delim, !a.no_formula_guard);
        buf += fmt::format("{0}{1}{0}{2}", delim, rec.source.row, rec.source.line);
        for (std::size_t k = 0; k < csv_header.size(); ++k) {
          buf += delim;
          render::append_csv_cell(buf, k < rec.fields.size() ? rec.fields[k] : "", delim,
                                  !a.no_formula_guard);
        }
        buf += '\n';
      }
      first = false;
      out.write(buf);
    }
  }
  if (json) out.write(first ? "]\n" : "\n]\n");
  out.commit();
  spdlog::debug("convert: {} rows read, {} records written, {} rejected", rows, records, diag.rejected());
  diag.summary(rows);
  return diag.exit_code();
}

}  // namespace

Run setup_convert(CLI::App& app) {
  auto a = std::make_shared<ConvertArgs>();
  add_input_options(app, a->input);
  app.add_option("-f,--format", a->format, "Output format: ndjson|json|csv|tsv")
      ->check(CLI::IsMember({"ndjson", "json", "csv", "tsv"}))
      ->default_str("ndjson");
  app.add_option("-o,--output", a->output, "Write to FILE atomically instead of stdout");
  app.add_flag("--no-formula-guard", a->no_formula_guard,
               "CSV/TSV: do not neutralize cells starting with = + - @ (spreadsheet formulas)");
  on_parsed(app, [a] {
    check_input_args(a->input);
    claim_files(input_files(a->input), {{"-o", a->output}});
  });
  return [a](const Globals& g) { return run_convert(*a, g); };
}

}  // namespace jobmarket::cli
