// jobmarket split FILE: one input cut into parts at record boundaries, as Hadoop's input
// splits are, to run jobmarket on several processes or machines (docs/distributed.md).
// --parts N prints the plan: byte ranges that each own the records starting in them, with
// their rows, first lines and SHA-256. --range START:END writes the records that start in
// those bytes as a file of its own: the CSV header first, a JSON array's brackets around.
// Every reading command takes the same --range, so a part need not be copied at all.
#include <sys/stat.h>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <jobmarket/cli/app.hpp>
#include <jobmarket/read/byte_source.hpp>
#include <jobmarket/read/split.hpp>
#include <jobmarket/render/table.hpp>
#include "command.hpp"
#include "io.hpp"

namespace jobmarket::cli {

namespace {

constexpr std::uint64_t kMaxParts = 1'000'000;

struct SplitArgs {
  std::string file;
  std::optional<std::uint64_t> parts;
  std::string range;
  InputArgs input;  // only the options that decide how the file is read
  std::string format = "auto";
  std::string output = "-";
  std::string color = "auto";
};

using Json = nlohmann::ordered_json;

// An output never replaces an input.
void refuse_input_as_output(const std::string& input, const std::string& output) {
  struct stat in {
  }, out{};
  if (output == "-" || ::stat(input.c_str(), &in) != 0 || ::stat(output.c_str(), &out) != 0) return;
  if (in.st_dev == out.st_dev && in.st_ino == out.st_ino)
    throw UsageError{
        fmt::format("-o {}: is the input file; an output never replaces an input", output)};
}

// The plan's form of a part's range: its boundaries need not be found again.
std::string exact_range(const read::RecordRange& p) {
  return fmt::format("{}@{}:{}", read::format_byte_range(p.start, p.end), p.first_line, p.first_row);
}

Json plan_json(const read::SplitPlan& plan) {
  Json j;
  j["kind"] = "jobmarket.split";
  j["file"] = plan.layout.file;
  j["format"] = read::format_name(plan.layout.format);
  j["encoding"] = plan.layout.encoding;
  j["bytes"] = plan.layout.file_bytes;
  j["sha256"] = plan.sha256;
  j["rows"] = plan.rows;
  auto& parts = j["parts"] = Json::array();
  for (std::size_t i = 0; i < plan.parts.size(); ++i) {
    const auto& p = plan.parts[i];
    parts.push_back({{"part", i + 1},
                     {"range", read::format_byte_range(p.start, p.end)},
                     {"start", p.start},
                     {"end", p.end},
                     {"bytes", p.end - p.start},
                     {"rows", p.rows},
                     {"first_line", p.first_line},
                     {"first_row", p.first_row},
                     {"sha256", p.sha256},
                     {"exact_range", exact_range(p)}});
  }
  return j;
}

render::Table plan_table(const read::SplitPlan& plan) {
  render::Table t;
  t.title = fmt::format("{}: {}, {}, {} bytes, {} rows, sha256 {}", plan.layout.file,
                        read::format_name(plan.layout.format), plan.layout.encoding,
                        plan.layout.file_bytes, plan.rows, plan.sha256.substr(0, 16));
  t.columns = {"part", "range", "bytes", "rows", "first line", "first row", "sha256"};
  t.align = {render::Align::right, render::Align::left,  render::Align::right,
             render::Align::right, render::Align::right, render::Align::right};
  for (std::size_t i = 0; i < plan.parts.size(); ++i) {
    const auto& p = plan.parts[i];
    t.rows.push_back({std::to_string(i + 1), read::format_byte_range(p.start, p.end),
                      std::to_string(p.end - p.start), std::to_string(p.rows),
                      std::to_string(p.first_line), std::to_string(p.first_row),
                      p.sha256.substr(0, 16)});
  }
  t.note = "each range owns the records that start in it: jobmarket COMMAND FILE --range RANGE";
  return t;
}

int run_split(const SplitArgs& a, const Globals& g) {
  if (!a.parts && a.range.empty())
    throw UsageError{"split: give --parts N (plan N ranges) or --range START:END (write one)"};
  if (a.parts && (*a.parts == 0 || *a.parts > kMaxParts))
    throw UsageError{fmt::format("--parts {}: expected 1 to {}", *a.parts, kMaxParts)};
  if (!a.range.empty() && a.format != "auto")
    throw UsageError{
        "--format: applies to the plan of --parts; --range writes the part's records as they are "
        "in FILE"};
  auto input = a.input;
  input.range = a.range;
  const auto options = to_read_options(input);  // checks --delimiter and --range
  refuse_input_as_output(a.file, a.output);
  auto layout = read::split_layout(a.file, options);
  if (!layout) throw UsageError{layout.error()};

  if (a.parts) {
    auto plan = read::plan_split(*layout, *a.parts);
    if (!plan) throw UsageError{plan.error()};
    Output out(a.output);
    std::string format = a.format;
    if (format == "auto") format = out.is_tty() ? "table" : "json";
    if (format == "json")
      out.write(plan_json(*plan).dump(2) + "\n");
    else if (format == "tsv") {
      auto t = plan_table(*plan);
      t.columns = {"part", "range", "bytes", "rows", "first_line", "first_row", "sha256", "exact_range"};
      for (std::size_t i = 0; i < t.rows.size(); ++i) {
        t.rows[i].back() = plan->parts[i].sha256;
        t.rows[i].push_back(exact_range(plan->parts[i]));
      }
      out.write(render::to_csv(t, '\t'));
    } else {
      out.write(render::to_text(plan_table(*plan), {use_color(a.color, out.is_tty())}));
    }
    out.commit();
    if (!g.quiet)
      fmt::print(stderr, "jobmarket: {}: {} rows in {} parts\n", a.file, plan->rows,
                 plan->parts.size());
    return kExitOk;
  }

  // A part standing alone is scanned for (a JSON array's last element), even in the plan's form.
  auto range = read::align_range(*layout, read::ByteRange{options.range->start, options.range->end});
  if (!range) throw UsageError{range.error()};
  Output out(a.output);
  if (out.is_tty())
    throw UsageError{
        "split --range writes the file's raw bytes: redirect stdout to a file or a "
        "pipe, or give -o FILE"};
  read::FileSource file(a.file, std::make_shared<read::InputStats>(), false);
  file.select(read::range_segments(*layout, *range, /*standalone=*/true));
  std::vector<char> buf(1 << 20);
  for (int n; (n = file.read(buf.data(), static_cast<int>(buf.size()))) > 0;)
    out.write(std::string_view(buf.data(), static_cast<std::size_t>(n)));
  out.commit();
  if (!g.quiet)
    fmt::print(
        stderr, "jobmarket: {}: range {} owns bytes {}: {} row{}{}\n", a.file, a.range,
        read::format_byte_range(range->start, range->end), range->rows, range->rows == 1 ? "" : "s",
        range->rows ? fmt::format(" from line {} (row {})", range->first_line, range->first_row)
                    : "");
  return kExitOk;
}

}  // namespace

Run setup_split(CLI::App& app) {
  auto a = std::make_shared<SplitArgs>();
  app.add_option("FILE", a->file,
                 "The input to split (a regular file: CSV, TSV, JSON array or NDJSON)")
      ->required();
  app.add_option("--parts", a->parts,
                 "Plan N ranges of about equal size at record boundaries (fewer when records are "
                 "larger than a part)")
      ->type_name("N");
  app.add_option("--range", a->range,
                 "Write the records that start in bytes START:END (with the CSV header; a JSON "
                 "array's brackets)")
      ->type_name("START:END")
      ->excludes("--parts");
  app.add_option("--input-format", a->input.input_format, "Input format: auto|csv|tsv|json|ndjson")
      ->check(CLI::IsMember({"auto", "csv", "tsv", "json", "ndjson", "jsonl"}))
      ->default_str("auto");
  app.add_option("-d,--delimiter", a->input.delimiter,
                 "CSV field delimiter (default: sniffed; '\\t' for tab)");
  app.add_flag("--no-header", a->input.no_header, "The first row is data, not a header");
  app.add_option("--encoding", a->input.encoding,
                 "Input encoding when not UTF-8 (ASCII-compatible ones; for CSV also gb18030, gbk, "
                 "big5, shift_jis)");
  app.add_option("-f,--format", a->format,
                 "The plan's format: table|json|tsv (default: table on a terminal, else json)")
      ->check(CLI::IsMember({"auto", "table", "json", "tsv"}));
  app.add_option("-o,--output", a->output, "Write to FILE (atomically) instead of stdout")
      ->type_name("FILE");
  app.add_option("--color", a->color, "Bold table headers: auto|always|never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  return [a](const Globals& g) { return run_split(*a, g); };
}

}  // namespace jobmarket::cli
