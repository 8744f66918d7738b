#pragma once
// Per-posting analysis: normalize once, classify, extract barriers, salary and date. Built
// once per run from a checked configuration and shared read-only by the worker threads;
// each worker owns a Workspace.
#include <memory>
#include <optional>
#include <vector>

#include <jobmarket/classify/classifier.hpp>
#include <jobmarket/dedup/fingerprint.hpp>
#include <jobmarket/extract/barriers.hpp>
#include <jobmarket/extract/date.hpp>
#include <jobmarket/extract/salary.hpp>
#include <jobmarket/normalize/posting.hpp>
#include <jobmarket/pipeline/analysis.hpp>
#include <jobmarket/pipeline/runner.hpp>

namespace jobmarket::pipeline {

struct AnalyzerConfig {
  std::shared_ptr<const classify::Classifier> classifier;
  std::shared_ptr<const extract::BarrierExtractor> barriers;
  extract::SalaryHints salary_hints;
  extract::DateOptions dates;
  // False when no consumer reads evidence (the summaries: report, salary, trends, barriers,
  // match): the classifier and the barrier extractor then skip copying rule ids and matched
  // text for every finding.
  bool evidence = true;
  // Deduplication: none computes no fingerprint; exact the hashes; near also the MinHash
  // signature of the description (docs/dedup.md). Computed here, on the worker, so the
  // delivering thread only looks signatures up.
  dedup::Mode dedup = dedup::Mode::none;
};

// The classifier's patterns followed by the barrier extractor's (ids offset by the
// classifier's count): one vectorscan pass over a field serves both.
std::vector<rules::PatternSpec> combined_patterns(const classify::Classifier& classifier,
                                                  const extract::BarrierExtractor& barriers);

class Analyzer {
 public:
  // Compiles combined_patterns() (or loads them precompiled). Should that fail, each
  // consumer scans with its own matcher: slower, same results.
  explicit Analyzer(AnalyzerConfig config);

  struct Workspace {
    normalize::NormalizedPosting normalized;
    classify::Classifier::Workspace classify;
    extract::BarrierExtractor::Workspace barriers;
    rules::Matcher::Scratch scratch = {};
    std::vector<rules::Match> classify_title = {}, classify_text = {};
    std::vector<rules::Match> barrier_title = {}, barrier_text = {};
    extract::SalaryMemo salaries = {};
    dedup::FingerprintScratch fingerprint = {};
  };
  Workspace make_workspace() const;

  // Fills a.classification, a.barriers, a.salary, a.posted and (when deduplicating)
  // a.fingerprint from a.posting.
  void analyze(Analysis& a, Workspace& ws) const;

  // A worker factory for pipeline::run (each worker gets its own Workspace).
  WorkerFactory worker_factory() const;

  const classify::Classifier& classifier() const { return *m_config.classifier; }
  const AnalyzerConfig& config() const { return m_config; }

 private:
  AnalyzerConfig m_config;
  std::optional<rules::Matcher> m_combined;
  std::uint32_t m_classify_patterns = 0;  // combined ids below this are the classifier's
};

}  // namespace jobmarket::pipeline
