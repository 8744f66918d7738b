#pragma once
// Per-posting analysis: normalize once, classify, extract barriers, salary and date. Built
// once per run from a checked configuration and shared read-only by the worker threads;
// each worker owns a Workspace.
#include <memory>

#include <jobmarket/classify/classifier.hpp>
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
};

class Analyzer {
 public:
  explicit Analyzer(AnalyzerConfig config) : m_config(std::move(config)) {}

  struct Workspace {
    normalize::NormalizedPosting normalized;
    classify::Classifier::Workspace classify;
    extract::BarrierExtractor::Workspace barriers;
  };
  Workspace make_workspace() const;

  // Fills a.classification, a.barriers, a.salary and a.posted from a.posting.
  void analyze(Analysis& a, Workspace& ws) const;

  // A worker factory for pipeline::run (each worker gets its own Workspace).
  WorkerFactory worker_factory() const;

  const classify::Classifier& classifier() const { return *m_config.classifier; }
  const AnalyzerConfig& config() const { return m_config; }

 private:
  AnalyzerConfig m_config;
};

}  // namespace jobmarket::pipeline
