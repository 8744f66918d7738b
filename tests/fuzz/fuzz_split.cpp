// The splitter (read/split.hpp): any bytes in, a plan whose parts tile the file, and parts
// (the plan's exact ranges, and two ranges cut anywhere) that read back exactly the
// records and rejects of the whole file, in order, with the same rows and lines.
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include <jobmarket/read/reader.hpp>
#include <jobmarket/read/split.hpp>

namespace {

using namespace jobmarket::read;

struct Row {
  std::uint64_t row = 0, line = 0;
  std::vector<std::string> fields;
  bool operator==(const Row&) const = default;
};

// Rows as read; named values (a JSON range meets its keys in its own order).
std::vector<Row> read_rows(const std::string& path, ReadOptions options) {
  std::vector<Row> out;
  auto r = open_records(path, options);
  if (!r) __builtin_trap();  // the whole file was split: each range must open too
  RawRecord rec;
  Reject rej;
  for (;;) {
    auto n = (*r)->next(rec, rej);
    if (n == Next::end) break;
    Row row;
    if (n == Next::record) {
      row = {rec.source.row, rec.source.line, {}};
      const auto& header = (*r)->info().header;
      for (std::size_t i = 0; i < rec.fields.size(); ++i)
        if (!rec.fields[i].empty()) row.fields.push_back(header.at(i) + "=" + rec.fields[i]);
    } else {
      row = {rej.row, rej.line, {rej.reason}};
    }
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  static const std::string path = "/tmp/jobmarket-fuzz-split-" + std::to_string(::getpid());
  const Format formats[] = {Format::csv, Format::tsv, Format::json, Format::ndjson};
  ReadOptions options;
  options.format = formats[data[0] % 4];
  options.header = (data[0] & 4) == 0;
  const std::uint64_t parts = 1 + data[1] % 6;
  {
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(data + 3), static_cast<std::streamsize>(size - 3));
  }
  auto layout = split_layout(path, options);
  if (!layout) return 0;  // e.g. a UTF-16 byte-order mark: refused, never misread
  auto plan = plan_split(*layout, parts);
  if (!plan) __builtin_trap();
  const auto whole = read_rows(path, options);
  std::uint64_t at = 0;
  std::vector<Row> exact;
  for (const auto& p : plan->parts) {
    if (p.start != at || p.end < p.start) __builtin_trap();  // the parts tile the file
    at = p.end;
    ReadOptions o = options;
    o.range = ByteRange{p.start, p.end, p.first_line, p.first_row};
    auto got = read_rows(path, o);
    exact.insert(exact.end(), got.begin(), got.end());
  }
  if (at != layout->file_bytes || exact != whole) __builtin_trap();
  // Two ranges cut anywhere (the boundaries found) hold the same rows.
  const std::uint64_t cut = layout->file_bytes * data[2] / 255;
  std::vector<Row> joined;
  for (auto range : {ByteRange{0, cut}, ByteRange{cut}}) {
    ReadOptions o = options;
    o.range = range;
    auto got = read_rows(path, o);
    joined.insert(joined.end(), got.begin(), got.end());
  }
  if (joined != whole) __builtin_trap();
  return 0;
}
