// Robustness guarantees (docs/robustness.md) that are cheaper to pin down in-process than
// end to end: linear-time matching of user patterns, reject accounting in the summary, and
// outputs that are devices. One test per bug fixed.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <jobmarket/read/reader.hpp>
#include <jobmarket/rules/matcher.hpp>
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
