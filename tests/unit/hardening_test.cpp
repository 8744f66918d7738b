// Issue 21: what must hold whatever a hostile input or a careless command line does. No
// input or system file is replaced, no posting text drives the terminal, no option value
// crashes the program or silently gives nonsense. One test per case found; the end-to-end
// half is tests/e2e/cases/harden_* and tests/scripts/test_hardening.py.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <jobmarket/aggregate/report.hpp>
#include <jobmarket/cli/app.hpp>
#include <jobmarket/extract/salary.hpp>
#include <jobmarket/pipeline/runner.hpp>
#include <jobmarket/render/escape.hpp>
#include <jobmarket/render/json_diff.hpp>
#include <jobmarket/render/report.hpp>
#include <jobmarket/render/svg.hpp>
#include <jobmarket/render/table.hpp>
#include <jobmarket/rules/rule_set.hpp>
#include "../../src/cli/io.hpp"
#include "../../src/cli/options.hpp"

using namespace jobmarket;
namespace fs = std::filesystem;

namespace {

// A fresh directory under the system temp dir, removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "jobmarket-hardening-XXXXXX").string();
    path = ::mkdtemp(t.data());
  }
  ~TempDir() { fs::remove_all(path); }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void spit(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::string usage_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const cli::UsageError& e) {
    return e.message;
  }
  return "(no error)";
}

}  // namespace

// ---------------------------------------------------------------- terminal escapes

// Regression: ESC [2J, OSC ... BEL and ESC [31m in a title reached the terminal raw.
TEST(Hardening, VisibleShowsEveryControlCharacter) {
  EXPECT_EQ(render::visible("a\x1b[2Jb"), "a\\x1b[2Jb");
  EXPECT_EQ(render::visible("\x1b]0;owned\x07"), "\\x1b]0;owned\\x07");
  EXPECT_EQ(render::visible("tab\there\nnew\rcr"), "tab\\there\\nnew\\rcr");
  EXPECT_EQ(render::visible(std::string("nul\0del\x7f", 8)), "nul\\x00del\\x7f");
  EXPECT_EQ(render::visible("c1 \xc2\x9b" "2J \xc2\x85"), "c1 \\u009b2J \\u0085");
  // Ordinary text, CJK, U+00A0 (0xC2 0xA0) and a backslash stay as they are.
  EXPECT_EQ(render::visible("大模型 \xc2\xa0 a\\b"), "大模型 \xc2\xa0 a\\b");
  EXPECT_EQ(render::visible_lines("one\x1b[31m\ntwo"), "one\\x1b[31m\ntwo");
  EXPECT_FALSE(render::has_control("plain 文本"));
  EXPECT_TRUE(render::has_control("x\xc2\x9by"));
}

TEST(Hardening, TablesAndMarkdownShowControlsVisibly) {
  render::Table t;
  t.title = "file \x1b[2J";
  t.columns = {"title", "n"};
  t.rows = {{"Eng\x1b]0;x\x07", "1"}};
  t.note = "note \x1b[31m\nsecond line";
  const auto text = render::to_text(t);
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
  EXPECT_NE(text.find("Eng\\x1b]0;x\\x07  1"), std::string::npos) << text;
  EXPECT_NE(text.find("note \\x1b[31m\nsecond line"), std::string::npos) << text;
  const auto md = render::to_markdown(t);
  EXPECT_EQ(md.find('\x1b'), std::string::npos) << md;
  EXPECT_NE(md.find("| Eng\\x1b]0;x\\x07 | 1 |"), std::string::npos) << md;
  EXPECT_EQ(render::html_escape("<b>\x1b[2J</b>"), "&lt;b&gt;\\x1b[2J&lt;/b&gt;");
}

TEST(Hardening, DiagnosticsShowControlsVisibly) {
  cli::Diagnostics diag(false, false);
  ::testing::internal::CaptureStderr();
  diag.reject({"in\x1b[2J.csv", 3, 2, "invalid UTF-8 in column 'n\x1b]0;x\x07'"});
  const auto err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(err, "jobmarket: warning: in\\x1b[2J.csv:3: invalid UTF-8 in column 'n\\x1b]0;x\\x07' (row 2 skipped)\n");
}

// ---------------------------------------------------------------- outputs

// Regression: `-o /dev/stdout` with stdout redirected replaced the /dev/stdout symlink with
// a regular file and left the real output empty. A /proc/self/fd path is the descriptor.
TEST(Hardening, OutputToProcSelfFdWritesThroughTheDescriptor) {
  TempDir dir;
  const int fd = ::open((dir / "real.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  fs::create_symlink("/proc/self/fd/" + std::to_string(fd), dir / "link");
  {
    cli::Output out(dir / "link");
    out.write("through the descriptor\n");
    out.commit();
  }
  ::close(fd);
  EXPECT_EQ(slurp(dir / "real.txt"), "through the descriptor\n");
  EXPECT_TRUE(fs::is_symlink(dir / "link"));
  {
    cli::Output out("/dev/fd/" + std::to_string(STDERR_FILENO));  // not renamed over either
    out.commit();
  }
  EXPECT_TRUE(fs::is_symlink("/dev/fd") || fs::is_directory("/dev/fd"));
}

TEST(Hardening, OutputThroughSymlinksReplacesTheTargetAndKeepsTheLinks) {
  TempDir dir;
  fs::create_directories(dir.path / "real");
  fs::create_directories(dir.path / "links");
  spit(dir / "real/target.json", "old\n");
  ::chmod((dir / "real/target.json").c_str(), 0600);
  fs::create_symlink("../real/target.json", dir.path / "links/one");
  fs::create_symlink("links/one", dir.path / "two");
  {
    cli::Output out(dir / "two");
    out.write("new\n");
    // Until commit the target is untouched.
    EXPECT_EQ(slurp(dir / "real/target.json"), "old\n");
    out.commit();
  }
  EXPECT_EQ(slurp(dir / "real/target.json"), "new\n");
  EXPECT_TRUE(fs::is_symlink(dir.path / "two"));
  EXPECT_TRUE(fs::is_symlink(dir.path / "links/one"));
  struct stat st {};
  ASSERT_EQ(::stat((dir / "real/target.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);  // the replacement keeps the file's permissions
  for (const auto& e : fs::recursive_directory_iterator(dir.path))
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
}

TEST(Hardening, OutputToADanglingSymlinkCreatesItsTarget) {
  TempDir dir;
  fs::create_symlink("made.txt", dir.path / "link");
  {
    cli::Output out(dir / "link");
    out.write("x\n");
    out.commit();
  }
  EXPECT_EQ(slurp(dir / "made.txt"), "x\n");
  EXPECT_TRUE(fs::is_symlink(dir.path / "link"));
  fs::create_symlink("missing-dir/made.txt", dir.path / "bad");
  EXPECT_EQ(usage_error([&] { cli::Output out(dir / "bad"); }),
            dir / "bad" + ": cannot create output file: No such file or directory");
}

TEST(Hardening, OutputToAFifoWritesInPlace) {
  TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  const int reader = ::open((dir / "fifo").c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0);
  {
    cli::Output out(dir / "fifo");
    out.write("through the pipe\n");
    out.commit();
  }
  char buf[64] = {};
  EXPECT_EQ(::read(reader, buf, sizeof buf), 17);
  ::close(reader);
  EXPECT_STREQ(buf, "through the pipe\n");
  EXPECT_TRUE(fs::is_fifo(dir.path / "fifo"));
}

// Regression: `-o` naming an input replaced the input (exit 0, input gone).
TEST(Hardening, AnOutputThatIsAnInputIsRefused) {
  TempDir dir;
  spit(dir / "in.csv", "title\nx\n");
  fs::create_symlink("in.csv", dir.path / "alias.csv");
  EXPECT_EQ(usage_error([&] { cli::claim_files({{"input", dir / "in.csv"}}, {{"-o", dir / "alias.csv"}}); }),
            "-o " + dir / "alias.csv" + ": output would overwrite input " + dir / "in.csv");
  EXPECT_EQ(usage_error([&] { cli::claim_files({{"--rules", dir / "in.csv"}}, {{"-o", dir / "in.csv"}}); }),
            "-o " + dir / "in.csv" + ": output would overwrite input --rules " + dir / "in.csv");
  EXPECT_EQ(usage_error([&] {
              cli::claim_files({}, {{"-o", dir / "new.json"}, {"-o", dir.path.string() + "/./new.json"}});
            }),
            "-o " + dir / "new.json" + " and -o " + dir.path.string() + "/./new.json" +
                " are the same file: each output must be its own");
  std::vector<cli::NamedFile> many(cli::kMaxOutputs + 1, {"-o", "/dev/null"});
  EXPECT_EQ(usage_error([&] { cli::claim_files({}, many); }), "-o: at most 16 outputs, not 17");
  // Devices may be named twice, and an output that exists nowhere yet is fine.
  EXPECT_EQ(usage_error([&] {
              cli::claim_files({{"input", "/dev/null"}}, {{"-o", "/dev/null"}, {"-o", dir / "fresh.json"}});
            }),
            "(no error)");
  EXPECT_EQ(slurp(dir / "in.csv"), "title\nx\n");
}

TEST(Hardening, LogFileMustNotBeAnInputNorCreateDirectories) {
  TempDir dir;
  spit(dir / "in.csv", "title\nx\n");
  cli::claim_files({{"input", dir / "in.csv"}}, {{"-o", "-"}});
  EXPECT_EQ(usage_error([&] { cli::check_log_file(dir / "in.csv"); }),
            "--log-file " + dir / "in.csv" + ": it is also input " + dir / "in.csv" +
                ": the log would be appended to it");
  EXPECT_EQ(usage_error([&] { cli::check_log_file(dir / "no/such/dir/log"); }),
            "--log-file " + dir / "no/such/dir/log" + ": No such file or directory");
  EXPECT_FALSE(fs::exists(dir.path / "no"));
  EXPECT_EQ(usage_error([&] { cli::check_log_file(dir / "run.log"); }), "(no error)");
  cli::reset_claims();
}

// ---------------------------------------------------------------- options

TEST(Hardening, IntegerOptionsAreRangeChecked) {
  auto check = [](std::int64_t lo, std::int64_t hi, std::string text) {
    return cli::in_range(lo, hi)(text);
  };
  EXPECT_EQ(check(1, 1000, "30"), "");
  EXPECT_EQ(check(1, 1000, "-1"), "expected an integer from 1 to 1000, not '-1'");  // wrapped to 2^64-1
  EXPECT_EQ(check(0, 256, "100000"), "expected an integer from 0 to 256, not '100000'");
  EXPECT_EQ(check(0, 256, "99999999999999999999999"), "expected an integer from 0 to 256, not '99999999999999999999999'");
  EXPECT_EQ(check(0, 256, "4x"), "expected an integer from 0 to 256, not '4x'");
  EXPECT_EQ(check(0, 256, "+4"), "expected an integer from 0 to 256, not '+4'");
  EXPECT_EQ(check(0, 256, ""), "expected an integer from 0 to 256, not ''");
  EXPECT_EQ(check(-5, 5, "-5"), "");
}

namespace {
int check_args(std::vector<std::string> args, std::string* err = nullptr) {
  args.insert(args.begin(), "jobmarket");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  ::testing::internal::CaptureStderr();
  ::testing::internal::CaptureStdout();
  const int code = cli::check_command_line(static_cast<int>(argv.size()), argv.data());
  ::testing::internal::GetCapturedStdout();
  const auto e = ::testing::internal::GetCapturedStderr();
  if (err) *err = e;
  return code;
}
}  // namespace

// Regression: --min-sample -1 wrapped to 18446744073709551615; --since after --until ran
// and reported 0 postings; -j 100000 aborted.
TEST(Hardening, CommandLinesThatContradictThemselvesAreRefusedBeforeAnythingRuns) {
  std::string err;
  EXPECT_EQ(check_args({"report", "x.csv", "--min-sample", "-1"}, &err), 2);
  EXPECT_EQ(err, "jobmarket: error: --min-sample: expected an integer from 1 to 1000000000, not '-1'\n"
                 "Run 'jobmarket --help' for usage.\n");
  EXPECT_EQ(check_args({"report", "x.csv", "--since", "2025-06-01", "--until", "2025-01-01"}, &err), 2);
  EXPECT_EQ(err, "jobmarket: error: --since 2025-06-01 is after --until 2025-01-01: no posting can be in that range\n");
  EXPECT_EQ(check_args({"classify", "x.csv", "-j", "100000"}, &err), 2);
  EXPECT_EQ(check_args({"classify", "x.csv", "-j", "256"}), 0);
  EXPECT_EQ(check_args({"report", "--partial", "-o", "p.html", "x.csv"}, &err), 2);
  EXPECT_EQ(err, "jobmarket: error: --partial and -o p.html contradict each other: a partial report is JSON\n");
  EXPECT_EQ(check_args({"-q", "classify", "-v", "x.csv"}, &err), 2);
  EXPECT_EQ(check_args({"diff", "a.json", "b.json", "--fail-if", "x <"}, &err), 2);
  EXPECT_EQ(err, "jobmarket: error: --fail-if 'x <': no NUMBER after <\n");
  EXPECT_EQ(check_args({"merge", "p.json", "./p.json"}, &err), 2);
  EXPECT_EQ(check_args({"report", "x.csv", "-o", "r.json", "--format", "json"}), 0);
  EXPECT_FALSE(fs::exists("r.json"));  // checking opens nothing
}

TEST(Hardening, FailIfConditionsAreParsedStrictly) {
  auto error = [](const std::string& c) {
    auto r = render::parse_condition(c);
    return r ? std::string("ok: ") + r->path + " " + r->op + " " + std::to_string(r->number) : r.error();
  };
  EXPECT_EQ(error("engineering.share < 0.5"), "ok: engineering.share < 0.500000");
  EXPECT_EQ(error("  a.b >=-2 "), "ok: a.b >= -2.000000");
  EXPECT_EQ(error("a < nan"), "--fail-if 'a < nan': 'nan' is not a finite number");
  EXPECT_EQ(error("a < inf"), "--fail-if 'a < inf': 'inf' is not a finite number");
  EXPECT_EQ(error("a < 1e999"), "--fail-if 'a < 1e999': '1e999' is not a finite number");
  EXPECT_EQ(error("a < 0x10"), "--fail-if 'a < 0x10': '0x10' is not a finite number");
  EXPECT_EQ(error("a = 1"), "--fail-if 'a = 1': '=' is not an operator: use == or !=");
  EXPECT_EQ(error("a ! 1"), "--fail-if 'a ! 1': '!' is not an operator: use == or !=");
  EXPECT_EQ(error("< 1"), "--fail-if '< 1': no PATH before <");
  EXPECT_EQ(error("a b < 1"), "--fail-if 'a b < 1': PATH 'a b' holds a space");
  EXPECT_EQ(error(".a < 1"), "--fail-if '.a < 1': PATH '.a' has an empty part");
  EXPECT_EQ(error("a < 1 < 2"), "--fail-if 'a < 1 < 2': '1 < 2' is not a finite number");
  EXPECT_EQ(error(std::string(1001, 'a') + "<1"), "--fail-if: a condition of 1003 bytes; at most 1000");
  nlohmann::ordered_json doc = {{"overview", {{"directions", {{"engineering", {{"share", 0.4}}}}}}}};
  EXPECT_EQ(render::evaluate_condition(doc, "engineering.share < 0.5").value(), true);
  EXPECT_EQ(render::evaluate_condition(doc, "overview.directions.engineering.share >= 0.5").value(), false);
}

// ---------------------------------------------------------------- threads

// Regression: -j 100000 ended in `terminate called without an active exception` (exit
// 134): a joinable std::thread was destroyed when the next one failed to start.
TEST(Hardening, RunnerNeverStartsMoreThanItsMaximum) {
  EXPECT_EQ(pipeline::kMaxWorkers, 256u);
}

// ---------------------------------------------------------------- salary numbers

// Regression: -30K read as 30000, -5K-10K as 5000-10000, 1e308K as 1-308000 and
// 99999999999999999999万 as 9.99e23 CNY a year in the records.
TEST(Hardening, SignExponentAndAbsurdAmountsAreUnparsedWithAReason) {
  struct Case {
    const char* raw;
    const char* reason;
  };
  for (const auto& c : {Case{"-30K", "negative amount"}, Case{"-5K-10K", "negative amount"},
                        Case{"$-120,000 - $150,000", "negative amount"}, Case{"−30K", "negative amount"},
                        Case{"1e308K", "exponent notation"}, Case{"2.5E4 USD a year", "exponent notation"},
                        Case{"1e+5", "exponent notation"},
                        Case{"99999999999999999999万", "amount of 10^13 or more"},
                        Case{"10000000000000 CNY", "amount of 10^13 or more"}}) {
    auto r = extract::parse_salary(c.raw, {});
    EXPECT_FALSE(r.salary) << c.raw;
    ASSERT_TRUE(r.unparsed) << c.raw;
    EXPECT_EQ(*r.unparsed, c.raw);
    EXPECT_EQ(r.reason, c.reason) << c.raw;
  }
  // Dashes between amounts are still ranges, and ordinary failures have no reason.
  extract::SalaryHints cjk;
  cjk.cjk_context = true;
  for (const char* range : {"30-50K", "30K/月-50K/月", "30元-50元/天", "30K -50K", "$110K--$120K", "15-25K·13薪"}) {
    auto r = extract::parse_salary(range, cjk);
    ASSERT_TRUE(r.salary) << range;
    EXPECT_LT(*r.salary->low, *r.salary->high) << range;
    EXPECT_TRUE(r.reason.empty()) << range;
  }
  EXPECT_TRUE(extract::parse_salary("9999999999999 CNY", {}).salary);  // just below the bound
  auto competitive = extract::parse_salary("Competitive", {});
  EXPECT_TRUE(competitive.unparsed);
  EXPECT_TRUE(competitive.reason.empty());
  // In a description, such amounts are not taken as a pay range either.
  EXPECT_FALSE(extract::find_salary_in_text("The pay range is $-150,000 - $200,000 a year.").salary);
  EXPECT_FALSE(extract::find_salary_in_text("The pay range is $1e5 - $2e5 a year.").salary);
  EXPECT_TRUE(extract::find_salary_in_text("The pay range is $150,000 - $200,000 a year.").salary);
}

// ---------------------------------------------------------------- partial reports

namespace {
aggregate::Report three_postings() {
  aggregate::Report r;
  r.meta.version = "0.1.0";
  r.meta.rules_version = "test";
  r.meta.options = {{"currency", "CNY"}};
  for (int i = 0; i < 3; ++i) {
    pipeline::Analysis a;
    a.classification.direction = classify::Direction::research;
    r.overview.add(a);
    r.barriers.add(a.classification.direction, a.barriers);
    r.salary.add(a, std::nullopt);
    r.trends.add(std::nullopt, a.classification.direction, {}, std::nullopt, false);
  }
  return r;
}

std::string refusal(nlohmann::ordered_json j) {
  auto r = aggregate::Report::from_partial_json(nlohmann::ordered_json::parse(j.dump()));
  return r ? "(accepted)" : r.error();
}
}  // namespace

TEST(Hardening, PartialsWithNegativeHugeOrInconsistentCountsAreRefused) {
  const auto good = three_postings().to_partial_json();
  EXPECT_EQ(refusal(good), "(accepted)");
  auto j = good;
  j["overview"]["directions"]["research"]["count"] = -5;
  EXPECT_EQ(refusal(j), "overview.directions.research.count: -5 is not a count (an integer from 0 to 2^53)");
  j = good;
  j["overview"]["records"] = 18446744073709551615ull;
  EXPECT_EQ(refusal(j), "overview.records: 18446744073709551615 is not a count (an integer from 0 to 2^53)");
  j = good;
  j["filtered_out"] = 1.5;
  EXPECT_EQ(refusal(j), "filtered_out: 1.5 is not a count (an integer from 0 to 2^53)");
  j = good;
  j["overview"]["records"] = 4;
  EXPECT_EQ(refusal(j), "inconsistent partial report: overview: 4 records but 3 by direction");
  j = good;
  j["salary"]["overall"]["postings"] = 2;
  EXPECT_EQ(refusal(j), "inconsistent partial report: salary counts 2 postings, the overview 3");
  j = good;
  j["trends"]["undated"] = 2;
  EXPECT_EQ(refusal(j), "inconsistent partial report: trends count 2 postings, the overview 3");
  j = good;
  j["overview"]["directions"]["research"]["tags"]["rag"] = 4;
  EXPECT_EQ(refusal(j), "inconsistent partial report: overview: tag 'rag' on 4 of 3 research postings");
}

TEST(Hardening, MergedCountsStayBelowTwoToThe53) {
  auto a = three_postings(), b = three_postings();
  auto j = a.to_partial_json();
  // The largest consistent part: every count at 2^53 is still refused on merge with more.
  for (auto* p : {&j["overview"]["records"], &j["overview"]["directions"]["research"]["count"],
                  &j["barriers"]["directions"]["research"]["postings"], &j["salary"]["overall"]["postings"],
                  &j["trends"]["undated"]})
    *p = aggregate::kMaxCount;
  auto big = aggregate::Report::from_partial_json(nlohmann::ordered_json::parse(j.dump()));
  ASSERT_TRUE(big) << big.error();
  auto merged = big->merge(b);
  ASSERT_FALSE(merged);
  EXPECT_EQ(merged.error(), "more than 2^53 postings together: the counts would lose precision");
}

// ---------------------------------------------------------------- rule tables

// Regression: weights of 1e308 made scores infinite and the confidence NaN, written as
// `"confidence":-nan` (not JSON).
TEST(Hardening, RuleWeightsAndScoringAreBounded) {
  auto load = [](const std::string& text) {
    auto r = rules::RuleSet::parse(text, "r.json");
    return r ? std::string("(accepted)") : r.error();
  };
  const std::string rule = R"({"id":"x.w","kind":"research","terms":["llm"],"tags":[],"source":"t","weight":)";
  EXPECT_EQ(load(R"({"version":"v","rules":[)" + rule + "1e308}]}"),
            "r.json: rules[0] 'x.w': 'weight' is 1e+308: at most 1000000 either side of zero");
  EXPECT_EQ(load(R"({"version":"v","rules":[)" + rule + "-2e6}]}"),
            "r.json: rules[0] 'x.w': 'weight' is -2000000.0: at most 1000000 either side of zero");
  EXPECT_EQ(load(R"({"version":"v","rules":[)" + rule + "2.5}]}"), "(accepted)");
  EXPECT_EQ(load(R"({"version":"v","scoring":{"repeat_cap":1e300},"rules":[]})"),
            "r.json: scoring: 'repeat_cap' is 1e+300: at most 1000000 either side of zero");
}

// ---------------------------------------------------------------- the HTML report

// Regression: x labels and legend names were cut at the chart edge ("2026-0", "world_m").
// The layout uses text_width(); tests/scripts/test_report_html.py measures it in Chromium.
TEST(Hardening, LineChartLabelsAndLegendFitTheViewBox) {
  std::vector<std::string> x;
  for (int m = 4; m <= 13; ++m) x.push_back(m <= 12 ? fmt::format("2025-{:02}", m) : "2026-01");
  std::vector<render::Series> series;
  for (const char* name : {"agent", "aigc_generation", "embodied_ai", "rag", "world_model", "one_more_long_name"})
    series.push_back({name, std::vector<std::optional<double>>(x.size(), 0.2)});
  const auto svg = render::svg_line_chart("Tag share of postings", x, series, true);
  // Every text element: its anchor and estimated extent inside 0..kSvgWidth.
  for (std::size_t at = svg.find("<text "); at != std::string::npos; at = svg.find("<text ", at + 1)) {
    const auto tag_end = svg.find('>', at), close = svg.find("</text>", at);
    const std::string tag = svg.substr(at, tag_end - at), body = svg.substr(tag_end + 1, close - tag_end - 1);
    const double xpos = std::stod(tag.substr(tag.find("x=\"") + 3));
    const double w = render::text_width(body, tag.find("font-size=\"14\"") != std::string::npos ? 14 : 12,
                                         tag.find("bold") != std::string::npos);
    double left = xpos, right = xpos + w;
    if (tag.find("text-anchor=\"end\"") != std::string::npos) left = xpos - w, right = xpos;
    if (tag.find("text-anchor=\"middle\"") != std::string::npos) left = xpos - w / 2, right = xpos + w / 2;
    EXPECT_GE(left, 0) << body;
    EXPECT_LE(right, render::kSvgWidth) << body;
  }
  EXPECT_NE(svg.find(">2026-01</text>"), std::string::npos);  // the last bucket is labeled
  EXPECT_NE(svg.find("width=\"100%\""), std::string::npos);   // drawn at the page's width
}

// Regression: the title read "as of not set" without --as-of.
TEST(Hardening, ReportHeadingWithoutAsOfSaysWhatTheDataCovers) {
  auto r = three_postings();
  r.trends = aggregate::Trends();
  r.trends.add(extract::Date{2026, 1, 13, extract::Date::Precision::day}, classify::Direction::research, {},
               std::nullopt, false);
  auto j = r.to_json();
  const auto text = render::report_text(j, {});
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "jobmarket report · rules test · postings through 2026-01-13 · currency CNY");
  j["as_of"] = "2026-02-01";
  const auto md = render::report_markdown(j);
  EXPECT_EQ(md.substr(0, md.find('\n')), "# jobmarket report · rules test · as of 2026-02-01 · currency CNY");
}
