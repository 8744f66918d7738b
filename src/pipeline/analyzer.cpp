#include <jobmarket/pipeline/analyzer.hpp>

#include <jobmarket/util/hash.hpp>

namespace jobmarket::pipeline {

std::uint64_t posting_identity(const Posting& p) {
  std::uint64_t h = util::hash64(p.get(Field::title));
  h = util::hash64(p.get(Field::company), h);
  return util::hash64(p.get(Field::text), h);
}

std::vector<rules::PatternSpec> combined_patterns(const classify::Classifier& classifier,
                                                  const extract::BarrierExtractor& barriers) {
  std::vector<rules::PatternSpec> specs = classifier.patterns();
  const auto offset = static_cast<std::uint32_t>(specs.size());
  for (auto p : barriers.patterns()) {
    p.id += offset;
    specs.push_back(std::move(p));
  }
  return specs;
}

Analyzer::Analyzer(AnalyzerConfig config) : m_config(std::move(config)) {
  // The two tables used to be scanned one after the other over the same text; one
  // combined database reads each byte once (docs/performance.md).
  auto m = rules::Matcher::compile(combined_patterns(*m_config.classifier, *m_config.barriers));
  if (m) {
    m_combined = std::move(*m);
    m_classify_patterns = static_cast<std::uint32_t>(m_config.classifier->patterns().size());
  }
}

Analyzer::Workspace Analyzer::make_workspace() const {
  Workspace ws{{}, m_config.classifier->make_workspace(), m_config.barriers->make_workspace()};
  ws.classify.evidence = m_config.evidence;
  ws.barriers.evidence = m_config.evidence;
  if (m_combined) ws.scratch = m_combined->make_scratch();
  return ws;
}

void Analyzer::analyze(Analysis& a, Workspace& ws) const {
  normalize::normalize_posting(a.posting, ws.normalized);
  if (m_combined) {
    const auto& norm = ws.normalized;
    // Each table's matches in their own vector, by end offset, barrier ids from 0.
    for (auto* v : {&ws.classify_title, &ws.barrier_title, &ws.classify_text, &ws.barrier_text})
      v->clear();
    m_combined->scan_split(norm.title, ws.scratch, m_classify_patterns, ws.classify_title,
                           ws.barrier_title);
    m_combined->scan_split(norm.text, ws.scratch, m_classify_patterns, ws.classify_text,
                           ws.barrier_text);
    // In place: a recycled analysis keeps its vectors and strings (pipeline/runner.cpp).
    m_config.classifier->classify_matches(norm, ws.classify_title, ws.classify_text, ws.classify,
                                          a.classification);
    m_config.barriers->extract_matches(norm, ws.barrier_text, ws.barrier_title, ws.barriers,
                                       a.barriers);
  } else {
    a.classification = m_config.classifier->classify(a.posting, ws.normalized, ws.classify);
    a.barriers = m_config.barriers->extract(a.posting, ws.normalized, ws.barriers);
  }
  a.identity = posting_identity(a.posting);
  if (m_config.dedup != dedup::Mode::none)
    dedup::fingerprint(a.posting, ws.normalized, ws.fingerprint, a.fingerprint,
                       m_config.dedup == dedup::Mode::near);
  a.duplicate = dedup::Match::none;
  extract::extract_salary(a.posting, m_config.salary_hints, &ws.normalized.text, ws.salaries,
                          a.salary);
  a.posted.reset();
  a.unparsed_date.reset();
  const auto& raw_date = a.posting.get(Field::posted);
  if (!raw_date.empty()) {
    auto d = extract::parse_date(raw_date, m_config.dates);
    if (d) a.posted = *d;
    else a.unparsed_date = raw_date;
  }
}

WorkerFactory Analyzer::worker_factory() const {
  return [this] {
    auto ws = std::make_shared<Workspace>(make_workspace());
    return [this, ws](Analysis& a) { analyze(a, *ws); };
  };
}

}  // namespace jobmarket::pipeline
