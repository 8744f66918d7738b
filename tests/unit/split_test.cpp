// Splitting at record boundaries (read/split.hpp): ranges that tile a file hold every
// record exactly once, with the file's own header, lines and row numbers, wherever the
// cuts fall (every byte offset is tried on small files with multi-line fields).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include <jobmarket/read/byte_source.hpp>
#include <jobmarket/read/reader.hpp>
#include <jobmarket/read/split.hpp>
#include "../../src/read/json_reader.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace jobmarket;
using namespace jobmarket::read;

namespace {

std::string temp_file(const std::string& name, const std::string& content) {
  auto dir = fs::temp_directory_path() / ("jm-split-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto path = dir / name;
  std::ofstream(path, std::ios::binary) << content;
  return path.string();
}

// What a reader yields, without the file name (a view into the reader).
struct Row {
  std::uint64_t row = 0, line = 0;
  std::vector<std::string> fields;  // a reject: {"reject", reason}
  bool operator==(const Row&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Row& r) {
  os << "row " << r.row << " line " << r.line << ":";
  for (const auto& f : r.fields) os << " [" << f << "]";
  return os;
}

struct Read {
  std::vector<std::string> header;
  std::vector<Row> rows;
  std::uint64_t bytes = 0;
  std::string sha256;
};

Read read_range(const std::string& path, std::optional<ByteRange> range, ReadOptions options = {}) {
  options.range = range;
  options.digest = true;
  Read out;
  auto r = open_records(path, options);
  EXPECT_TRUE(r) << (r ? "" : r.error());
  if (!r) return out;
  RawRecord rec;
  Reject rej;
  for (;;) {
    auto n = (*r)->next(rec, rej);
    if (n == Next::end) break;
    if (n == Next::record) {
      // Named values: a JSON range learns its keys (columns) in its own order.
      Row row{rec.source.row, rec.source.line, {}};
      const auto& header = (*r)->info().header;
      for (std::size_t i = 0; i < rec.fields.size(); ++i)
        if (!rec.fields[i].empty()) row.fields.push_back(header.at(i) + "=" + rec.fields[i]);
      out.rows.push_back(row);
    } else {
      out.rows.push_back({rej.row, rej.line, {"reject", rej.reason}});
    }
  }
  out.header = (*r)->info().header;
  out.bytes = (*r)->info().stats->bytes;
  out.sha256 = (*r)->info().stats->sha256;
  return out;
}

std::string read_range_error(const std::string& path, ByteRange range) {
  ReadOptions options;
  options.range = range;
  auto r = open_records(path, options);
  return r ? "" : r.error();
}

// Reads the file in the ranges cut at `cuts` and checks they add up to the whole read.
void expect_tiles(const std::string& path, const std::vector<std::uint64_t>& cuts,
                  const ReadOptions& options = {}) {
  const Read whole = read_range(path, std::nullopt, options);
  std::vector<Row> joined;
  std::uint64_t bytes = 0, start = 0;
  std::string trace;
  for (std::size_t i = 0; i <= cuts.size(); ++i) {
    const std::uint64_t end = i < cuts.size() ? cuts[i] : ByteRange{}.end;
    trace += std::to_string(start) + ":" + (i < cuts.size() ? std::to_string(end) : "") + " ";
    const Read part = read_range(path, ByteRange{start, end}, options);
    // The header travels with every part (JSON: keys as met in the part).
    if (!part.rows.empty() && path.find(".csv") != std::string::npos) {
      EXPECT_EQ(part.header, whole.header) << trace;
    }
    joined.insert(joined.end(), part.rows.begin(), part.rows.end());
    bytes += part.bytes;
    start = end;
  }
  EXPECT_EQ(joined, whole.rows) << "cuts " << trace;
  EXPECT_EQ(bytes, whole.bytes) << "cuts " << trace;
}

std::uint64_t file_size(const std::string& path) { return fs::file_size(path); }

void expect_every_cut_tiles(const std::string& path, const ReadOptions& options = {}) {
  const auto size = file_size(path);
  for (std::uint64_t cut = 0; cut <= size + 1; ++cut) expect_tiles(path, {cut}, options);
  for (std::uint64_t a = 0; a <= size; a += 7)
    for (std::uint64_t b = a; b <= size; b += 5) expect_tiles(path, {a, b}, options);
}

// Multi-line quoted fields (with commas, doubled quotes and CRLF), a quote inside an
// unquoted field, blank lines, a ragged row and a final line without a newline.
const std::string kCsv =
    "\xEF\xBB\xBFid,title,text\r\n"
    "1,Engineer,\"line one\r\nline, two\r\n\"\"quoted\"\"\"\r\n"
    "\r\n"
    "2,37'37.8\"N,plain\r\n"
    "3,\"a\n\nb\",\"\n\"\n"
    "4,too,many,fields\n"
    "\n"
    "5,last,\"no newline\"";

}  // namespace

TEST(ByteRange, ParsesAndExplains) {
  auto r = parse_byte_range("10:200");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->start, 10u);
  EXPECT_EQ(r->end, 200u);
  r = parse_byte_range("10:");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->end, ByteRange{}.end);
  r = parse_byte_range(":7");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->start, 0u);
  EXPECT_EQ(r->end, 7u);
  EXPECT_EQ(
      parse_byte_range("9:3").error(),
      "--range '9:3': START is after END (expected START:END in bytes, e.g. 0:1048576; START: "
      "or :END for an open end; START:END@LINE:ROW as split plans it)");
  EXPECT_EQ(parse_byte_range("12").error().substr(0, 20), "--range '12': no ':'");
  EXPECT_EQ(parse_byte_range("-1:5").error().substr(0, 42),
            "--range '-1:5': START is not a byte offset");
  EXPECT_EQ(parse_byte_range("0:99999999999999999999").error().substr(0, 50),
            "--range '0:99999999999999999999': END is not a byt");
  EXPECT_FALSE(parse_byte_range(":"));
  EXPECT_EQ(format_byte_range(3, 9), "3:9");
  // The plan's form: boundaries known, with the first record's line and row.
  r = parse_byte_range("10:200@7:3");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->exact());
  EXPECT_EQ(r->line, 7u);
  EXPECT_EQ(r->row, 3u);
  EXPECT_FALSE(parse_byte_range("10:200").value().exact());
  EXPECT_EQ(parse_byte_range("10:@7:3").error().substr(0, 46), "--range '10:@7:3': the plan's form needs START");
  EXPECT_EQ(parse_byte_range("10:20@0:3").error().substr(0, 62),
            "--range '10:20@0:3': LINE and ROW after '@' must be numbers fr");
}

TEST(CsvRecordMachine, EndsRecordsOnlyOutsideQuotes) {
  CsvRecordMachine m(',');
  std::string events;
  for (char c : std::string("a,\"x\ny\"\"\n\",b\"c\nd\n"))
    events += "-RQ"[static_cast<int>(m.step(c))];
  // The newline inside quotes is quoted_newline (twice: after a doubled quote too); a
  // quote inside an unquoted field (b"c) opens nothing.
  EXPECT_EQ(events, "----Q---Q-----R-R");
}

TEST(SplitCsv, EveryCutHoldsEveryRecordOnce) {
  expect_every_cut_tiles(temp_file("tiles.csv", kCsv));
}

TEST(SplitCsv, NoHeaderAndTsv) {
  ReadOptions no_header;
  no_header.header = false;
  expect_every_cut_tiles(temp_file("noheader.csv", "a,\"1\n2\"\nb,3\n\nc,\"x\"\"\ny\"\n"),
                         no_header);
  // Regression (found by fuzz_split): without a header the file's first record sets the
  // number of columns for every range, not each range's own first record.
  expect_every_cut_tiles(temp_file("ragged.csv", "1,a\n2,b,extra\n3\n4,d\n"), no_header);
  expect_every_cut_tiles(temp_file("tabs.tsv", "h1\th2\n\"a\tb\nc\"\t1\nd\t2\n"));
}

TEST(SplitCsv, RangeCarriesHeaderLinesAndRowsOfTheFile) {
  auto path = temp_file("lines.csv", kCsv);
  // The range from the start of record 4 (line 11) on: the ragged row keeps its line.
  const auto at = kCsv.find("4,too");
  auto part = read_range(path, ByteRange{at - 2, at + 3});
  ASSERT_EQ(part.rows.size(), 1u);
  EXPECT_EQ(part.header, (std::vector<std::string>{"id", "title", "text"}));
  EXPECT_EQ(part.rows[0],
            (Row{4, 11, {"reject", "expected 3 fields (as in the header), found 4"}}));
  // Owned bytes only: from record 4 to record 5, not the header.
  EXPECT_EQ(part.bytes, kCsv.find("5,last") - at);
  EXPECT_EQ(part.sha256, sha256_hex(std::string_view(kCsv).substr(at, kCsv.find("5,last") - at)));
}

TEST(SplitCsv, FileErrorsAreReportedByTheFirstRangeOnly) {
  auto empty = temp_file("empty.csv", "");
  EXPECT_EQ(read_range(empty, ByteRange{0, 5}).rows.size(), 1u);  // "empty file: no header row"
  EXPECT_TRUE(read_range(empty, ByteRange{0, 0}).rows.empty());   // owns no byte, not even 0
  EXPECT_TRUE(read_range(empty, ByteRange{1, 5}).rows.empty());
  auto header_only = temp_file("header.csv", "a,b\n");
  EXPECT_TRUE(read_range(header_only, ByteRange{2, 10}).rows.empty());
  ReadOptions no_header;
  no_header.header = false;
  auto one = temp_file("one.csv", "x,y\n");
  EXPECT_TRUE(read_range(one, ByteRange{2, 10}, no_header).rows.empty());
}

TEST(SplitJson, EveryCutHoldsEveryElementOnce) {
  expect_every_cut_tiles(temp_file("tiles.json",
                                   "\xEF\xBB\xBF [\n {\"id\": \"1\", \"t\": \"a ] , [ {\"},\n"
                                   "  {\"id\": 2, \"t\": {\"nested\": [1, 2]}}\n"
                                   " ,3, {\"id\": \"4\",\n \"t\": \"x\\\"y\"}\n]\n"));
  // Data after the closing bracket, reported by the range that ends the file.
  expect_every_cut_tiles(temp_file("trailing.json", "[{\"a\":1},{\"a\":2}] x"));
  expect_every_cut_tiles(temp_file("unclosed.json", "[{\"a\":1},\n{\"a\":2}"));
}

TEST(SplitJson, NdjsonEveryCut) {
  expect_every_cut_tiles(temp_file("tiles.ndjson",
                                   "{\"id\": \"1\", \"t\": \"a\\nb\"}\n\n  {\"id\": 2}\r\n"
                                   "{\"broken\": \n{\"id\": 3}\n[1]\n{\"id\": 4}"));
}

TEST(SplitJson, StandaloneRangesAreValidArrays) {
  const std::string text = "[\n{\"id\": 1},\n{\"id\": 2},\n{\"id\": 3}\n]\n";
  auto path = temp_file("standalone.json", text);
  auto layout = split_layout(path, {});
  ASSERT_TRUE(layout) << layout.error();
  auto plan = plan_split(*layout, 3);
  ASSERT_TRUE(plan) << plan.error();
  ASSERT_EQ(plan->parts.size(), 3u);
  std::vector<int> ids;
  for (const auto& part : plan->parts) {
    FileSource file(path, std::make_shared<InputStats>(), false);
    file.select(range_segments(*layout, part, /*standalone=*/true));
    std::string bytes(256, '\0');
    bytes.resize(static_cast<std::size_t>(file.read(bytes.data(), 256)));
    auto j = nlohmann::json::parse(bytes);  // throws when not valid JSON
    for (const auto& e : j) ids.push_back(e["id"].get<int>());
  }
  EXPECT_EQ(ids, (std::vector<int>{1, 2, 3}));
}

TEST(SplitPlan, PartsTileTheFileWithDigests) {
  std::string text = "id,text\n";
  for (int i = 0; i < 200; ++i)
    text += std::to_string(i) + ",\"multi\nline " + std::to_string(i) + "\"\n";
  auto path = temp_file("plan.csv", text);
  auto layout = split_layout(path, {});
  ASSERT_TRUE(layout) << layout.error();
  EXPECT_EQ(layout->header_end, 8u);
  auto plan = plan_split(*layout, 7);
  ASSERT_TRUE(plan) << plan.error();
  EXPECT_EQ(plan->rows, 200u);
  EXPECT_EQ(plan->sha256, sha256_hex(text));
  ASSERT_EQ(plan->parts.size(), 7u);
  std::uint64_t at = 0, rows = 0, row = 1;
  for (const auto& p : plan->parts) {
    EXPECT_EQ(p.start, at);
    EXPECT_EQ(p.first_row, row);
    EXPECT_EQ(p.sha256, sha256_hex(std::string_view(text).substr(p.start, p.end - p.start)));
    // Every cut is at the start of a record: after a newline outside quotes.
    if (p.start > 0) {
      EXPECT_EQ(text[p.start - 1], '\n');
      EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(text[p.start])))
          << text.substr(p.start, 10);
    }
    auto part = read_range(path, ByteRange{p.start, p.end});
    EXPECT_EQ(part.rows.size(), p.rows);
    if (!part.rows.empty()) {
      EXPECT_EQ(part.rows.front().row, p.first_row);
      EXPECT_EQ(part.rows.front().line, p.first_line);
    }
    at = p.end;
    rows += p.rows;
    row += p.rows;
  }
  EXPECT_EQ(at, text.size());
  EXPECT_EQ(rows, 200u);
  // More parts than records: the empty ones are dropped.
  auto tiny = plan_split(*split_layout(temp_file("tiny.csv", "a\n1\n2\n"), {}), 50);
  ASSERT_TRUE(tiny);
  EXPECT_EQ(tiny->parts.size(), 2u);
}

// The plan's form (START:END@LINE:ROW) reads the same records without scanning.
TEST(SplitPlan, ExactRangesReadTheSameRecords) {
  for (auto [name, text] : std::vector<std::pair<std::string, std::string>>{
           {"exact.csv", kCsv},
           {"exact.json", "[{\"a\": \"1\"},\n{\"a\": \"x\\\"y\"}, 3,\n{\"a\": \"4\"}]\n"},
           {"exact.ndjson", "{\"a\": \"1\"}\n\n{\"a\": 2}\n{\"bad\n{\"a\": \"4\"}"}}) {
    auto path = temp_file(name, text);
    auto layout = split_layout(path, {});
    ASSERT_TRUE(layout) << layout.error();
    const auto whole = read_range(path, std::nullopt);
    for (std::uint64_t n : {2, 3, 5}) {
      auto plan = plan_split(*layout, n);
      ASSERT_TRUE(plan) << plan.error();
      std::vector<Row> joined;
      for (const auto& p : plan->parts) {
        auto part = read_range(path, ByteRange{p.start, p.end, p.first_line, p.first_row});
        joined.insert(joined.end(), part.rows.begin(), part.rows.end());
        EXPECT_EQ(part.sha256, p.sha256) << name;
      }
      EXPECT_EQ(joined, whole.rows) << name << " in " << n;
    }
  }
  // An offset that no record starts at is refused (here: inside the header).
  auto path = temp_file("exact.csv", kCsv);
  auto bad = read_range_error(path, ByteRange{5, 30, 2, 1});
  EXPECT_EQ(bad, "--range: " + path + ": byte 5 is not where a record starts: give the ranges of "
                 "`jobmarket split --parts`, or START:END without '@' (the boundaries are found)");
  EXPECT_EQ(read_range_error(path, ByteRange{0, 9999, 2, 1}),
            "--range: " + path + ": range 0:9999 ends after the file (" + std::to_string(kCsv.size()) +
                " bytes): it changed after it was split");
}

TEST(SplitLayout, RefusesWhatCannotBeSplitAtByteLevel) {
  EXPECT_EQ(
      split_layout("-", {}).error(),
      "<stdin>: a range needs a regular file (it is read at byte offsets), not standard input");
  auto utf16 = temp_file("utf16.csv", std::string("\xFF\xFE"
                                                  "a\0,\0b\0\n\0",
                                                  10));
  EXPECT_EQ(
      split_layout(utf16, {}).error(),
      utf16 +
          ": cannot split utf-16le (BOM) at byte level: its characters may hold the bytes of a "
          "quote, bracket or delimiter; convert it to UTF-8 first (jobmarket convert " +
          utf16 + " --format csv -o FILE.utf8.csv)");
  ReadOptions gbk;
  gbk.encoding = "gbk";
  EXPECT_TRUE(split_layout(temp_file("gbk.csv", "a,b\n1,2\n"), gbk));
  EXPECT_FALSE(split_layout(temp_file("gbk.json", "[{\"a\":1}]"), gbk));
  gbk.delimiter = '|';
  EXPECT_FALSE(split_layout(temp_file("gbk-pipe.csv", "a|b\n1|2\n"), gbk));
  ReadOptions two_files;
  two_files.range = ByteRange{0, 5};
  auto path = temp_file("two.csv", "a\n1\n");
  EXPECT_EQ(PostingReader::open({path, path}, two_files).error(),
            "--range: applies to one input file, not 2");
}
