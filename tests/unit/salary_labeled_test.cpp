// Salary extraction against the hand labels (../shared/labeled/dev.jsonl) and the parse
// rate over every salary column of ../shared/corpora. Both read the files through the
// same PostingReader as the jobmarket binary.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <jobmarket/extract/salary.hpp>
#include <jobmarket/read/reader.hpp>

#include "test_support.hpp"

namespace je = jobmarket::extract;
namespace fs = std::filesystem;
using jobmarket::testing::shared_dir;

namespace {

// Calls f(posting) for every posting of one file.
template <typename F>
void for_each_posting(const fs::path& file, F&& f) {
  jobmarket::read::ReadOptions options;
  auto reader = jobmarket::read::PostingReader::open({file.string()}, options);
  ASSERT_TRUE(reader) << reader.error();
  jobmarket::Posting p;
  jobmarket::read::Reject reject;
  for (;;) {
    auto n = (*reader)->next(p, reject);
    if (n == jobmarket::read::Next::end) break;
    if (n == jobmarket::read::Next::record) f(p);
  }
}

std::string describe(const je::SalaryResult& r) {
  if (!r.salary) return r.unparsed ? "unparsed" : "none";
  const auto& s = *r.salary;
  std::ostringstream o;
  if (s.negotiable) return "negotiable";
  o << s.low.value_or(-1) << "-" << s.high.value_or(-1) << " " << s.currency << "/"
    << je::period_name(s.period) << " x" << s.months_per_year.value_or(0) << " ("
    << je::salary_source_name(s.source) << ")";
  return o.str();
}

std::string describe(const nlohmann::json& label, const std::string& source) {
  if (label.value("negotiable", false)) return "negotiable";
  std::ostringstream o;
  o << label["low"].get<double>() << "-" << label["high"].get<double>() << " "
    << label["currency"].get<std::string>() << "/" << label["period"].get<std::string>() << " x"
    << (label["months_per_year"].is_null() ? 0 : label["months_per_year"].get<int>()) << " ("
    << source << ")";
  return o.str();
}

}  // namespace

TEST(SalaryLabeled, AtLeast98PercentExact) {
  JOBMARKET_REQUIRE_SHARED();
  std::ifstream in(shared_dir() / "labeled" / "dev.jsonl");
  ASSERT_TRUE(in);
  // file -> (0-based row -> label line)
  std::map<std::string, std::map<std::uint64_t, nlohmann::json>> wanted;
  std::map<std::string, std::set<std::uint64_t>> unlabeled;  // salary null: no salary expected
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    std::string file = j["corpus"].get<std::string>() + "/" + j["file"].get<std::string>();
    if (j["salary_source"].is_null())
      unlabeled[file].insert(j["row"].get<std::uint64_t>());
    else
      wanted[file][j["row"].get<std::uint64_t>()] = j;
  }
  std::size_t total = 0, exact = 0, false_positive = 0, unlabeled_total = 0;
  std::vector<std::string> misses;
  std::set<std::string> files;
  for (const auto& [f, rows] : wanted) files.insert(f);
  for (const auto& [f, rows] : unlabeled) files.insert(f);
  for (const auto& file : files) {
    for_each_posting(shared_dir() / "corpora" / file, [&](const jobmarket::Posting& p) {
      std::uint64_t row = p.source.row - 1;
      auto r = je::extract_salary(p);
      if (auto u = unlabeled.find(file); u != unlabeled.end() && u->second.count(row)) {
        ++unlabeled_total;
        if (r.salary) {
          ++false_positive;
          misses.push_back(file + ":" + std::to_string(row) + " want none, got " + describe(r));
        }
        return;
      }
      auto w = wanted.find(file);
      if (w == wanted.end()) return;
      auto it = w->second.find(row);
      if (it == w->second.end()) return;
      ++total;
      std::string want = describe(it->second["salary"], it->second["salary_source"].get<std::string>());
      std::string got = describe(r);
      if (want == got) {
        ++exact;
      } else {
        misses.push_back(file + ":" + std::to_string(row) + " want " + want + ", got " + got);
      }
    });
  }
  for (const auto& m : misses) std::printf("  miss: %s\n", m.c_str());
  double rate = total ? static_cast<double>(exact) / static_cast<double>(total) : 0;
  std::printf("labeled salaries: %zu of %zu exact (%.2f%%); %zu false positives among %zu rows "
              "labeled without salary\n",
              exact, total, 100 * rate, false_positive, unlabeled_total);
  EXPECT_EQ(total, 136u);  // rows with salary_source field or text
  EXPECT_GE(rate, 0.98);
}

TEST(SalaryLabeled, CorporaParseRate) {
  JOBMARKET_REQUIRE_SHARED();
  std::size_t all_nonempty = 0, all_ok = 0;
  std::map<std::string, std::size_t> unparsed_examples;
  for (const auto& dir : fs::directory_iterator(shared_dir() / "corpora")) {
    std::vector<fs::path> inputs;
    for (const auto& f : fs::directory_iterator(dir.path())) {
      auto name = f.path().filename().string();
      // The cp1252 file is the same data as its UTF-8 twin; .md files are descriptions.
      if (name.find(".cp1252.") != std::string::npos || f.path().extension() == ".md") continue;
      inputs.push_back(f.path());
    }
    std::sort(inputs.begin(), inputs.end());
    for (const auto& file : inputs) {
      std::size_t nonempty = 0, ok = 0, negotiable = 0;
      for_each_posting(file, [&](const jobmarket::Posting& p) {
        if (p.get(jobmarket::Field::salary).empty()) return;
        ++nonempty;
        auto r = je::extract_salary(p);
        if (r.salary) {
          ++ok;
          if (r.salary->negotiable) ++negotiable;
        } else if (r.unparsed) {
          ++unparsed_examples[*r.unparsed];
        } else {
          ++ok;  // an empty marker such as "NULL" or "-1": no salary stated
        }
      });
      if (nonempty == 0) continue;
      std::printf("  %-60s %6zu non-empty, %6zu parsed (%zu negotiable)\n",
                  (dir.path().filename() / file.filename()).string().c_str(), nonempty, ok,
                  negotiable);
      all_nonempty += nonempty;
      all_ok += ok;
    }
  }
  for (const auto& [s, n] : unparsed_examples) std::printf("  unparsed x%zu: '%s'\n", n, s.c_str());
  double rate = all_nonempty ? static_cast<double>(all_ok) / static_cast<double>(all_nonempty) : 0;
  std::printf("corpora salary columns: %zu of %zu non-empty strings parsed or negotiable (%.3f%%)\n",
              all_ok, all_nonempty, 100 * rate);
  EXPECT_GE(rate, 0.99);
}

// How many descriptions state a pay range (postings without a salary column value);
// prints them with JOBMARKET_SHOW_TEXT_SALARIES=1 for review.
TEST(SalaryLabeled, TextRangesInCorpora) {
  JOBMARKET_REQUIRE_SHARED();
  const bool show = std::getenv("JOBMARKET_SHOW_TEXT_SALARIES") != nullptr;
  std::size_t found = 0, with_dollar = 0;
  for (const char* file : {"linkedin-ai-ml-2024/ai_ml_jobs_linkedin.csv", "glassdoor-ds-jobs/glassdoor_jobs.csv"}) {
    for_each_posting(shared_dir() / "corpora" / file, [&](const jobmarket::Posting& p) {
      if (!p.get(jobmarket::Field::salary).empty()) return;
      if (p.text().find('$') != std::string::npos) ++with_dollar;
      auto r = je::find_salary_in_text(p.text());
      EXPECT_FALSE(r.unparsed);
      if (!r.salary) return;
      ++found;
      if (show) std::printf("  %s:%llu %s <- %s\n", file, static_cast<unsigned long long>(p.source.row - 1),
                            describe(r).c_str(), r.salary->raw.c_str());
    });
  }
  std::printf("descriptions with a pay range: %zu (of %zu containing '$')\n", found, with_dollar);
  EXPECT_GT(found, 0u);
}

// The salary summary over the hand-labeled rows (labeled direction, education and
// experience; extracted salaries): prints the article check for the report.
#include <jobmarket/aggregate/salary_summary.hpp>
#include <jobmarket/extract/fx.hpp>

TEST(SalaryLabeled, SummaryOfLabeledRows) {
  JOBMARKET_REQUIRE_SHARED();
  std::ifstream in(shared_dir() / "labeled" / "dev.jsonl");
  std::map<std::string, std::map<std::uint64_t, nlohmann::json>> labels;
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    labels[j["corpus"].get<std::string>() + "/" + j["file"].get<std::string>()][j["row"].get<std::uint64_t>()] = j;
  }
  const auto& fx = je::FxTable::builtin();
  auto options = jobmarket::aggregate::salary_summary_options("CNY", fx, 5);
  jobmarket::aggregate::SalarySummary summary(options);
  je::SalaryConventions conventions;
  for (const auto& [file, rows] : labels) {
    for_each_posting(shared_dir() / "corpora" / file, [&](const jobmarket::Posting& p) {
      auto it = rows.find(p.source.row - 1);
      if (it == rows.end()) return;
      const auto& l = it->second;
      auto direction = *jobmarket::classify::direction_from_name(l["direction"].get<std::string>());
      std::optional<je::Education> edu;
      const std::string e = l["min_education"].get<std::string>();
      if (e == "associate") edu = je::Education::associate;
      if (e == "bachelor") edu = je::Education::bachelor;
      if (e == "master") edu = je::Education::master;
      if (e == "phd") edu = je::Education::phd;
      std::optional<int> years;
      if (!l["experience_years_min"].is_null()) years = l["experience_years_min"].get<int>();
      auto r = je::extract_salary(p);
      std::optional<jobmarket::Expected<je::AnnualSalary, je::NotAnnual>> annual;
      if (r.salary) annual.emplace(je::annualize(*r.salary, conventions, fx, "CNY"));
      summary.add(direction, edu, years, r, annual);
    });
  }
  auto j = summary.to_json();
  std::printf("labeled rows, annual CNY, min sample 5:\n  overall %s\n  research %s\n  article_check %s\n",
              j["overall"].dump().c_str(), j["directions"]["research"]["annual_mid"].dump().c_str(),
              j["article_check"].dump().c_str());
  EXPECT_EQ(j["overall"]["postings"], 293);
  EXPECT_EQ(j["overall"]["unparsed"], 0);
}
