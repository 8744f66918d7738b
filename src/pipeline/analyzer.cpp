#include <jobmarket/pipeline/analyzer.hpp>

namespace jobmarket::pipeline {

Analyzer::Workspace Analyzer::make_workspace() const {
  return Workspace{{}, m_config.classifier->make_workspace(), m_config.barriers->make_workspace()};
}

void Analyzer::analyze(Analysis& a, Workspace& ws) const {
  normalize::normalize_posting(a.posting, ws.normalized);
  a.classification = m_config.classifier->classify(a.posting, ws.normalized, ws.classify);
  a.barriers = m_config.barriers->extract(a.posting, ws.normalized, ws.barriers);
  a.salary = extract::extract_salary(a.posting, m_config.salary_hints);
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
