// Robustness guarantees (docs/robustness.md) that are cheaper to pin down in-process than
// end to end: linear-time matching of user patterns, reject accounting in the summary, and
// outputs that are devices. One test per bug fixed.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <jobmarket/extract/date.hpp>
#include <jobmarket/normalize/text.hpp>
#include <jobmarket/read/reader.hpp>
#include <jobmarket/rules/matcher.hpp>
#include <jobmarket/rules/rule_set.hpp>
#include <jobmarket/util/utf8.hpp>
#include "../../src/cli/io.hpp"

using namespace jobmarket;

// Vectorscan compiles patterns into automata and never backtracks, so the classic
// catastrophic patterns scan a long near-miss in linear time. No time is asserted: a
// backtracking engine would not finish within the ctest timeout.
TEST(Robustness, PathologicalRegexScansLongTextInLinearTime) {
  // Not "(x+x+)+y": with start-of-match tracking, vectorscan 5.4.9 aborts on such patterns
  // over 255+ bytes (an upstream bug, see docs/robustness.md), not a matching-time problem.
  const std::vector<std::string> patterns = {"(a+)+$", "(a|aa)+$", "(a|a?)+b$", "(.*a){8}$"};
  for (std::uint32_t i = 0; i < patterns.size(); ++i) {
    auto m = rules::Matcher::compile({{patterns[i], true, i}});
    ASSERT_TRUE(m) << patterns[i] << ": " << m.error();
    auto scratch = m->make_scratch();
    std::vector<rules::Match> out;
    std::string near_miss(1u << 20, 'a');
    near_miss += 'c';  // no pattern can end here
    m->scan(near_miss, scratch, out);
    EXPECT_TRUE(out.empty()) << patterns[i];
  }
  auto m = rules::Matcher::compile({{"(a+)+$", true, 7}});
  ASSERT_TRUE(m);
  auto scratch = m->make_scratch();
  std::vector<rules::Match> out;
  m->scan(std::string(1u << 20, 'a'), scratch, out);
  ASSERT_EQ(out.size(), 1u);  // `$`: only the end of the text
  EXPECT_EQ(out[0].end, 1u << 20);
}

namespace {
std::string summary_of(const std::vector<read::Reject>& rejects, std::uint64_t rows_read) {
  cli::Diagnostics diag(false, false);
  ::testing::internal::CaptureStderr();
  for (const auto& r : rejects) diag.reject(r);
  ::testing::internal::GetCapturedStderr();  // the per-row warnings
  ::testing::internal::CaptureStderr();
  diag.summary(rows_read);
  return ::testing::internal::GetCapturedStderr();
}
}  // namespace

// Regression: an empty file printed "1 of 0 rows rejected": problems with a whole input
// are not rows, and the account rows = records + rejected rows must hold.
TEST(Robustness, SummaryKeepsInputErrorsApartFromRows) {
  read::Reject empty{"e.csv", 1, 0, "empty file: no header row"};
  read::Reject ragged{"r.csv", 3, 2, "expected 2 fields (as in the header), found 1"};
  read::Reject open_array{"a.json", 9, 0,
                          "unterminated JSON array: input ends before the closing ']'"};
  EXPECT_EQ(summary_of({empty}, 0),
            "jobmarket: 1 input error (1 empty file); 0 rows read, none rejected\n");
  EXPECT_EQ(summary_of({ragged}, 4), "jobmarket: 1 of 4 rows rejected (1 expected 2 fields)\n");
  EXPECT_EQ(summary_of({empty, open_array, ragged}, 4),
            "jobmarket: 2 input errors (1 empty file; 1 unterminated JSON array); 1 of 4 rows "
            "rejected (1 expected 2 fields)\n");
  EXPECT_EQ(summary_of({}, 4), "");
}

// Regression: `-o /dev/null` (or any device) renamed a temporary file over the device
// node when run as root. Devices are written in place.
TEST(Robustness, OutputToADeviceWritesInPlace) {
  {
    cli::Output out("/dev/null");
    out.write("discarded\n");
    out.commit();
  }
  struct stat st {};
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  try {
    cli::Output out("/dev/full");
    out.write("no room\n");
    out.commit();
    ADD_FAILURE() << "writing to /dev/full succeeded";
  } catch (const cli::UsageError& e) {
    EXPECT_EQ(e.message, "/dev/full: write failed: No space left on device");
  }
  ASSERT_EQ(::stat("/dev/full", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

// Regression: a quote that is never closed, in a record running past the 16 MiB limit to
// the end of input, counted one line too many when the input ended with a newline.
TEST(Robustness, UnterminatedLongRecordCountsItsLines) {
  namespace fs = std::filesystem;
  auto path = fs::temp_directory_path() / ("jm-rob-" + std::to_string(::getpid()) + ".csv");
  {
    std::ofstream out(path, std::ios::binary);
    out << "id,text\n1,ok\n2,\"never closed\n";
    const std::string line(1023, 'y');
    for (int i = 0; i < 17 * 1024; ++i) out << line << '\n';  // 17 MiB inside the quote
  }
  auto reader = read::open_records(path.string(), {});
  ASSERT_TRUE(reader) << reader.error();
  read::RawRecord rec;
  read::Reject rej;
  std::vector<read::Reject> rejects;
  std::size_t records = 0;
  for (;;) {
    auto n = (*reader)->next(rec, rej);
    if (n == read::Next::end) break;
    if (n == read::Next::record)
      ++records;
    else
      rejects.push_back(rej);
  }
  fs::remove(path);
  EXPECT_EQ(records, 1u);
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(rejects[0].line, 3u);
  EXPECT_EQ(rejects[0].row, 2u);
  EXPECT_EQ(rejects[0].reason,
            "unterminated quoted field: the quote opened in this record is never closed (record "
            "runs to end of input, 17409 lines)");
}

// Regression (fuzz_salary, fuzz_normalizer; tests/fuzz/regressions): bytes that decode to
// one code point utf8proc refuses (0xFF followed by continuation bytes) made fold_slow
// recurse on the same run until the stack overflowed.
TEST(Robustness, FoldReplacesCodePointsUtf8procRefuses) {
  EXPECT_EQ(normalize::fold("\xFF\x83\x83\x83"), "\xEF\xBF\xBD");
  EXPECT_EQ(normalize::fold("$45/hr\xFF\x83\x83\x83x"), "$45/hr\xEF\xBF\xBDx");
  for (const char* name : {"fuzz_salary", "fuzz_normalizer"}) {
    auto path = std::filesystem::path(JOBMARKET_SOURCE_DIR) / "tests/fuzz/regressions" / name /
                "fold-refused-code-point";
    std::ifstream in(path, std::ios::binary);
    ASSERT_TRUE(in) << path;
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_TRUE(utf8::is_valid(normalize::fold(bytes))) << path;
  }
}

// Regression (fuzz_date; tests/fuzz/regressions/fuzz_date): "6321y" with --as-of took the
// month index below zero (an out-of-bounds table read); a huge age is an error.
TEST(Robustness, HugeRelativeAgesAreErrors) {
  extract::DateOptions options;
  options.as_of = extract::Date{2025, 6, 30};
  auto years = extract::parse_date("6321y", options);
  ASSERT_FALSE(years);
  EXPECT_EQ(years.error(), "relative date '6321y' is before 1900");
  auto weeks = extract::parse_date("99999999999999 weeks ago", options);
  ASSERT_FALSE(weeks);
  EXPECT_EQ(weeks.error(), "relative date '99999999999999 weeks ago' is before 1900");
  auto recent = extract::parse_date("125 years ago", options);
  ASSERT_TRUE(recent) << recent.error();
  EXPECT_EQ(extract::format_date(*recent), "1900-06-30");
}

// Regression (fuzz_rules_loader; tests/fuzz/regressions/fuzz_rules_loader): a number too
// large for a double escaped RuleSet::parse as an exception instead of an error naming
// the file. The JSON reader had the same hole (e2e.bad_json_number_overflow).
TEST(Robustness, NumberOverflowInRulesIsAnErrorNamingTheFile) {
  auto r = rules::RuleSet::parse(
      R"({"version": "1", "rules": [], "scoring": {"min_signal": 1E400}})", "my.json");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), "my.json: invalid JSON: number overflow parsing '1E400'");
}

// Regression (fuzz_normalizer; tests/fuzz/regressions/fuzz_normalizer/fold-not-idempotent):
// next to invalid bytes, a run was folded code point by code point, so "y" + U+0309 stayed
// apart and only composed to U+1EF7 when the output was folded again.
TEST(Robustness, FoldNextToInvalidBytesIsIdempotent) {
  const std::string in = "key\xCC\x89\x9E";
  EXPECT_EQ(normalize::fold(in), "ke\xE1\xBB\xB7\xEF\xBF\xBD");
  auto path = std::filesystem::path(JOBMARKET_SOURCE_DIR) /
              "tests/fuzz/regressions/fuzz_normalizer/fold-not-idempotent";
  std::ifstream file(path, std::ios::binary);
  ASSERT_TRUE(file) << path;
  std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  auto once = normalize::fold(bytes);
  EXPECT_EQ(normalize::fold(once), once);
}
